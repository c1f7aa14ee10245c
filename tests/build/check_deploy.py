#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The deployment files, checked as data (no Docker engine or cluster here).

deployments/docker-compose.yml: PostgreSQL 16, Redis 7 and MongoDB 7 with
health checks and named volumes; the gateway, collector and workers built
from deployments/Dockerfile with the env file, a health check on the port
their settings give (/readyz for the gateway), the workers scalable (no
fixed name, no host port); only the gateway publishes a port.
deployments/.env.example and every `environment:` of an IssueSight service:
documented settings only, secrets left empty.
deployments/Dockerfile: multi-stage, built with meson, a slim runtime stage
that runs as a non-root user; its ENV names are settings.
deployments/k8s/*.yaml: well-formed objects of known kinds, listed by the
kustomization; selectors match their pods; Services reach named ports;
the gateway's readiness probe is /readyz; every IssueSight container runs
as non-root, reads the ConfigMap and the Secret `issuesight-secrets`, and
names only documented settings; no secret value in a ConfigMap, an env
value or a committed Secret; a HorizontalPodAutoscaler scales the workers.

Usage: check_deploy.py SRC_ROOT
Each problem is printed; the exit status is 1 when there is any.
"""
import glob
import os
import re
import sys

import yaml

root = sys.argv[1]
dep = os.path.join(root, 'deployments')
problems = []


def bad(where, msg):
    problems.append('%s: %s' % (where, msg))


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


# ---- the settings reference ------------------------------------------------

documented = set(re.findall(r'^\| `([A-Z][A-Z0-9_]*)` \|',
                            read(os.path.join(root, 'docs',
                                              'configuration.md')),
                            re.M))
keys_h = read(os.path.join(root, 'libissuesight', 'core', 'config_keys.h'))
secret = {m[0] for m in re.findall(
    r'ISG_CONFIG_KEY\(\s*(\w+),\s*\w+,\s*(?:NULL|"(?:[^"\\]|\\.)*"),'
    r'\s*[^,]+,\s*[^,]+,\s*(\w+),', keys_h) if m[1] == 'SECRET'}
# Connection strings carry passwords: they belong with the secrets.
secret |= {'DATABASE_URL', 'MONGODB_URI'}
if len(documented) < 20 or 'GITHUB_TOKEN' not in secret:
    bad('docs/configuration.md', 'cannot read the settings table')

# The executables the build makes (servers/*/meson.build).
executables = set()
for mb in glob.glob(os.path.join(root, 'servers', '*', 'meson.build')):
    executables |= set(re.findall(r"executable\(\s*'([^']+)'", read(mb)))
# The worker (issuesight-worker) lives in servers/worker once merged.
if not os.path.isdir(os.path.join(root, 'servers', 'worker')):
    executables.add('issuesight-worker')


def check_setting(where, name, value=None):
    if name not in documented:
        bad(where, '%s is not a setting of docs/configuration.md' % name)
    if name in secret and value not in (None, ''):
        bad(where, '%s is secret: it must not have a value here' % name)
    if value and re.search(r'://[^/@\s]*:[^/@\s]+@', str(value)):
        bad(where, '%s carries a password' % name)


def check_command(where, cmd):
    if isinstance(cmd, str):
        cmd = cmd.split()
    if not cmd or cmd[0] not in executables:
        bad(where, 'command %r is not an executable the build makes' % cmd)


def port_of_listen(v):
    return int(str(v).rsplit(':', 1)[1])


# ---- docker-compose.yml ----------------------------------------------------

def env_map(env):
    if env is None:
        return {}
    if isinstance(env, list):
        return dict(e.split('=', 1) if '=' in e else (e, None) for e in env)
    return dict(env)


def healthcheck_url(svc):
    test = (svc.get('healthcheck') or {}).get('test') or []
    text = ' '.join(test) if isinstance(test, list) else str(test)
    m = re.search(r'http://(?:127\.0\.0\.1|localhost):(\d+)(/\S*)', text)
    return (int(m.group(1)), m.group(2)) if m else (None, None)


