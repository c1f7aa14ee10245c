#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""issuesight-gateway against real PostgreSQL, Redis and the MongoDB-wire
server: every route's success and error answers, quota exactness under 100
parallel submissions, header parsing, the command line's tokens, discovery
filters and keyset pages, the anonymous rate limit, the header size cap,
/metrics and the access log, one database read for 200 parallel cold reads,
a real private Redis and MongoDB-wire server stopped mid-test and
restarted (reads from PostgreSQL, then from the cache again; submissions
and sign-in 503, then working again) and session expiry. Every JSON answer is also checked against
docs/openapi.yaml by check_openapi (when the document exists).

Environment: ISG_GATEWAY_BIN, ISG_CLI_BIN and the ISG_TEST_* URLs that
scripts/test sets; exits 77 (skip) without them.
"""
import concurrent.futures as cf
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings

# RefResolver is deprecated in newer jsonschema, current in Debian's.
warnings.filterwarnings('ignore', category=DeprecationWarning)

FAILS = []
SPEC = None  # docs/openapi.yaml, loaded in main()
CHECKED = [0]


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print('FAIL:', what, flush=True)
    else:
        print('ok:', what, flush=True)


def env(name):
    v = os.environ.get(name)
    if not v:
        print(f'skipped: {name} is not set')
        sys.exit(77)
    return v


GW = env('ISG_GATEWAY_BIN')
CLI = env('ISG_CLI_BIN')
PG = env('ISG_TEST_DATABASE_URL')
REDIS = env('ISG_TEST_REDIS_URL')
MONGO = env('ISG_TEST_MONGODB_URI')
UNIQ = f'{os.getpid()}{random.randint(0, 99999)}'
DB = f'gw{UNIQ}'
DB_URL = PG.rsplit('/', 1)[0] + '/' + DB
MONGO_URL = MONGO.rstrip('/') + '/' + DB


def psql(sql, url=DB_URL):
    return subprocess.run(['psql', '-qAtX', '-v', 'ON_ERROR_STOP=1', url,
                           '-c', sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def free_port():
    while True:
        p = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', p))
                return p
            except OSError:
                continue


def settings(**over):
    e = dict(os.environ)
    e.update(DATABASE_URL=DB_URL, REDIS_URL=REDIS, MONGODB_URI=MONGO_URL,
             STREAM_PREFIX=f'gw{UNIQ}:', QUOTA_PER_DAY='5',
             GATEWAY_THREADS='32', ISSUESIGHT_LOG_LEVEL='warn',
             GITHUB_API_URL='http://127.0.0.1:1', GITHUB_MAX_RETRIES='0',
             OPENAI_API_KEY='sk-gateway-test-not-used-0123456789')
    e.update(over)
    return e


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)
OAUTH = {}  # the fake provider's settings, filled by main()


class Gateway:
    def __init__(self, **over):
        self.port = free_port()
        e = settings(GATEWAY_LISTEN=f'127.0.0.1:{self.port}',
                     PUBLIC_BASE_URL=f'http://127.0.0.1:{self.port}',
                     SESSION_COOKIE_SECURE='false', **OAUTH)
        e.update(over)
        self.log = open(f'/tmp/gw-test-{UNIQ}-{self.port}.log', 'w')
        self.proc = subprocess.Popen([GW], env=e, stderr=self.log)
        for _ in range(200):
            try:
                if self.call('GET', '/healthz')[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError('the gateway did not start')

    def call(self, method, path, body=None, headers=None, raw=False):
        req = urllib.request.Request(
            f'http://127.0.0.1:{self.port}{path}', method=method,
            data=body if isinstance(body, (bytes, type(None)))
            else json.dumps(body).encode(), headers=headers or {})
        try:
            with OPENER.open(req, timeout=30) as r:
                data, status, hdrs = r.read(), r.status, r.headers
        except urllib.error.HTTPError as e:
            data, status, hdrs = e.read(), e.code, e.headers
        ctype = hdrs.get('Content-Type', '')
        doc = None
        if ctype.startswith('application/json'):
            doc = json.loads(data)
            check_openapi(method, path, status, doc)
            if status >= 400:
                check_no_leak(method, path, status, data)
        if raw:
            return status, data, hdrs
        if doc is None and data:
            doc = data.decode(errors='replace')
        return status, doc, hdrs

    def metric(self, name):
        _, text, _ = self.call('GET', '/metrics', raw=True)
        for line in text.decode().splitlines():
            if line.startswith(name + ' '):
                return float(line.split()[1])
        return 0.0

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=20)
        self.log.close()
        return rc


def openapi_operation(method, path):
    """The documented operation of a concrete path, or None."""
    segs = path.split('?')[0].split('/')[1:]
    for tmpl, item in SPEC['paths'].items():
        t = tmpl.split('/')[1:]
        if len(t) == len(segs) and all(
                a.startswith('{') or a == b for a, b in zip(t, segs)):
            return item.get(method.lower())
    return None


def check_openapi(method, path, status, doc):
    """Validates a JSON answer against docs/openapi.yaml."""
    import jsonschema
    op = openapi_operation(method, path)
    if op is None:
        schema = {'$ref': '#/components/schemas/Error'}
        if status < 400:
            FAILS.append(f'{method} {path}: {status} on an undocumented '
                         'operation')
            return
    else:
        resp = op['responses'].get(str(status))
        if resp is None:
            FAILS.append(f'{method} {path}: status {status} is not in '
                         'docs/openapi.yaml')
            print('FAIL:', FAILS[-1], flush=True)
            return
        if '$ref' in resp:
            resp = SPEC['components']['responses'][resp['$ref'].split('/')[-1]]
        schema = resp.get('content', {}).get('application/json', {}).get(
            'schema')
        if schema is None:
            FAILS.append(f'{method} {path}: {status} JSON is undocumented')
            return
    resolver = jsonschema.RefResolver.from_schema(SPEC)
    errors = list(jsonschema.Draft202012Validator(
        schema, resolver=resolver).iter_errors(doc))
    CHECKED[0] += 1
    if errors:
        FAILS.append(f'{method} {path} {status}: {errors[0].message}')
        print('FAIL:', FAILS[-1], flush=True)


LEAKS = ['redis://', 'mongodb://', 'postgresql://', 'postgres@', 'SELECT ',
         'INSERT ', 'UPDATE ', 'Traceback', '.c:', 'isgt', 'isgs', 'isgc',
         'sqlite', '127.0.0.1:']
ERRORS_CHECKED = {}  # status -> error answers checked for leaks


def check_no_leak(method, path, status, data):
    """An error answer never names a host, a URL with credentials, SQL,
    a stack or a secret."""
    text = data.decode(errors='replace')
    ERRORS_CHECKED[status] = ERRORS_CHECKED.get(status, 0) + 1
    found = [x for x in LEAKS if x in text]
    if found:
        FAILS.append(f'{method} {path} {status} leaks {found}: {text[:200]}')
        print('FAIL:', FAILS[-1], flush=True)


def bearer(tok):
    return {'Authorization': 'Bearer ' + tok}


SECRETS = []  # every token, cookie and CSRF value used: never logged


def new_user(login, admin=False):
    args = [CLI, 'users', 'add', login] + (['--admin'] if admin else [])
    out = subprocess.run(args, env=settings(), check=True,
                         capture_output=True, text=True).stdout
    SECRETS.append(out.strip().splitlines()[-1])
    return SECRETS[-1]


def is_error(doc, code=None):
    return (isinstance(doc, dict) and isinstance(doc.get('error'), dict)
            and isinstance(doc['error'].get('message'), str)
            and (code is None or doc['error'].get('code') == code))


BRIDGE = open(os.path.join(env('ISG_SOURCE_ROOT'), 'tests', 'fuzz', 'corpus',
                           'bridge', 'minimal_valid.json')).read()


def sql_text(v):
    return "'" + v.replace("'", "''") + "'"


def archive_bridge(repo, number, status='COMPLETED', text=None):
    """A project, an issue and its content row, written with SQL; a
    COMPLETED row stores `text` as the worker's bytes (bridge_text) when
    given, else only the jsonb (a row from before migration 0003)."""
    gid = random.randint(1, 10**12)
    psql(f"INSERT INTO projects (gh_repo_id, owner, name, full_name) VALUES "
         f"({gid}, 'acme', '{repo}', 'acme/{repo}') "
         f"ON CONFLICT (full_name) DO NOTHING")
    psql(f"INSERT INTO github_issues (project_id, gh_issue_id, issue_number,"
         f" title, state, gh_updated_at) SELECT id, {gid + number}, {number},"
         f" 't', 'open', now() FROM projects WHERE full_name = 'acme/{repo}'")
    where = (f" FROM github_issues i JOIN projects p ON p.id = i.project_id"
             f" WHERE p.full_name = 'acme/{repo}' AND i.issue_number = "
             f"{number}")
    if status == 'COMPLETED':
        psql(f"INSERT INTO tutorial_contents (issue_id, status, bridge, "
             f"bridge_text, engine) SELECT i.id, 'COMPLETED', "
             f"{sql_text(BRIDGE)}, "
             f"{'NULL' if text is None else sql_text(text)}, 'offline'"
             + where)
    elif status == 'FAILED':
        psql(f"INSERT INTO tutorial_contents (issue_id, status, error, "
             f"attempts) SELECT i.id, 'FAILED', 'the model timed out', 1"
             + where)
    elif status == 'PENDING':
        psql(f"INSERT INTO tutorial_contents (issue_id) SELECT i.id FROM "
             f"github_issues i JOIN projects p ON p.id = i.project_id WHERE"
             f" p.full_name = 'acme/{repo}' AND i.issue_number = {number}")


def redis_cli(*args, url=None):
    return subprocess.run(['redis-cli', '-u', url or REDIS, *args],
                          check=True, capture_output=True,
                          text=True).stdout.strip()


def tasks_of(repo, number):
    """The is:tasks messages queued for acme/{repo}#{number}."""
    out = []
    for line in redis_cli('XRANGE', f'gw{UNIQ}:tasks', '-', '+').splitlines():
        if line.startswith('{'):
            t = json.loads(line)
            if t.get('repo') == repo and t.get('number') == number:
                out.append(t)
    return out


