# SPDX-License-Identifier: Apache-2.0
"""What the end-to-end tests share: scripts/stack started as a user starts
it (its own process group, stopped with the SIGINT of a Ctrl-C), its state
file (ports, process ids, URLs), HTTP calls, the fakes' control routes,
users made with the command line, and the check that a stopped stack left
no process and no port behind.

Environment (meson sets them): ISG_SOURCE_ROOT, ISG_BUILD_DIR (the build
whose executables the stack runs), ISG_CLI_BIN.
"""
import atexit
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

FAILS = []
# meson's timeout sends SIGTERM: exit through atexit, which stops the stack.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def check(cond, what):
    print(('ok: ' if cond else 'FAIL: ') + what, flush=True)
    if not cond:
        FAILS.append(what)
    return cond


def finish():
    """Exits 1 when a check failed, else 0."""
    if FAILS:
        print(f'{len(FAILS)} check(s) failed:', *FAILS, sep='\n  ')
        sys.exit(1)
    print('all checks passed')
    sys.exit(0)


def env(name):
    v = os.environ.get(name)
    if not v:
        print(f'skipped: {name} is not set')
        sys.exit(77)
    return v


ROOT = env('ISG_SOURCE_ROOT')
BUILD = env('ISG_BUILD_DIR')
WORKER_BIN = os.path.join(BUILD, 'servers/worker/issuesight-worker')


def require_worker():
    if not os.access(WORKER_BIN, os.X_OK):
        print('skipped: issuesight-worker is not built')
        sys.exit(77)


def free_port():
    while True:
        p = random.randint(20000, 31999)
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', p))
                return p
            except OSError:
                continue


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(('127.0.0.1', port)) == 0


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is gone for our purpose (its parent has not reaped it yet).
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().split(') ', 1)[1][0] != 'Z'
    except OSError:
        return False


def http(method, url, body=None, token=None, timeout=30, headers=None):
    """(status, parsed JSON or text or None, headers); never raises on an
    HTTP status; (0, error, {}) when the connection fails."""
    h = dict(headers or {})
    if token:
        h['Authorization'] = 'Bearer ' + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h['Content-Type'] = 'application/json'
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status, hdrs = r.read(), r.status, r.headers
    except urllib.error.HTTPError as e:
        raw, status, hdrs = e.read(), e.code, e.headers
    except (OSError, ValueError) as e:
        return 0, str(e), {}
    text = raw.decode(errors='replace')
    try:
        doc = json.loads(text) if text else None
    except ValueError:
        doc = text
    return status, doc, hdrs


def bridge_state(status, doc):
    """COMPLETED (200, the bridge document), FAILED (200 with a status and
    a reason), PENDING (202) or None (anything else) of a GET of a bridge."""
    if status == 200 and isinstance(doc, dict):
        if doc.get('status') == 'FAILED':
            return 'FAILED'
        if 'schema_version' in doc and 'status' not in doc:
            return 'COMPLETED'
    if status == 202:
        return 'PENDING'
    return None