def check_env_example(path):
    names = []
    for n, line in enumerate(read(path).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = re.match(r'^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$', line)
        if not m:
            bad('.env.example:%d' % n, 'not KEY=value')
            continue
        names.append(m.group(1))
        value = m.group(2)
        # The example's passwords are placeholders to change.
        if m.group(1) in secret and m.group(1) not in (
                'DATABASE_URL', 'MONGODB_URI') and value:
            bad('.env.example:%d' % n, '%s must be left empty' % m.group(1))
        elif re.search(r'://[^/@\s]*:([^/@\s]+)@', value) and \
                'change-me' not in value:
            bad('.env.example:%d' % n, 'a password that is not a placeholder')
        if m.group(1) not in documented:
            bad('.env.example:%d' % n,
                '%s is not a setting of docs/configuration.md' % m.group(1))
    for need in ('DATABASE_URL', 'REDIS_URL', 'MONGODB_URI'):
        if need not in names:
            bad('.env.example', '%s is missing' % need)


def check_data_service(name, svc, image, volume_path):
    where = 'docker-compose.yml: ' + name
    if not str(svc.get('image', '')).startswith(image):
        bad(where, 'image is %r, expected %s' % (svc.get('image'), image))
    if not (svc.get('healthcheck') or {}).get('test'):
        bad(where, 'no health check')
    if svc.get('ports'):
        bad(where, 'a data service publishes a port')
    vols = [str(v) for v in svc.get('volumes') or []]
    if not any(v.split(':')[0].isidentifier() and
               v.split(':', 1)[1].startswith(volume_path) for v in vols
               if ':' in v):
        bad(where, 'no named volume on %s' % volume_path)


def check_isg_service(name, svc, port_key, path, settings):
    where = 'docker-compose.yml: ' + name
    if not svc.get('build') or 'Dockerfile' not in str(
            svc['build'].get('dockerfile', '')):
        bad(where, 'not built from deployments/Dockerfile')
    if svc.get('env_file') not in ('.env', ['.env']):
        bad(where, 'env_file is not .env')
    check_command(where, svc.get('command'))
    env = env_map(svc.get('environment'))
    for k, v in env.items():
        check_setting(where, k, v)
    deps = svc.get('depends_on') or {}
    # The migration needs only PostgreSQL.
    for d in ('postgres',) if name == 'migrate' else ('postgres', 'redis',
                                                      'mongo'):
        if (deps.get(d) or {}).get('condition') != 'service_healthy':
            bad(where, 'does not wait for a healthy %s' % d)
    if not port_key:
        return
    want = env.get(port_key, settings.get(port_key))
    if port_key == 'GATEWAY_LISTEN':
        want = port_of_listen(want)
    port, p = healthcheck_url(svc)
    if port != int(want) or p != path:
        bad(where, 'health check is %s %s, expected port %s (%s) and %s' %
            (port, p, want, port_key, path))


def check_compose():
    path = os.path.join(dep, 'docker-compose.yml')
    doc = yaml.safe_load(read(path))
    svcs = doc.get('services') or {}
    # The documented defaults of the health ports.
    defaults = dict(re.findall(r'^\| `([A-Z_]+)` \| [^|]+ \| `([^`]*)` \|',
                               read(os.path.join(root, 'docs',
                                                 'configuration.md')), re.M))
    for name, image, vol in (('postgres', 'postgres:16', '/var/lib/postgresql'),
                             ('redis', 'redis:7', '/data'),
                             ('mongo', 'mongo:7', '/data/db')):
        if name not in svcs:
            bad('docker-compose.yml', 'no %s service' % name)
        else:
            check_data_service(name, svcs[name], image, vol)
    for name, key, p in (('gateway', 'GATEWAY_LISTEN', '/readyz'),
                         ('collector', 'COLLECTOR_HTTP_PORT', '/healthz'),
                         ('worker', 'WORKER_HTTP_PORT', '/healthz'),
                         ('migrate', None, None)):
        if name not in svcs:
            bad('docker-compose.yml', 'no %s service' % name)
        else:
            check_isg_service(name, svcs[name], key, p, defaults)
    gw = svcs.get('gateway') or {}
    listen = port_of_listen(env_map(gw.get('environment')).get(
        'GATEWAY_LISTEN', '0.0.0.0:8080'))
    if not any(str(p).endswith(':%d' % listen) for p in gw.get('ports') or []):
        bad('docker-compose.yml: gateway', 'port %d is not published' % listen)
    for name in ('collector', 'worker', 'migrate'):
        if (svcs.get(name) or {}).get('ports'):
            bad('docker-compose.yml: ' + name, 'publishes a port')
    worker = svcs.get('worker') or {}
    if 'container_name' in worker or worker.get('ports'):
        bad('docker-compose.yml: worker', 'not scalable (fixed name or port)')
    if int(((worker.get('deploy') or {}).get('replicas')) or 1) < 2:
        bad('docker-compose.yml: worker', 'fewer than 2 replicas')
    declared = set((doc.get('volumes') or {}).keys())
    for name, svc in svcs.items():
        for v in svc.get('volumes') or []:
            src = str(v).split(':')[0]
            if ':' in str(v) and src.isidentifier() and src not in declared:
                bad('docker-compose.yml: ' + name,
                    'volume %s is not declared' % src)
    for name, s in (doc.get('secrets') or {}).items():
        if not str(s.get('file', '')).startswith('./secrets/'):
            bad('docker-compose.yml', 'secret %s is not a file in secrets/'
                % name)
    check_env_example(os.path.join(dep, '.env.example'))


# ---- Dockerfile --------------------------------------------------------------

def check_dockerfile():
    text = read(os.path.join(dep, 'Dockerfile'))
    stages = re.findall(r'^FROM\s+(\S+)(?:\s+AS\s+(\S+))?', text, re.M | re.I)
    if len(stages) < 2:
        bad('Dockerfile', 'not multi-stage')
    if 'meson setup' not in text or 'ninja' not in text:
        bad('Dockerfile', 'does not build with meson')
    final = text[text.rfind('\nFROM'):]
    if not re.match(r'\s*FROM\s+\S+-slim\b', final):
        bad('Dockerfile', 'the runtime stage is not a slim image')
    users = re.findall(r'^USER\s+(\S+)', final, re.M)
    if not users or users[-1].split(':')[0] in ('root', '0'):
        bad('Dockerfile', 'the runtime stage does not run as a non-root user')
    if re.search(r'\b(gcc|meson|libcurl4-openssl-dev)\b', final):
        bad('Dockerfile', 'the runtime stage carries build tools')
    for block in re.findall(r'^ENV\s+((?:.*\\\n)*.*)$', final, re.M):
        for k, v in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)=(\S*)', block):
            check_setting('Dockerfile ENV', k, v)
    exposed = set(re.findall(r'\b(\d+)\b', ' '.join(
        re.findall(r'^EXPOSE\s+(.*)$', text, re.M))))
    for p in ('8080', '9102', '9103'):
        if p not in exposed:
            bad('Dockerfile', 'port %s is not exposed' % p)