def content_status(repo, number):
    return psql(f"SELECT c.status FROM tutorial_contents c JOIN github_issues"
                f" i ON i.id = c.issue_id JOIN projects p ON p.id = "
                f"i.project_id WHERE p.full_name = 'acme/{repo}' AND "
                f"i.issue_number = {number}")


def set_failed(repo, number):
    psql(f"UPDATE tutorial_contents c SET status = 'FAILED', error = 'again'"
         f" FROM github_issues i, projects p WHERE i.id = c.issue_id AND "
         f"p.id = i.project_id AND p.full_name = 'acme/{repo}' AND "
         f"i.issue_number = {number}")


def test_retry_and_lock(g):
    """Submitting a FAILED bridge retries it (FAILED -> PENDING, guarded in
    SQL, quota as for a new generation); the submission that causes a
    generation takes the issue lock and hands it to the worker in the
    task; the lock never makes a submission fail."""
    repo = f'f{UNIQ}'
    archive_bridge(repo, 1, 'FAILED')
    key = f'is:lock:issue:acme/{repo}#1'
    tok, other = new_user(f'r{UNIQ}'), new_user(f'rr{UNIQ}')
    admin = new_user(f'ra{UNIQ}', admin=True)
    s, d, _ = g.call('GET', f'/api/v1/bridges/acme/{repo}/1')
    check(s == 200 and d['status'] == 'FAILED' and
          d['reason'] == 'the model timed out', 'a FAILED bridge and reason')
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
                     bearer(tok))
    check(s == 202 and d['status'] == 'PENDING' and d['quota_spent'],
          'POST of a FAILED bridge retries it (202, quota spent)')
    check(content_status(repo, 1) == 'PENDING', 'the row is PENDING again')
    s, q, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    check(q['used'] == 1, 'the retry cost one slot, as a new generation')
    t = tasks_of(repo, 1)
    lock = t[0].get('lock', '') if len(t) == 1 else ''
    token, _, fence = lock.partition('.')
    check(len(t) == 1 and len(token) == 32 and int(fence or 0) > 0,
          'the task carries the issue lock (token.fence)')
    ttl = int(redis_cli('PTTL', key))
    check(redis_cli('GET', key) == token and 0 < ttl <= 900000,
          'the issue lock is held with the token in the task')
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
                     bearer(other))
    check(s == 202 and not d['quota_spent'] and len(tasks_of(repo, 1)) == 1,
          'a pending retry is not queued or charged twice')
    # Redis lost the lock and its fence: the next retry still works and
    # its fence is still higher.
    set_failed(repo, 1)
    redis_cli('DEL', key, key + ':fence')
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
                     bearer(admin))
    t = tasks_of(repo, 1)
    fence2 = int(t[-1].get('lock', '.0').partition('.')[2] or 0)
    check(s == 202 and len(t) == 2 and fence2 > int(fence),
          'after Redis lost the lock key a retry works, with a higher fence')
    # Another holder keeps the lock: the submission is still accepted (the
    # content row decides) and the task goes without a lock.
    set_failed(repo, 1)
    redis_cli('SET', key, 'f' * 32, 'PX', '60000')
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
                     bearer(admin))
    t = tasks_of(repo, 1)
    check(s == 202 and len(t) == 3 and 'lock' not in t[-1] and
          redis_cli('GET', key) == 'f' * 32,
          'a lock held by another is left alone; the task has no lock')
    # Parallel retries: the guarded UPDATE lets exactly one generate.
    set_failed(repo, 1)
    redis_cli('DEL', key)
    with cf.ThreadPoolExecutor(8) as ex:
        res = list(ex.map(lambda _: g.call(
            'POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
            bearer(admin)), range(8)))
    check(all(r[0] == 202 for r in res) and len(tasks_of(repo, 1)) == 4,
          '8 parallel retries: all 202, one generation queued')
    # An issue not archived yet: the winner of the dedupe key holds it.
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#50'},
                     bearer(admin))
    t = tasks_of(repo, 50)
    check(s == 202 and len(t) == 1 and t[0].get('lock', '').split('.')[0] ==
          redis_cli('GET', f'is:lock:issue:acme/{repo}#50'),
          'an issue not archived yet: the task carries the lock')


def test_basics(g):
    s, d, h = g.call('GET', '/healthz')
    check(s == 200 and d == {'status': 'ok'}, 'GET /healthz 200')
    check(h.get('X-Content-Type-Options') == 'nosniff' and
          "frame-ancestors 'none'" in h.get('Content-Security-Policy', '')
          and 'unsafe-inline' not in h.get('Content-Security-Policy', '')
          and h.get('Referrer-Policy') == 'no-referrer',
          'security headers')
    s, d, _ = g.call('GET', '/readyz')
    check(s == 200 and d['postgresql'] and d['mongodb'], 'GET /readyz 200')
    s, d, _ = g.call('GET', '/metrics', raw=True)
    check(s == 200 and b'isg_gateway_requests_total' in d, 'GET /metrics')
    for path in ['/nope', '/api/v1/../../etc/passwd', '/api/v1/bridges/a/b',
                 '/%2e%2e/x', '/api/v1/me/']:
        s, d, _ = g.call('GET', path)
        check(s == 404 and is_error(d, 'not_found'), f'GET {path} 404 JSON')
    s, d, _ = g.call('DELETE', '/api/v1/bridges')
    check(s == 405 and is_error(d), 'DELETE /api/v1/bridges 405')
    s, d, _ = g.call('GET', '/x' * 1100)
    check(s in (404, 414) and is_error(d), 'long URL refused')


def test_submit_errors(g, tok):
    url = '/api/v1/bridges'
    s, d, _ = g.call('POST', url, {'issue': 'acme/a#1'})
    check(s == 401 and is_error(d, 'unauthorized'), 'POST without token 401')
    s, d, _ = g.call('POST', url, {'issue': 'acme/a#1'},
                     bearer('isgt' + 'A' * 43))
    check(s == 401 and is_error(d), 'POST with an unknown token 401')
    s, d, _ = g.call('POST', url, {'issue': 'acme/a#1'},
                     {'Authorization': 'Basic eDp5'})
    check(s == 401, 'POST with Basic auth 401')
    for body in [b'{', b'[]', b'{"issue": 5}', b'{"issue": null}', b'"x"']:
        s, d, _ = g.call('POST', url, body, bearer(tok))
        check(s == 400 and is_error(d, 'invalid'), f'POST {body!r} 400')
    for ref in ['acme/a#0', 'acme/a#-1', 'acme/a', '-acme/a#1', 'acme/..#1',
                'acme/a#1x', 'https://gitlab.com/a/b/issues/1',
                'https://github.com/a/b/pull/1', 'a/b#99999999999',
                'acme/a b#1', '']:
        s, d, _ = g.call('POST', url, {'issue': ref}, bearer(tok))
        check(s == 400 and is_error(d, 'invalid'), f'POST issue {ref!r} 400')
    s, d, _ = g.call('POST', url, b'{"issue":"' + b'a' * 70000 + b'"}',
                     bearer(tok))
    check(s == 413 and is_error(d, 'too_large'), 'POST over 64 kB 413')