class Stack:
    """scripts/stack running in its own process group."""

    def __init__(self, workers=2, projects=None, issues=30, extra=None,
                 timeout=120):
        self.tmp = tempfile.mkdtemp(prefix='isg-e2e-')
        self.state_file = os.path.join(self.tmp, 'state')
        self.port = free_port()
        e = dict(os.environ)
        for k in ('DATABASE_URL', 'REDIS_URL', 'MONGODB_URI', 'GITHUB_TOKEN',
                  'OPENAI_API_KEY', 'GITHUB_OAUTH_CLIENT_ID',
                  'GOOGLE_OAUTH_CLIENT_ID', 'WEB_ROOT'):
            e.pop(k, None)  # the stack's own services and fakes
        e.update(ISG_STACK_BUILD_DIR=BUILD, ISG_STACK_NO_BUILD='1',
                 ISG_STACK_PORT=str(self.port),
                 ISG_STACK_STATE=self.state_file,
                 ISG_STACK_WORKERS=str(workers),
                 ISG_STACK_ISSUES=str(issues),
                 # The sanitizers' leak report at exit is the unit tests'
                 # business; here it would only slow every stop down.
                 ASAN_OPTIONS='detect_leaks=0:abort_on_error=0')
        if projects:
            e['ISG_STACK_PROJECTS'] = ' '.join(projects)
        e.update(extra or {})
        self.out = open(os.path.join(self.tmp, 'stack.out'), 'w+')
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [os.path.join(ROOT, 'scripts/stack')], env=e, stdout=self.out,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.url = self.token = None
        atexit.register(self._abandon)
        try:
            self._wait_ready(timeout)
        except BaseException:
            print(self.output())
            self.stop()
            raise

    def _abandon(self):
        """A test that dies still stops its stack."""
        if self.proc.poll() is None:
            self.stop()

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            self._read_output()
            if self.url and self.token and os.path.exists(self.state_file):
                break
            time.sleep(0.2)
        self.startup_s = time.monotonic() - self.started
        if not (self.url and self.token):
            raise RuntimeError('scripts/stack did not come up')
        self.state = self.read_state()
        self.env = self._read_env()

    def _read_output(self):
        for line in self.output().splitlines():
            line = line.strip()
            if line.startswith('http://127.0.0.1:') and not self.url:
                self.url = line
            if 'token' in line and not self.token:
                self.token = line.split()[-1]

    def output(self):
        if not self.out.closed:
            self.out.flush()
        with open(self.out.name) as f:
            return f.read()

    def read_state(self):
        st = {}
        with open(self.state_file) as f:
            for line in f:
                k, _, v = line.rstrip('\n').partition('=')
                st[k] = v
        return st

    def _read_env(self):
        with open(self.state['env0'], 'rb') as f:
            items = [x.decode() for x in f.read().split(b'\0') if x]
        return dict(x.split('=', 1) for x in items if '=' in x)

    def pids(self):
        return {k[4:]: int(v) for k, v in self.read_state().items()
                if k.startswith('pid_')}

    def ports(self):
        st = self.state
        ports = [self.port, int(st['pg_port']), int(st['redis_port']),
                 int(st['mongo_port'])]
        for k in ('fake_github_url', 'fake_openai_url'):
            if st.get(k):
                ports.append(int(st[k].split(':')[2].split('/')[0]))
        return ports

    def api(self, method, path, body=None, token=None, **kw):
        return http(method, self.url + path, body, token, **kw)

    def cli(self, *args):
        r = subprocess.run([env('ISG_CLI_BIN'), *args], env=self.env,
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f'issuesight {" ".join(args)}: {r.stderr}')
        return r.stdout

    def add_user(self, login):
        out = self.cli('users', 'add', login, '--email',
                       f'{login}@example.org')
        return out.strip().splitlines()[-1].split()[-1]

    def llm(self, route):
        base = self.state['fake_openai_url'].rsplit('/v1', 1)[0]
        return http('GET', base + '/_fake/' + route)[1]

    def github(self, route):
        return http('GET', self.state['fake_github_url'] + '/_fake/' +
                    route)[1]

    def stop(self, sig=signal.SIGINT, timeout=60):
        """Ctrl-C: the signal to the stack's process group, as a terminal
        sends it. Returns (exit status, seconds)."""
        t0 = time.monotonic()
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if not self.out.closed:
            self.out.close()
        return self.proc.returncode, time.monotonic() - t0

    def leftovers(self, pids, ports, tmpdir):
        """What a stopped stack left behind: live processes, open ports,
        its temporary directory."""
        left = [f'process {n} ({p})' for n, p in pids.items()
                if pid_alive(p)]
        left += [f'port {p}' for p in ports if port_open(p)]
        if os.path.exists(tmpdir):
            left.append(f'directory {tmpdir}')
        return left