# ---- Kubernetes ------------------------------------------------------------

API = {'Namespace': 'v1', 'ConfigMap': 'v1', 'Secret': 'v1', 'Service': 'v1',
       'Deployment': 'apps/v1', 'StatefulSet': 'apps/v1', 'Job': 'batch/v1',
       'HorizontalPodAutoscaler': 'autoscaling/v2'}


def pod_spec(obj):
    return ((obj.get('spec') or {}).get('template') or {}).get('spec') or {}


def check_probe(where, c, kind, want_path):
    probe = c.get(kind) or {}
    get = probe.get('httpGet') or {}
    names = {p.get('name'): p.get('containerPort') for p in c.get('ports')
             or []}
    port = get.get('port')
    if port not in names and port not in names.values():
        bad(where, '%s port %s is not a container port' % (kind, port))
    if want_path and get.get('path') != want_path:
        bad(where, '%s is %s, expected %s' % (kind, get.get('path'),
                                              want_path))


def check_isg_container(where, c, cm_keys, probe_path, port_key):
    check_command(where, c.get('command'))
    refs = c.get('envFrom') or []
    if {'configMapRef': {'name': 'issuesight-config'}} not in refs or \
            {'secretRef': {'name': 'issuesight-secrets'}} not in refs:
        bad(where, 'does not read issuesight-config and issuesight-secrets')
    env = {}
    for e in c.get('env') or []:
        if 'valueFrom' in e and e['name'] in secret and \
                'secretKeyRef' not in e['valueFrom']:
            bad(where, '%s does not come from a Secret' % e['name'])
        env[e['name']] = e.get('value')
        check_setting(where, e['name'], e.get('value'))
    if port_key:
        want = env.get(port_key)
        if port_key == 'GATEWAY_LISTEN':
            want = port_of_listen(want)
        ports = [p.get('containerPort') for p in c.get('ports') or []]
        if want is None or int(want) not in ports:
            bad(where, '%s=%s is not a container port' % (port_key, want))
    check_probe(where, c, 'readinessProbe', probe_path)
    check_probe(where, c, 'livenessProbe', '/healthz')
    sc = c.get('securityContext') or {}
    if sc.get('allowPrivilegeEscalation') is not False:
        bad(where, 'allowPrivilegeEscalation is not false')


def load_k8s():
    objs = []
    files = sorted(glob.glob(os.path.join(dep, 'k8s', '*.yaml')))
    for f in files:
        for d in yaml.safe_load_all(read(f)):
            if d is not None:
                objs.append((os.path.basename(f), d))
    return files, objs


def check_kustomization(files, objs):
    kust = [d for f, d in objs if d.get('kind') == 'Kustomization']
    listed = set(kust[0].get('resources') or []) if kust else set()
    on_disk = {os.path.basename(f) for f in files} - {'kustomization.yaml'}
    if listed != on_disk:
        bad('k8s/kustomization.yaml', 'resources %s, files %s' %
            (sorted(listed), sorted(on_disk)))