def test_quota_exact(g):
    tok = new_user(f'q{UNIQ}')
    repo = f'q{UNIQ}'

    def submit(n):
        return g.call('POST', '/api/v1/bridges',
                      {'issue': f'acme/{repo}#{n}'}, bearer(tok))

    with cf.ThreadPoolExecutor(32) as ex:
        res = list(ex.map(submit, range(1, 101)))
    acc = [r for r in res if r[0] == 202]
    rej = [r for r in res if r[0] == 429]
    check(len(acc) == 5 and len(rej) == 95,
          f'100 parallel submissions, quota 5: {len(acc)} accepted, '
          f'{len(rej)} refused')
    check(all(int(r[2].get('Retry-After', '0')) > 0 and
              r[1]['quota']['remaining'] == 0 and
              r[1]['quota']['limit'] == 5 for r in rej),
          '429s carry Retry-After and the quota')
    check(all(r[1]['quota_spent'] and r[2].get('Location') for r in acc),
          '202s carry Location and spent the quota')
    s, d, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    check(s == 200 and d['used'] == 5 and d['remaining'] == 0,
          'GET /api/v1/me/quota after spending')
    # Another user submitting an issue already queued is not charged.
    other = new_user(f'o{UNIQ}')
    n = int(acc[0][1]['issue'].split('#')[1])
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#{n}'},
                     bearer(other))
    check(s == 202 and d['quota_spent'] is False,
          'a queued issue is not charged again')
    s, d, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(other))
    check(d['used'] == 0, 'the refund gave the slot back')


def test_events(g, repo):
    """Server-sent events follow a pending bridge until it completes."""
    r = OPENER.open(f'http://127.0.0.1:{g.port}/api/v1/bridges/acme/{repo}'
                    '/2/events', timeout=30)
    check(r.headers.get('Content-Type') == 'text/event-stream',
          'events: text/event-stream')

    def next_event():
        data = None
        while True:
            line = r.readline().decode()
            if not line:
                return None
            if line.startswith('data: '):
                data = json.loads(line[6:])
            elif line == '\n' and data:
                return data

    first = next_event()
    check(first and first['status'] == 'PENDING', 'events: PENDING first')
    bridge = BRIDGE.replace("'", "''")
    psql(f"UPDATE tutorial_contents c SET status = 'COMPLETED', bridge = "
         f"'{bridge}', engine = 'offline', updated_at = now() FROM "
         f"github_issues i, projects p WHERE i.id = c.issue_id AND p.id = "
         f"i.project_id AND p.full_name = 'acme/{repo}' AND "
         f"i.issue_number = 2")
    key = f'is:bridge:acme/{repo}#2'
    subprocess.run(['redis-cli', '-u', REDIS, 'DEL', key], check=True,
                   capture_output=True)
    subprocess.run(['redis-cli', '-u', REDIS, 'PUBLISH',
                    'is:bridge:invalidate', key], check=True,
                   capture_output=True)
    second = next_event()
    check(second and second['status'] == 'COMPLETED',
          'events: COMPLETED after the worker\'s invalidation')
    check(next_event() is None, 'events: the stream ends once completed')
    r.close()


def test_completed_and_reads(g, tok):
    repo = f'c{UNIQ}'
    # The worker's bytes: its own key order and spacing, which jsonb
    # would normalise away.
    worker_text = json.dumps(json.loads(BRIDGE), indent=1)
    archive_bridge(repo, 1, text=worker_text)
    archive_bridge(repo, 2, 'PENDING')
    archive_bridge(repo, 4)  # completed before migration 0003: no text
    archive_bridge(repo, 5, text=worker_text)
    stored = psql(f"SELECT c.bridge_text FROM tutorial_contents c JOIN "
                  f"github_issues i ON i.id = c.issue_id JOIN projects p ON "
                  f"p.id = i.project_id WHERE p.full_name = 'acme/{repo}' "
                  f"AND i.issue_number = 1")
    jsonb4 = psql(f"SELECT c.bridge::text FROM tutorial_contents c JOIN "
                  f"github_issues i ON i.id = c.issue_id JOIN projects p ON "
                  f"p.id = i.project_id WHERE p.full_name = 'acme/{repo}' "
                  f"AND i.issue_number = 4")
    check(stored == worker_text and jsonb4 != worker_text,
          'bridge_text holds the worker bytes, unlike the jsonb')
    before = g.metric('isg_gateway_store_reads_total')
    path = f'/api/v1/bridges/acme/{repo}/1'
    with cf.ThreadPoolExecutor(50) as ex:
        res = list(ex.map(lambda _: g.call('GET', path, raw=True),
                          range(200)))
    check(all(r[0] == 200 for r in res), '200 parallel GETs answered 200')
    check(all(r[1] == stored.encode() for r in res),
          'the bridge bytes are exactly the stored ones')
    import jsonschema
    with open(os.path.join(env('ISG_SOURCE_ROOT'), 'docs',
                           'bridge.schema.json')) as f:
        bschema = json.load(f)
    errs = list(jsonschema.Draft202012Validator(bschema).iter_errors(
        json.loads(res[0][1])))
    check(not errs, 'the served bridge is valid against '
          'docs/bridge.schema.json' + (f': {errs[0].message}' if errs else ''))
    check(g.metric('isg_gateway_store_reads_total') - before == 1,
          '200 parallel cold GETs made one database read')
    etag = res[0][2].get('ETag')
    s4, d4, h4 = g.call('GET', f'/api/v1/bridges/acme/{repo}/4', raw=True)
    check(s4 == 200 and d4 == jsonb4.encode(),
          'a row without bridge_text is served as its jsonb text')
    s5, d5, h5 = g.call('GET', f'/api/v1/bridges/acme/{repo}/5', raw=True)
    check(s5 == 200 and d5 == worker_text.encode() and
          h5.get('ETag') == etag and h4.get('ETag') != etag,
          'the ETag follows the stored bytes (same bytes, same ETag; the '
          'same document as other bytes, another ETag)')
    s, d, _ = g.call('GET', path, headers={'If-None-Match': etag}, raw=True)
    check(s == 304 and d == b'', 'If-None-Match answers 304')
    s, d, h = g.call('GET', path, headers={'Accept': 'text/markdown'},
                     raw=True)
    check(s == 200 and h.get('Content-Type', '').startswith('text/markdown')
          and d.startswith(b'#'), 'Accept: text/markdown gives Markdown')
    s, d, _ = g.call('GET', f'/api/v1/bridges/acme/{repo}/2')
    check(s == 202 and d['status'] == 'PENDING', 'a pending bridge is 202')
    test_events(g, repo)
    s, d, _ = g.call('GET', f'/api/v1/bridges/acme/{repo}/3')
    check(s == 404 and is_error(d, 'not_found'), 'an unknown bridge is 404')
    s, d, _ = g.call('GET', f'/api/v1/bridges/acme/{repo}/0')
    check(s == 400 and is_error(d), 'issue number 0 is 400')
    # A completed bridge unlocks for free.
    s, d, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    used = d['used']
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
                     bearer(tok))
    check(s == 200 and d['status'] == 'COMPLETED' and not d['quota_spent'],
          'POST of a completed issue is 200 without quota')
    t = tasks_of(repo, 1)
    check(len(t) == 1 and 'lock' not in t[0] and t[0].get('requested_by'),
          'a user asking for an offline bridge queues its upgrade to the '
          'model (a task without a lock)')
    g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#1'},
           bearer(tok))
    check(len(tasks_of(repo, 1)) == 1, 'the upgrade is queued once')
    s, d, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    check(d['used'] == used, 'no quota spent on a completed bridge')
    s, d, _ = g.call('GET', '/api/v1/me/tutorials', headers=bearer(tok))
    check(s == 200 and any(t['number'] == 1 for t in d),
          'the unlock is in /api/v1/me/tutorials')
    psql(f"UPDATE github_issues i SET raw_data = '{{\"assignee\": "
         f"{{\"login\": \"zed\"}}, \"assignees\": [{{\"login\": "
         f"\"zed\"}}]}}' FROM projects p WHERE p.id = i.project_id AND "
         f"p.full_name = 'acme/{repo}' AND i.issue_number = 1")
    s, d, _ = g.call('GET', f'/api/v1/issues?project=acme/{repo}')
    fresh = {i['number']: i for i in d['items']}
    check(s == 200 and fresh[1]['assignee'] == 'zed' and
          fresh[1]['assignees'] == ['zed'] and fresh[2]['assignee'] is None
          and fresh[2]['last_activity_at'] and fresh[2]['state'] == 'open',
          'GET /api/v1/issues carries freshness (assignee, last activity, '
          'state)')
    s, d, _ = g.call('GET', f'/api/v1/issues?project=acme/{repo}&limit=1')
    check(s == 200 and len(d['items']) == 1 and d['next_cursor'],
          'GET /api/v1/issues pages with a cursor')
    s, d2, _ = g.call('GET', f'/api/v1/issues?project=acme/{repo}&limit=1'
                      f'&cursor={d["next_cursor"]}')
    check(s == 200 and d2['items'][0]['id'] != d['items'][0]['id'],
          'the next page holds the next issue')
    s, d, _ = g.call('GET', '/api/v1/issues?junior_friendly=maybe')
    check(s == 400 and is_error(d), 'a bad filter is 400')
    s, d, _ = g.call('GET', '/api/v1/issues?cursor=zz')
    check(s == 400 and is_error(d), 'a bad cursor is 400')
    s, d, _ = g.call('GET', '/api/v1/projects')
    check(s == 200 and any(p['full_name'] == f'acme/{repo}' for p in d),
          'GET /api/v1/projects')
    s, d, _ = g.call('GET', '/api/v1/concepts')
    check(s == 200 and len(d['concepts']) > 3, 'GET /api/v1/concepts')
    s, d, _ = g.call('GET', '/api/v1/concepts/concurrency')
    check(s == 200 and d['concept']['slug'] == 'concurrency' and
          'items' in d['issues'], 'GET /api/v1/concepts/{slug}')
    s, tree, _ = g.call('GET', '/api/v1/concepts')
    root = next(c for c in tree['concepts'] if c['children'])
    child = root['children'][0]
    s, d, _ = g.call('GET', f'/api/v1/concepts/{child["slug"]}')
    check(s == 200 and d['concept']['parent'] == {
        'slug': root['slug'], 'name': root['name']} and
          root['slug'] in [p['slug'] for p in d['concept']['parents']] and
          d['concept']['description'],
          'GET /api/v1/concepts/{slug} names its parent and description')
    s, d, _ = g.call('GET', f'/api/v1/concepts/{root["slug"]}')
    check(s == 200 and d['concept']['parent'] is None and
          d['concept']['parents'] == [] and d['concept']['children'],
          'a root concept has no parent, and its children')
    s, d, _ = g.call('GET', '/api/v1/concepts/no-such-concept')
    check(s == 404 and is_error(d), 'an unknown concept is 404')


