#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/stack as a user runs it: it comes up with one command, prints
the address and an admin token that works as Bearer on GET /api/v1/me,
Discover lists the fake projects' issues at once, a submitted issue's
bridge is written (when the worker is built), and Ctrl-C stops every
process it started, leaving no process, port or temporary directory.
"""
import os
import time

from e2e_stack import FAILS, WORKER_BIN, Stack, bridge_state, check, finish


def main():
    st = Stack(workers=2, issues=12)
    print(f'stack up in {st.startup_s:.1f} s at {st.url}')
    pids, ports, tmpdir = st.pids(), st.ports(), st.state['tmp']
    try:
        check(st.url == f'http://127.0.0.1:{st.port}',
              'the address is printed as http://127.0.0.1:PORT')
        s, _, _ = st.api('GET', '/readyz')
        check(s == 200, f'/readyz answers 200 ({s})')
        s, me, _ = st.api('GET', '/api/v1/me', token=st.token)
        check(s == 200 and isinstance(me, dict) and me.get('is_admin') is True,
              f'the printed token is an admin\'s Bearer token ({s} {me})')
        s, _, _ = st.api('GET', '/api/v1/me', token=st.token + 'x')
        check(s == 401, f'a wrong token is 401 ({s})')
        s, doc, _ = st.api('GET', '/api/v1/issues')
        items = doc.get('items', []) if isinstance(doc, dict) else []
        projects = {i['project'] for i in items}
        check(s == 200 and len(items) > 0 and len(projects) >= 2,
              f'Discover lists issues of the fake projects at once '
              f'({len(items)} issues of {sorted(projects)})')
        s, doc, _ = st.api('GET', '/api/v1/projects')
        tracked = [p['full_name'] for p in doc if p.get('tracked')] \
            if isinstance(doc, list) else []
        check(s == 200 and len(tracked) == 3,
              f'three fake projects are tracked ({tracked})')
        for name in ('collector', 'worker-1', 'worker-2', 'gateway',
                     'fake-github', 'fake-openai', 'fake-oauth'):
            if name.startswith('worker') and not os.access(WORKER_BIN,
                                                           os.X_OK):
                continue
            check(name in pids, f'{name} runs')
        if os.access(WORKER_BIN, os.X_OK):
            issue = items[0]
            o, r = issue['project'].split('/')
            n = issue['number']
            s, _, _ = st.api('POST', '/api/v1/bridges',
                             {'issue': f'{o}/{r}#{n}'}, token=st.token)
            check(s in (200, 202), f'submitting {o}/{r}#{n}: {s}')
            status, doc = None, None
            for _ in range(600):
                s, doc, _ = st.api('GET', f'/api/v1/bridges/{o}/{r}/{n}')
                status = bridge_state(s, doc)
                if status in ('COMPLETED', 'FAILED'):
                    break
                time.sleep(0.1)
            check(status == 'COMPLETED',
                  f'its bridge is written: {status} {str(doc)[:200]}')
    finally:
        rc, secs = st.stop()
    check(rc == 130, f'Ctrl-C: scripts/stack exits 130 ({rc}) '
          f'in {secs:.1f} s')
    left = st.leftovers(pids, ports, tmpdir)
    check(not left, f'nothing left behind after Ctrl-C ({left})')
    if FAILS:
        print(st.output()[-3000:])
    finish()


if __name__ == '__main__':
    main()