def check_workload(f, o, cm_keys):
    where = 'k8s/%s: %s %s' % (f, o['kind'], o['metadata']['name'])
    spec = o.get('spec') or {}
    labels = ((spec.get('template') or {}).get('metadata') or {}).get(
        'labels') or {}
    sel = (spec.get('selector') or {}).get('matchLabels') or {}
    if o['kind'] != 'Job' and (not sel or any(labels.get(k) != v
                                              for k, v in sel.items())):
        bad(where, 'the selector does not match the pod labels')
    ps = pod_spec(o)
    cs = ps.get('containers') or []
    if not cs:
        bad(where, 'no container')
        return labels
    name = o['metadata']['name']
    if o['kind'] == 'StatefulSet':
        if not o['spec'].get('volumeClaimTemplates'):
            bad(where, 'no volume claim')
        if not cs[0].get('readinessProbe'):
            bad(where, 'no readiness probe')
        for e in cs[0].get('env') or []:
            if 'PASSWORD' in e['name'] and 'secretKeyRef' not in (
                    e.get('valueFrom') or {}):
                bad(where, '%s does not come from a Secret' % e['name'])
        return labels
    if (ps.get('securityContext') or {}).get('runAsNonRoot') is not True:
        bad(where, 'does not run as non-root')
    probe = {'gateway': ('/readyz', 'GATEWAY_LISTEN'),
             'collector': ('/healthz', 'COLLECTOR_HTTP_PORT'),
             'worker': ('/healthz', 'WORKER_HTTP_PORT')}.get(name)
    for c in cs:
        if o['kind'] == 'Job':
            check_command(where, c.get('command'))
            continue
        check_isg_container(where, c, cm_keys, *(probe or (None, None)))
    return labels


def check_k8s():
    files, objs = load_k8s()
    check_kustomization(files, objs)
    kinds = {}
    cm_keys = set()
    for f, o in objs:
        kind = o.get('kind')
        where = 'k8s/%s' % f
        if kind == 'Kustomization':
            continue
        if kind not in API:
            bad(where, 'unknown kind %r' % kind)
            continue
        if o.get('apiVersion') != API[kind]:
            bad(where, '%s has apiVersion %r, expected %s' %
                (kind, o.get('apiVersion'), API[kind]))
        if not (o.get('metadata') or {}).get('name'):
            bad(where, '%s without a name' % kind)
            continue
        kinds.setdefault(kind, {})[o['metadata']['name']] = (f, o)
        if kind == 'ConfigMap':
            for k, v in (o.get('data') or {}).items():
                cm_keys.add(k)
                check_setting(where + ' ConfigMap', k, v)
                if not isinstance(v, str):
                    bad(where, 'ConfigMap value of %s is not a string' % k)
        if kind == 'Secret' and any((o.get(k) or {}).values()
                                    for k in ('data', 'stringData')):
            bad(where, 'a committed Secret holds values')
    for kind, names in (('Deployment', ('gateway', 'collector', 'worker')),
                        ('StatefulSet', ('postgres', 'redis', 'mongo'))):
        for n in names:
            if n not in kinds.get(kind, {}):
                bad('k8s', 'no %s %s' % (kind, n))
    pods = []
    for kind in ('Deployment', 'StatefulSet', 'Job'):
        for n, (f, o) in sorted(kinds.get(kind, {}).items()):
            pods.append((check_workload(f, o, cm_keys), pod_spec(o)))
    for n, (f, o) in sorted(kinds.get('Service', {}).items()):
        sel = (o.get('spec') or {}).get('selector') or {}
        match = [ps for labels, ps in pods
                 if sel and all(labels.get(k) == v for k, v in sel.items())]
        if not match:
            bad('k8s/%s: Service %s' % (f, n), 'selects no pod')
            continue
        cports = [p for c in match[0].get('containers') or []
                  for p in c.get('ports') or []]
        for p in (o.get('spec') or {}).get('ports') or []:
            t = p.get('targetPort', p.get('port'))
            if not any(t in (cp.get('name'), cp.get('containerPort'))
                       for cp in cports):
                bad('k8s/%s: Service %s' % (f, n),
                    'targetPort %s is no container port' % t)
    hpas = list(kinds.get('HorizontalPodAutoscaler', {}).values())
    if not any((o['spec'].get('scaleTargetRef') or {}).get('name') == 'worker'
               for f, o in hpas):
        bad('k8s', 'no HorizontalPodAutoscaler for the workers')
    for f, o in hpas:
        s = o['spec']
        if not 1 <= s.get('minReplicas', 1) <= s.get('maxReplicas', 0):
            bad('k8s/' + f, 'minReplicas/maxReplicas out of order')
        if not s.get('metrics'):
            bad('k8s/' + f, 'no metric to scale on')


check_compose()
check_dockerfile()
check_k8s()
for p in problems:
    print('deploy: ' + p)
print('deploy: %d problem(s)' % len(problems))
sys.exit(1 if problems else 0)