def test_me_and_tokens(g, tok):
    s, d, _ = g.call('GET', '/api/v1/me', headers=bearer(tok))
    check(s == 200 and d['login'] == f'u{UNIQ}' and not d['is_admin'],
          'GET /api/v1/me')
    s, d, _ = g.call('GET', '/api/v1/me')
    check(s == 401 and is_error(d), 'GET /api/v1/me without token 401')
    s, d, _ = g.call('POST', '/api/v1/me/tokens', b'', bearer(tok))
    check(s == 201 and d['token'].startswith('isgt'), 'create a token 201')
    new = d
    s, d, _ = g.call('GET', '/api/v1/me/tokens', headers=bearer(tok))
    check(s == 200 and any(t['id'] == new['id'] for t in d) and
          new['token'] not in json.dumps(d), 'list tokens without secrets')
    s, d, _ = g.call('DELETE', f'/api/v1/me/tokens/{new["id"]}',
                     headers=bearer(tok))
    check(s == 204, 'revoke a token 204')
    s, d, _ = g.call('GET', '/api/v1/me', headers=bearer(new['token']))
    check(s == 401, 'a revoked token is refused')
    s, d, _ = g.call('DELETE', f'/api/v1/me/tokens/{new["id"]}',
                     headers=bearer(tok))
    check(s == 404 and is_error(d), 'revoking twice is 404')
    admin = new_user(f'a{UNIQ}', admin=True)
    s, d, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(admin))
    check(s == 200 and d['exempt'] is True, 'admins are exempt')
    body = {'project': f'acme/c{UNIQ}'}
    s, d, _ = g.call('POST', '/api/v1/projects', body, bearer(tok))
    check(s == 403 and is_error(d, 'forbidden'), 'only admins track')
    s, d, _ = g.call('POST', '/api/v1/projects', body, bearer(admin))
    check(s == 200 and d['tracked'], 'an admin tracks a project')
    s, d, _ = g.call('GET', '/api/v1/projects')
    check(any(p['full_name'] == f'acme/c{UNIQ}' and p['tracked'] for p in d),
          'the project is listed as tracked')
    s, d, _ = g.call('POST', '/api/v1/projects', {'project': 'a/b/c'},
                     bearer(admin))
    check(s == 400 and is_error(d), 'a malformed project is 400')
    s, d, _ = g.call('POST', '/api/v1/projects', {'project': 'nobody/none'},
                     bearer(admin))
    check(s == 503 and is_error(d), 'an unknown project with GitHub down '
          'is 503')



def archive_issue(repo, number, minutes_ago, pr=False):
    """A project and one issue (no bridge), last active `minutes_ago`."""
    gid = random.randint(1, 10**12)
    psql(f"INSERT INTO projects (gh_repo_id, owner, name, full_name) VALUES "
         f"({gid}, 'acme', '{repo}', 'acme/{repo}') "
         f"ON CONFLICT (full_name) DO NOTHING")
    psql(f"INSERT INTO github_issues (project_id, gh_issue_id, issue_number,"
         f" title, state, is_pull_request, gh_updated_at) SELECT id, "
         f"{gid + number}, {number}, 't', 'open', {str(pr).lower()}, "
         f"now() - interval '{minutes_ago} minutes' FROM projects WHERE "
         f"full_name = 'acme/{repo}'")


def numbers(doc):
    return sorted(i['number'] for i in doc['items'])


def test_headers(g, tok, repo):
    """The header parsers end to end: If-None-Match lists, weak tags and
    *; Accept with q-values and parameters; the Bearer scheme in any case
    (unit cases: tests/unit/test_gw_header.c)."""
    path = f'/api/v1/bridges/acme/{repo}/1'
    s, _, h = g.call('GET', path, raw=True)
    etag = h.get('ETag', '')
    check(s == 200 and h.get('Vary') == 'Accept',
          'a bridge read says Vary: Accept')
    for inm, want in [(f'"x", {etag}', 304), (f'W/{etag}', 304),
                      ('*', 304), (f' "x" ,W/"y"', 200),
                      (etag[:-2] + '"', 200), (etag[1:-1], 200)]:
        s, d, _ = g.call('GET', path, headers={'If-None-Match': inm},
                         raw=True)
        check(s == want and (s == 200) == bool(d),
              f'If-None-Match: {inm} -> {want}')
    for accept, md in [('text/markdown;q=0, application/json', False),
                       ('application/json;q=0.5, text/markdown', True),
                       ('text/markdown;q=0.5, application/json', False),
                       ('text/markdown; charset=utf-8', True),
                       ('text/*, application/json;q=0.9', True),
                       ('*/*', False), ('image/png', False)]:
        s, d, h = g.call('GET', path, headers={'Accept': accept}, raw=True)
        got = h.get('Content-Type', '').startswith('text/markdown')
        check(s == 200 and got == md,
              f'Accept: {accept} -> {"Markdown" if md else "JSON"}')
    for scheme in ['bearer', 'BEARER', 'Bearer']:
        s, d, _ = g.call('GET', '/api/v1/me',
                         headers={'Authorization': f'{scheme}  {tok} '})
        check(s == 200, f'Authorization: {scheme} TOKEN (any case) 200')
    for bad in [f'Bearer {tok} x', f'Bearer{tok}', 'Bearer ']:
        s, d, _ = g.call('GET', '/api/v1/me', headers={'Authorization': bad})
        check(s == 401 and is_error(d, 'unauthorized'),
              f'Authorization: {bad[:12]}... 401')


def cli_users(*args):
    return subprocess.run([CLI, 'users', *args], env=settings(),
                          capture_output=True, text=True)


def test_cli_tokens(g):
    """issuesight users token / list / revoke against a live gateway."""
    login = f'cli{UNIQ}'
    first = new_user(login)
    before = {t['id'] for t in json.loads(cli_users('list').stdout)['tokens']}
    r = cli_users('token', login)
    second = r.stdout.strip().splitlines()[-1]
    listed = cli_users('list').stdout
    lst = json.loads(listed)
    new = [t['id'] for t in lst['tokens'] if t['id'] not in before]
    check(r.returncode == 0 and second.startswith('isgt') and
          len(new) == 1 and any(u['login'] == login for u in lst['users'])
          and first not in listed and second not in listed,
          'users token prints a new token; users list shows it, no secret')
    for t in (first, second):
        s, d, _ = g.call('GET', '/api/v1/me', headers=bearer(t))
        check(s == 200 and d['login'] == login,
              'a token of the command line signs in')
    r = cli_users('revoke', new[0] if new else 'none')
    check(r.returncode == 0, 'users revoke TOKEN_ID')
    s, d, _ = g.call('GET', '/api/v1/me', headers=bearer(second))
    check(s == 401 and is_error(d, 'unauthorized'),
          'a token revoked on the command line gets 401')
    s, d, _ = g.call('GET', '/api/v1/me', headers=bearer(first))
    check(s == 200, 'the other token of the user still works')
    r = cli_users('revoke', new[0] if new else 'none')
    r2 = cli_users('token', f'nobody{UNIQ}')
    check(r.returncode != 0 and r2.returncode != 0 and
          not r2.stdout.strip(),
          'revoking twice, or a token for no user, fails')


def test_discovery(g, tok):
    """GET /api/v1/projects/{o}/{r} and the discovery filters: project,
    junior_friendly, difficulty, concept (through the project), language,
    keyset pages that stay stable while new activity arrives; a pull
    request is not an issue."""
    repo = f'disc{UNIQ}'
    for n in range(1, 6):
        archive_issue(repo, n, 10 * n)
    where = (f"FROM projects p WHERE p.id = i.project_id AND p.full_name = "
             f"'acme/{repo}' AND i.issue_number")
    psql(f"UPDATE github_issues i SET junior_friendly = true, difficulty = "
         f"'beginner' {where} IN (1, 2)")
    psql(f"UPDATE github_issues i SET junior_friendly = false, difficulty = "
         f"'advanced' {where} = 3")
    psql(f"UPDATE projects SET language = 'Rust' WHERE full_name = "
         f"'acme/{repo}'")
    slug = f'disc-{UNIQ}'
    psql(f"INSERT INTO concepts (slug, name) VALUES ('{slug}', 'x')")
    psql(f"INSERT INTO project_concepts (project_id, concept_id, confidence)"
         f" SELECT p.id, c.id, 0.5 FROM projects p, concepts c WHERE "
         f"p.full_name = 'acme/{repo}' AND c.slug = '{slug}'")
    s, d, _ = g.call('GET', f'/api/v1/projects/acme/{repo}')
    check(s == 200 and d['project']['full_name'] == f'acme/{repo}' and
          numbers(d['issues']) == [1, 2, 3, 4, 5],
          'GET /api/v1/projects/{owner}/{repo}: the project and its issues')
    s, d, _ = g.call('GET', f'/api/v1/projects/ACME/{repo.upper()}')
    check(s == 200 and d['project']['full_name'] == f'acme/{repo}',
          'a project is found by its name in any case')
    s, d, _ = g.call('GET', f'/api/v1/projects/acme/none{UNIQ}')
    check(s == 404 and is_error(d, 'not_found'), 'an unknown project 404')
    q = f'/api/v1/issues?project=acme/{repo}'
    for extra, want in [('&junior_friendly=true', [1, 2]),
                        ('&junior_friendly=false', [3]),
                        ('&difficulty=beginner', [1, 2]),
                        ('&difficulty=advanced&junior_friendly=false', [3]),
                        (f'&concept={slug}', [1, 2, 3, 4, 5]),
                        ('&concept=no-such-concept', []),
                        ('&language=rust', [1, 2, 3, 4, 5]),
                        ('&language=Go', [])]:
        s, d, _ = g.call('GET', q + extra)
        check(s == 200 and numbers(d) == want, f'issues{extra}: {want}')
    s, d, _ = g.call('GET', '/api/v1/issues?language=RUST&limit=200')
    check(s == 200 and d['items'] and
          all(i['project'] == f'acme/{repo}' for i in d['items']),
          'language alone selects the projects in that language')
    s, d, _ = g.call('GET', '/api/v1/issues?difficulty=hard')
    check(s == 400 and is_error(d, 'invalid'), 'an unknown difficulty 400')
    # Keyset pages: newer activity arriving between pages (a new issue, an
    # old one touched) never repeats or hides one of the first listing.
    s, p1, _ = g.call('GET', q + '&limit=2')
    archive_issue(repo, 6, 0)
    psql(f"UPDATE github_issues i SET gh_updated_at = now() {where} = 5")
    seen, cur = [i['number'] for i in p1['items']], p1['next_cursor']
    while cur:
        s, p, _ = g.call('GET', q + f'&limit=2&cursor={cur}')
        seen += [i['number'] for i in p['items']]
        cur = p['next_cursor']
    check(seen[:2] == [1, 2] and sorted(seen) == [1, 2, 3, 4] and
          len(seen) == len(set(seen)),
          f'keyset pages under new activity: no repeat, no gap ({seen}; '
          'the touched #5 moved ahead of the cursor)')
    # A pull request archived as such is refused before any quota.
    archive_issue(repo, 7, 1, pr=True)
    _, qa, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#7'},
                     bearer(tok))
    _, qb, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    check(s == 400 and is_error(d, 'pull_request') and
          'pull request' in d['error']['message'] and
          qa['used'] == qb['used'] and content_status(repo, 7) == '',
          'a pull request is refused with 400, no quota, no PENDING row')
    s, d, _ = g.call('GET', q)
    check(7 not in numbers(d), 'discovery lists no pull request')


def raw_status(port, data):
    """The status code and body the gateway answers to raw request bytes
    (sent with Connection: close)."""
    with socket.create_connection(('127.0.0.1', port), timeout=10) as c:
        c.sendall(data)
        resp = b''
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            resp += chunk
    head, _, body = resp.partition(b'\r\n\r\n')
    return (int(head.split()[1]) if head else 0), body


def test_limits():
    """The anonymous per-IP rate limit (a made-up token does not lift it,
    a real one does) and the request header size cap."""
    g = Gateway(GATEWAY_ANON_RATE_PER_MIN='5',
                GATEWAY_REQUEST_TIMEOUT_MS='500')
    if time.time() % 60 > 45:  # one fixed window for the whole check
        time.sleep(61 - time.time() % 60)
    res = [g.call('GET', '/api/v1/projects')[0] for _ in range(5)]
    s, d, h = g.call('GET', '/api/v1/projects')
    check(res == [200] * 5 and s == 429 and is_error(d, 'rate_limited') and
          0 < int(h.get('Retry-After', '0')) <= 60,
          'the 6th anonymous request in a minute is 429 with Retry-After')
    s, d, _ = g.call('GET', '/api/v1/concepts',
                     headers=bearer('isgt' + 'A' * 43))
    check(s == 429, 'a made-up token does not lift the anonymous limit')
    tok = new_user(f'rl{UNIQ}')
    s, d, _ = g.call('GET', '/api/v1/concepts', headers=bearer(tok))
    check(s == 200, 'a valid token is not limited per address')
    s, d, _ = g.call('GET', '/healthz')
    check(s == 200, '/healthz is never rate-limited')
    small = (b'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
             b'X-Pad: ' + b'a' * 8000 + b'\r\n\r\n')
    big = small.replace(b'a' * 8000, b'a' * 20000)
    check(raw_status(g.port, small)[0] == 200, 'an 8 kB header is served')
    st, body = raw_status(g.port, big)
    check(st == 400 and is_error(json.loads(body or '{}'), 'bad_request'),
          f'a 20 kB request head is refused with a JSON 400 ({st})')
    st, body = raw_status(g.port, b'GARBAGE\r\n\r\n')
    check(st == 400 and is_error(json.loads(body or '{}'), 'bad_request'),
          f'a malformed request line is a JSON 400 ({st})')
    check(g.call('GET', '/healthz')[0] == 200,
          'the gateway serves on after an oversized header')
    # GATEWAY_REQUEST_TIMEOUT_MS: a request head that never ends is cut.
    t0 = time.time()
    with socket.create_connection(('127.0.0.1', g.port), timeout=10) as c:
        c.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n')
        try:
            while c.recv(4096):
                pass
            closed = True
        except socket.timeout:
            closed = False
    check(closed and time.time() - t0 < 5,
          f'a stalled request head is closed ({time.time() - t0:.1f} s)')
    g.stop()


def metrics_of(g):
    """The Prometheus text as {name{labels}: value}."""
    _, text, h = g.call('GET', '/metrics', raw=True)
    out = {}
    for line in text.decode().splitlines():
        if line and not line.startswith('#'):
            k, v = line.rsplit(' ', 1)
            out[k] = float(v)
    return out, h


def test_metrics(g):
    """/metrics after the tests above: requests by route and status, the
    latency histogram, cache hits by tier, quota rejections, stream lag."""
    stream = f'gw{UNIQ}:tasks'
    redis_cli('XGROUP', 'CREATE', stream, 'collectors', '0', 'MKSTREAM')
    m, h = metrics_of(g)
    req = {k: v for k, v in m.items()
           if k.startswith('isg_gateway_requests_total{')}
    b = [v for k, v in m.items()
         if k.startswith('isg_gateway_request_seconds_bucket{')]
    check(h.get('Content-Type', '').startswith('text/plain') and
          m.get('isg_gateway_requests_total{route="bridge",status="2xx"}',
                0) >= 200 and
          m.get('isg_gateway_requests_total{route="submit",status="4xx"}',
                0) >= 95, 'metrics: requests by route and status class')
    check(len(b) == 12 and b == sorted(b) and
          b[-1] == m['isg_gateway_request_seconds_count'] ==
          sum(req.values()) and m['isg_gateway_request_seconds_sum'] > 0,
          'metrics: a cumulative latency histogram counting every request')
    check(m.get('isg_gateway_cache_hits_total{tier="memory"}', 0) > 0 and
          'isg_gateway_cache_hits_total{tier="redis"}' in m and
          m.get('isg_gateway_store_reads_total', 0) > 0,
          'metrics: cache hits by tier and store reads')
    check(m.get('isg_gateway_quota_rejections_total') == 95,
          'metrics: the 95 quota rejections')
    xlen = int(redis_cli('XLEN', stream))
    check(xlen > 0 and
          m.get('isg_gateway_stream_lag{stream="tasks"}') == xlen,
          'metrics: the task stream lag (every queued task undelivered)')


def test_access_log(path, secrets):
    """The access log: one JSON line per request, without query strings,
    tokens, cookies or CSRF tokens."""
    lines = [json.loads(x) for x in open(path) if x.startswith('{')]
    acc = [x for x in lines if x.get('module') == 'access']
    text = open(path).read()
    check(len(acc) > 300 and all(
        set(x) >= {'method', 'path', 'status', 'ms', 'ip', 'user'}
        for x in acc), f'access log: {len(acc)} JSON lines')
    check(not any('?' in x['path'] for x in acc) and
          any(x['path'].startswith('/api/v1/auth/github/callback')
              for x in acc), 'access log: paths without query strings')
    leaked = [s for s in secrets if s and s in text]
    check(secrets and not leaked and 'isgt' not in text and
          'isgc' not in text and 'isgs' not in text,
          f'access log: no secret among {len(secrets)} used ({len(leaked)})')

def cookie_of(hdrs):
    c = hdrs.get('Set-Cookie', '')
    SECRETS.append(c.split(';')[0].partition('=')[2])
    return c.split(';')[0]


def oauth_sign_in(g, provider, who):
    """Runs the browser's part; returns (callback answer, callback URL)."""
    s, _, h = g.call('GET', f'/api/v1/auth/{provider}/login?return_to=/me')
    loc = h.get('Location', '')
    if s != 302 or 'code_challenge_method=S256' not in loc:
        return (s, None, h), None
    try:
        OPENER.open(loc + f'&login_as={who}', timeout=10)
        return (0, None, {}), None
    except urllib.error.HTTPError as e:
        cb = e.headers['Location']
    path = cb.split(f':{g.port}', 1)[1]
    return g.call('GET', path), path


def test_oauth(g):
    (s, _, h), cb = oauth_sign_in(g, 'github', 'octo')
    cookie = cookie_of(h)
    check(s == 302 and h.get('Location') == '/me' and 'HttpOnly' in
          h.get('Set-Cookie', '') and 'SameSite=Lax' in h.get('Set-Cookie', ''),
          'GitHub sign-in: callback sets the session cookie')
    s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': cookie})
    check(s == 200 and d['login'] == 'octo' and d['email'] ==
          'octo@example.org', 'GitHub sign-in: the session is the user')
    s, d, _ = g.call('GET', cb)
    check(s == 400 and is_error(d, 'invalid_state'),
          'a replayed state is refused')
    s, d, _ = g.call('GET', '/api/v1/auth/github/callback?code=x&state=nope')
    check(s == 400 and is_error(d, 'invalid_state'), 'a wrong state is refused')
    s, d, h = g.call('GET', '/api/v1/auth/github/login')
    state = urllib.parse.parse_qs(urllib.parse.urlparse(
        h['Location']).query)['state'][0]
    s, d, _ = g.call('GET', '/api/v1/auth/github/callback?code=bogus&state='
                     + state)
    check(s == 502 and is_error(d, 'oauth_exchange_failed'),
          'a failed code exchange is a clear 502')
    s, d, _ = g.call('GET', '/api/v1/auth/gitlab/login')
    check(s == 404 and is_error(d), 'an unknown provider is 404')
    s, sess, _ = g.call('GET', '/api/v1/auth/session',
                        headers={'Cookie': cookie})
    check(s == 200 and sess['csrf'].startswith('isgc'), 'the session CSRF')
    SECRETS.append(sess['csrf'])
    s, d, _ = g.call('GET', '/api/v1/me',
                     headers={'Cookie': f'a=1; {cookie} ; b="2"'})
    check(s == 200 and d['login'] == 'octo',
          'the session cookie is found among others')
    for bad in ['x' + cookie, cookie.replace('=', 'x=', 1),
                cookie.split('=')[0] + '=']:
        s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': bad})
        check(s == 401 and is_error(d), f'Cookie {bad[:14]}... is no session')
    body = {'issue': f'acme/o{UNIQ}#1'}
    s, d, _ = g.call('POST', '/api/v1/bridges', body, {'Cookie': cookie})
    check(s == 403 and is_error(d, 'csrf'), 'a cookie change needs CSRF')
    s, d, _ = g.call('POST', '/api/v1/bridges', body,
                     {'Cookie': cookie, 'X-CSRF-Token': sess['csrf']})
    check(s == 202, 'a cookie change with CSRF is accepted')
    # Google: a verified address links to the existing account.
    subprocess.run([CLI, 'users', 'add', f'mona{UNIQ}', '--email',
                    'mona@example.org'], env=settings(), check=True,
                   capture_output=True)
    (s, _, h), _ = oauth_sign_in(g, 'google', 'mona')
    gcookie = cookie_of(h)
    s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': gcookie})
    check(s == 200 and d['login'] == f'mona{UNIQ}',
          'Google sign-in links by a verified e-mail')
    (s, _, h), _ = oauth_sign_in(g, 'google', 'eve')
    s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': cookie_of(h)})
    check(s == 200 and d['login'] != f'mona{UNIQ}' and
          d['email'] != 'mona@example.org',
          'an unverified e-mail links to no one')
    s, d, _ = g.call('POST', '/api/v1/auth/logout', b'',
                     {'Cookie': gcookie})
    check(s == 403, 'logout needs CSRF')
    s, gs, _ = g.call('GET', '/api/v1/auth/session',
                      headers={'Cookie': gcookie})
    s, d, _ = g.call('POST', '/api/v1/auth/logout', b'',
                     {'Cookie': gcookie, 'X-CSRF-Token': gs['csrf']})
    check(s == 204, 'logout 204')
    s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': gcookie})
    check(s == 401 and is_error(d), 'after logout the session is gone')


def csp_hashes(html):
    import base64
    import hashlib
    import re
    out = []
    for m in re.finditer(r'<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)</script>',
                         html):
        d = hashlib.sha256(m.group(1).encode()).digest()
        out.append("'sha256-" + base64.b64encode(d).decode() + "'")
    return out


def test_web():
    """The web export (tests/data/web, a tiny fixture) served from WEB_ROOT."""
    root = os.path.join(env('ISG_SOURCE_ROOT'), 'tests', 'data', 'web')
    g = Gateway(WEB_ROOT=root)
    s, d, h = g.call('GET', '/', raw=True)
    csp = h.get('Content-Security-Policy', '')
    want = csp_hashes(d.decode())
    check(s == 200 and h.get('Content-Type', '').startswith('text/html') and
          len(want) == 2 and all(x in csp for x in want) and
          'unsafe-inline' not in csp and "frame-ancestors 'none'" in csp,
          'web: / with its inline scripts allowed by SHA-256 only')
    s, d, h = g.call('GET', '/octocat/hello-world/issues/42', raw=True)
    check(s == 200 and b'bridge shell' in d and
          all(x in h['Content-Security-Policy'] for x in
              csp_hashes(d.decode())),
          'web: /{owner}/{repo}/issues/{n} serves bridge.html')
    s, d, _ = g.call('GET', '/concepts', raw=True)
    check(s == 200 and b'Concepts' in d, 'web: /concepts')
    s, d, h = g.call('GET', '/_next/static/chunks/app.js', raw=True)
    check(s == 200 and d == b'console.log("app");\n' and
          'immutable' in h.get('Cache-Control', '') and
          h.get('Content-Type') == 'text/javascript', 'web: /_next/ assets')
    for path in ['/_next/../index.html', '/_next/static/nope.js',
                 '/_next/.hidden', '/nope/x']:
        s, d, _ = g.call('GET', path, raw=True)
        check(s == 404, f'web: {path} is 404')
    s, d, _ = g.call('GET', '/nope/x', raw=True)
    check(b'Not found' in d, 'web: unknown pages get 404.html')
    s, d, _ = g.call('GET', '/api/v1/nope')
    check(s == 404 and is_error(d), 'web: unknown API paths stay JSON')
    s, d, _ = g.call('GET', '/healthz')
    check(s == 200, 'web: the API still answers')
    g.stop()


def bson_encode(doc):
    """A BSON document of str, int, bool and dict values."""
    import struct
    out = b''
    for k, v in doc.items():
        name = k.encode() + b'\0'
        if isinstance(v, bool):
            out += b'\x08' + name + (b'\1' if v else b'\0')
        elif isinstance(v, int):
            out += b'\x10' + name + struct.pack('<i', v)
        elif isinstance(v, str):
            b = v.encode() + b'\0'
            out += b'\x02' + name + struct.pack('<i', len(b)) + b
        else:
            out += b'\x03' + name + bson_encode(v)
    return struct.pack('<i', len(out) + 5) + out + b'\0'


def bson_number(data, want):
    """The value of top-level number field `want` of a BSON document."""
    import struct
    i, end = 4, struct.unpack_from('<i', data)[0] - 1
    fixed = {0x01: 8, 0x07: 12, 0x08: 1, 0x09: 8, 0x0A: 0, 0x10: 4,
             0x11: 8, 0x12: 8}
    while i < end:
        t = data[i]
        j = data.index(b'\0', i + 1)
        name, i = data[i + 1:j].decode(), j + 1
        if name == want:
            return (struct.unpack_from('<d', data, i)[0] if t == 0x01 else
                    struct.unpack_from('<i' if t == 0x10 else '<q',
                                       data, i)[0])
        if t in fixed:
            i += fixed[t]
        elif t in (0x02, 0x0D, 0x0E):
            i += 4 + struct.unpack_from('<i', data, i)[0]
        elif t in (0x03, 0x04):
            i += struct.unpack_from('<i', data, i)[0]
        elif t == 0x05:
            i += 5 + struct.unpack_from('<i', data, i)[0]
        else:
            raise ValueError(f'BSON type {t} in the reply')
    return None


def mongo_count(uri, db, coll):
    """Documents in a collection, asked with one OP_MSG `count` (no
    driver needed: the test speaks the wire protocol itself)."""
    import struct
    host, port = uri.split('//', 1)[1].split('/')[0].split(':')
    body = (struct.pack('<I', 0) + b'\0' +
            bson_encode({'count': coll, 'query': {}, '$db': db}))
    msg = struct.pack('<iiii', 16 + len(body), 1, 0, 2013) + body
    with socket.create_connection((host, int(port)), timeout=10) as c:
        c.sendall(msg)
        data = b''
        while len(data) < 4 or len(data) < struct.unpack_from('<i', data)[0]:
            chunk = c.recv(65536)
            if not chunk:
                raise OSError('the MongoDB-wire server closed')
            data += chunk
    doc = data[21:]  # header 16, flags 4, section kind 1
    if bson_number(doc, 'ok') != 1:
        raise RuntimeError('count failed')
    return int(bson_number(doc, 'n'))


def test_session_expiry():
    """SESSION_TTL_S=2: a session past it is refused with 401 and its
    document is deleted (the MongoDB-wire server has no TTL index)."""
    mdb = f'{DB}x'
    g = Gateway(SESSION_TTL_S='2', SESSION_COOKIE_SECURE='true',
                MONGODB_URI=MONGO.rstrip('/') + '/' + mdb)
    (s, _, h), _ = oauth_sign_in(g, 'github', 'octo')
    cookie = cookie_of(h)
    attrs = [a.strip() for a in h.get('Set-Cookie', '').split(';')]
    check({'HttpOnly', 'Secure', 'SameSite=Lax'} <= set(attrs),
          'the session cookie is HttpOnly; Secure; SameSite=Lax')
    s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': cookie})
    check(s == 200 and mongo_count(MONGO, mdb, 'sessions') == 1,
          'a 2 s session works and is one document')
    time.sleep(3)
    s, d, _ = g.call('GET', '/api/v1/me', headers={'Cookie': cookie})
    check(s == 401 and is_error(d, 'unauthorized'),
          'after SESSION_TTL_S the session is refused with 401')
    check(mongo_count(MONGO, mdb, 'sessions') == 0,
          'the expired session document was swept')
    g.stop()


SERVICES = []  # private servers' processes, killed at the end whatever


class Service:
    """A private redis-server or FerretDB that a test stops and restarts on
    the same port (and, for FerretDB, the same data)."""

    def __init__(self, kind, tmp):
        self.kind, self.port, self.proc = kind, free_port(), None
        self.dir = os.path.join(tmp, f'{kind}{self.port}')
        os.makedirs(self.dir, exist_ok=True)
        self.url = (f'redis://127.0.0.1:{self.port}/0' if kind == 'redis'
                    else f'mongodb://127.0.0.1:{self.port}/')
        self.start()

    def start(self):
        if self.kind == 'redis':
            cmd = ['redis-server', '--port', str(self.port), '--bind',
                   '127.0.0.1', '--save', '', '--appendonly', 'no',
                   '--dir', self.dir]
        else:
            cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(
                os.environ.get('HOME', '/root'), '.cache')
            cmd = [os.path.join(cache, 'issuesight', 'ferretdb-v1.24.2',
                                'ferretdb'), '--handler=sqlite',
                   f'--sqlite-url=file:{self.dir}/',
                   f'--listen-addr=127.0.0.1:{self.port}', '--state-dir=-',
                   '--debug-addr=-', '--telemetry=disable',
                   '--log-level=error']
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        SERVICES.append(self.proc)
        for _ in range(300):
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f'{self.kind} did not start')

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def wait_for(what, fn, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        if fn():
            return True
        time.sleep(0.25)
    print(f'(gave up waiting: {what})', flush=True)
    return False


def test_redis_outage(tmp):
    """A real Redis stops under the gateway: reads come from PostgreSQL;
    it comes back: reads return to the cache, submissions work again."""
    repo = f'd{UNIQ}'
    for n in (1, 2, 3):
        archive_bridge(repo, n)
    rs = Service('redis', tmp)
    g = Gateway(REDIS_URL=rs.url)
    tok = new_user(f'rd{UNIQ}')
    path = f'/api/v1/bridges/acme/{repo}/'
    check(wait_for('redis subscription', lambda: g.call(
        'GET', '/readyz')[0] == 200), 'Redis up: /readyz 200')
    s, _, _ = g.call('GET', path + '1')
    check(s == 200, 'Redis up: a bridge is served')
    rs.stop()
    check(wait_for('/readyz 503', lambda: g.call('GET', '/readyz')[0] == 503),
          'Redis stopped: /readyz says so')
    before = (g.metric('isg_gateway_store_reads_total'),
              g.metric('isg_gateway_degraded_reads_total'))
    res = [g.call('GET', path + n) for n in ('1', '2')]
    check(all(r[0] == 200 and r[1]['schema_version'] == '1.0' for r in res),
          'Redis stopped: bridges are read from PostgreSQL')
    check(g.metric('isg_gateway_store_reads_total') - before[0] >= 2 and
          g.metric('isg_gateway_degraded_reads_total') - before[1] >= 2,
          'Redis stopped: the reads are database reads, counted degraded')
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#9'},
                     bearer(tok))
    check(s == 503 and is_error(d, 'unavailable'),
          'Redis stopped: a submission cannot be queued: 503')
    s, q, _ = g.call('GET', '/api/v1/me/quota', headers=bearer(tok))
    check(q['used'] == 0, 'Redis stopped: the failed submission was refunded')
    rs.start()
    check(wait_for('/readyz 200', lambda: g.call('GET', '/readyz')[0] == 200),
          'Redis back: /readyz 200 (subscribed again)')
    g.call('GET', path + '3')  # fills the caches
    hits = (g.metric('isg_gateway_store_reads_total'),
            g.metric('isg_gateway_degraded_reads_total'))
    res = [g.call('GET', path + '3') for _ in range(5)]
    check(all(r[0] == 200 for r in res) and
          g.metric('isg_gateway_store_reads_total') == hits[0] and
          g.metric('isg_gateway_degraded_reads_total') == hits[1],
          'Redis back: reads are served from the cache again')
    check(wait_for('a submission', lambda: g.call(
        'POST', '/api/v1/bridges', {'issue': f'acme/{repo}#9'},
        bearer(tok))[0] == 202, 15),
          'Redis back: submissions work again')
    g.stop()
    rs.stop()


def test_mongo_outage(tmp):
    """A real MongoDB-wire server stops under the gateway: sign-in and
    submissions fail closed with 503, public reads are still served; it
    comes back: both work again."""
    repo = f'm{UNIQ}'
    archive_bridge(repo, 1)
    ms = Service('mongo', tmp)
    murl = ms.url + DB
    out = subprocess.run([CLI, 'users', 'add', f'm{UNIQ}'],
                         env=settings(MONGODB_URI=murl), check=True,
                         capture_output=True, text=True).stdout
    tok = out.strip().splitlines()[-1]
    g = Gateway(MONGODB_URI=murl)
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#2'},
                     bearer(tok))
    check(s == 202, 'MongoDB up: a submission is accepted')
    ms.stop()
    t0 = time.time()
    s, d, _ = g.call('POST', '/api/v1/bridges', {'issue': f'acme/{repo}#3'},
                     bearer(tok))
    check(s == 503 and is_error(d, 'unavailable'),
          'MongoDB stopped: a submission is 503')
    check(time.time() - t0 < 10, 'MongoDB stopped: the 503 comes fast')
    s, d, _ = g.call('GET', f'/api/v1/bridges/acme/{repo}/1')
    check(s == 200 and d['schema_version'] == '1.0',
          'MongoDB stopped: public reads are served')
    s, d, _ = g.call('GET', '/api/v1/auth/github/login')
    check(s == 503 and is_error(d, 'unavailable'),
          'MongoDB stopped: sign-in is 503')
    s, d, _ = g.call('GET', '/api/v1/me', headers=bearer(tok))
    check(s == 503 and is_error(d, 'unavailable'),
          'MongoDB stopped: token checks fail closed with 503')
    s, d, _ = g.call('GET', '/readyz')
    check(s == 503 and d['mongodb'] is False, 'MongoDB stopped: /readyz 503')
    ms.start()
    check(wait_for('a submission', lambda: g.call(
        'POST', '/api/v1/bridges', {'issue': f'acme/{repo}#3'},
        bearer(tok))[0] == 202),
          'MongoDB back: submissions work again (the token kept)')
    s, d, h = g.call('GET', '/api/v1/auth/github/login')
    check(s == 302 and h.get('Location', '').startswith(
        OAUTH['GITHUB_OAUTH_AUTHORIZE_URL']), 'MongoDB back: sign-in works')
    s, d, _ = g.call('GET', '/readyz')
    check(s == 200, 'MongoDB back: /readyz 200')
    g.stop()
    ms.stop()


def main():
    global SPEC
    import yaml
    with open(os.path.join(env('ISG_SOURCE_ROOT'), 'docs',
                           'openapi.yaml')) as f:
        SPEC = yaml.safe_load(f)
    # The checker must be able to fail.
    check_openapi('GET', '/api/v1/me/quota', 200, {'used': -1})
    print('(the failure above is expected)')
    check(len(FAILS) == 1, 'the OpenAPI check rejects a wrong answer')
    FAILS.clear()
    fake = subprocess.Popen(
        [sys.executable, os.path.join(env('ISG_SOURCE_ROOT'), 'tests',
                                      'fakes', 'fake_oauth.py'),
         'cid', 'csecret'], stdout=subprocess.PIPE, text=True)
    base = 'http://127.0.0.1:' + fake.stdout.readline().split()[1]
    OAUTH.update(GITHUB_OAUTH_CLIENT_ID='cid',
                 GITHUB_OAUTH_CLIENT_SECRET='csecret',
                 GITHUB_OAUTH_AUTHORIZE_URL=base + '/authorize',
                 GITHUB_OAUTH_TOKEN_URL=base + '/token',
                 GITHUB_OAUTH_USER_URL=base,
                 GOOGLE_OAUTH_CLIENT_ID='cid',
                 GOOGLE_OAUTH_CLIENT_SECRET='csecret',
                 GOOGLE_OAUTH_AUTHORIZE_URL=base + '/authorize',
                 GOOGLE_OAUTH_TOKEN_URL=base + '/token',
                 GOOGLE_OAUTH_USERINFO_URL=base + '/userinfo')
    psql(f'CREATE DATABASE {DB}', PG)
    try:
        g = Gateway()
        tok = new_user(f'u{UNIQ}')
        test_basics(g)
        test_submit_errors(g, tok)
        test_quota_exact(g)
        test_completed_and_reads(g, tok)
        test_retry_and_lock(g)
        test_me_and_tokens(g, tok)
        test_oauth(g)
        test_headers(g, tok, f'c{UNIQ}')
        test_cli_tokens(g)
        test_discovery(g, tok)
        test_metrics(g)
        check(g.stop() == 0, 'SIGTERM stops the gateway with status 0')
        test_access_log(g.log.name, SECRETS)
        test_limits()
        test_web()
        test_session_expiry()
        tmp = tempfile.mkdtemp(prefix='gw-outage-',
                               dir=os.environ.get('ISG_TEST_TMPDIR'))
        test_redis_outage(tmp)
        test_mongo_outage(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
    finally:
        for p in SERVICES:
            p.kill()
            p.wait()
        fake.kill()
        fake.wait()
        psql(f'DROP DATABASE IF EXISTS {DB} WITH (FORCE)', PG)
    check(CHECKED[0] > 100, f'{CHECKED[0]} JSON answers matched '
          'docs/openapi.yaml')
    check(ERRORS_CHECKED.get(503, 0) >= 5 and
          sum(ERRORS_CHECKED.values()) > 100,
          f'error answers free of hosts, SQL, stacks and secrets: '
          f'{ERRORS_CHECKED}')
    print(f'{len(FAILS)} failed')
    return 1 if FAILS else 0


if __name__ == '__main__':
    sys.exit(main())
