#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The areas of libissuesight keep to the table of allowed edges.

The table is the one under "## Allowed edges" in docs/architecture.md:
one row per area folder, naming the public headers it implements and the
areas it may use besides core. This check fails when
  - the table, the folders of libissuesight/ and the list of areas in
    libissuesight/meson.build disagree, or an area's meson.build declares
    other uses (isg_area_uses) than its row;
  - a public header in include/issuesight/ is implemented by no area;
  - a file of libissuesight/<area>/ includes a header that is neither
    public and implemented by the area, core or an area it may use, nor a
    file of one of those folders;
  - (given the areas' static libraries) an area's objects call an isg_
    function defined by an area it may not use.
Usage: check_area_edges.py SRC_ROOT [AREA LIB.a]...
"""
import os
import re
import subprocess
import sys

root = sys.argv[1]
pairs = sys.argv[2:]
errors = []


def fail(msg):
    errors.append(msg)


def parse_table():
    path = os.path.join(root, 'docs', 'architecture.md')
    rows = {}
    in_section = False
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('## '):
                in_section = line.strip() == '## Allowed edges'
                continue
            if not in_section or not line.startswith('|'):
                continue
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if len(cells) < 3 or cells[0] in ('area', '') or \
                    set(cells[0]) <= set('-: '):
                continue
            area = cells[0].strip('`')
            headers = re.findall(r'`([a-z0-9_]+\.h)`', cells[1])
            uses = re.findall(r'`([a-z0-9_]+)`', cells[2])
            rows[area] = (headers, uses)
    if not rows:
        fail('docs/architecture.md: no "## Allowed edges" table found')
    return rows


def meson_areas():
    with open(os.path.join(root, 'libissuesight', 'meson.build')) as f:
        text = f.read()
    m = re.search(r'isg_areas\s*=\s*\[(.*?)\]', text, re.S)
    return re.findall(r"'([a-z0-9_]+)'", m.group(1)) if m else []


def meson_uses(area):
    with open(os.path.join(root, 'libissuesight', area, 'meson.build')) as f:
        text = f.read()
    m = re.search(r'^isg_area_uses\s*=\s*\[(.*?)\]', text, re.S | re.M)
    if not m:
        fail('libissuesight/%s/meson.build: no isg_area_uses' % area)
        return []
    return re.findall(r"'([a-z0-9_]+)'", m.group(1))


table = parse_table()
libdir = os.path.join(root, 'libissuesight')
folders = sorted(d for d in os.listdir(libdir)
                 if os.path.isfile(os.path.join(libdir, d, 'meson.build')))
if sorted(table) != folders:
    fail('table areas %s != folders of libissuesight/ %s'
         % (sorted(table), folders))
if sorted(meson_areas()) != folders:
    fail('isg_areas in libissuesight/meson.build %s != folders %s'
         % (sorted(meson_areas()), folders))

owner = {}
for area, (headers, uses) in table.items():
    for h in headers:
        if h in owner:
            fail('%s is implemented by both %s and %s' % (h, owner[h], area))
        owner[h] = area
    if 'core' in uses or area in uses:
        fail('row %s: core and the area itself are implied' % area)
    if area in folders and sorted(meson_uses(area)) != sorted(uses):
        fail('libissuesight/%s/meson.build uses %s, the table says %s'
             % (area, sorted(meson_uses(area)), sorted(uses)))

pubdir = os.path.join(root, 'include', 'issuesight')
for h in sorted(os.listdir(pubdir)):
    if h.endswith('.h') and h != 'issuesight.h' and h not in owner:
        fail('include/issuesight/%s: no area implements it (add it to a row '
             'of the table in docs/architecture.md)' % h)
for h in owner:
    if not os.path.isfile(os.path.join(pubdir, h)):
        fail('the table names %s, which is not in include/issuesight/' % h)


def visible(area):
    return [area] + ([] if area == 'core' else ['core']) + \
        table.get(area, ([], []))[1]


inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
nfiles = 0
for area in folders:
    if area not in table:
        continue
    seen = visible(area)
    adir = os.path.join(libdir, area)
    for name in sorted(os.listdir(adir)):
        if not name.endswith(('.c', '.h')):
            continue
        nfiles += 1
        with open(os.path.join(adir, name), encoding='utf-8') as f:
            text = f.read()
        for inc in inc_re.findall(text):
            where = 'libissuesight/%s/%s: #include "%s"' % (area, name, inc)
            if inc.startswith('issuesight/'):
                h = inc[len('issuesight/'):]
                if owner.get(h) not in seen:
                    fail('%s: %s belongs to %s, which %s may not use'
                         % (where, h, owner.get(h, 'no area'), area))
            elif '/' in inc:
                fail('%s: include by bare name only' % where)
            else:
                homes = [a for a in folders
                         if os.path.isfile(os.path.join(libdir, a, inc))]
                if not homes:
                    fail('%s: no such header in libissuesight/' % where)
                elif not any(a in seen for a in homes):
                    fail('%s: %s is private to %s, which %s may not use'
                         % (where, inc, homes[0], area))

# Calls between the areas' objects.
defs = {}
libs = dict(zip(pairs[0::2], pairs[1::2]))
for area, lib in libs.items():
    out = subprocess.run(['nm', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'TDBR' and f[2].startswith('isg_'):
            defs[f[2]] = area
ncalls = 0
for area, lib in libs.items():
    out = subprocess.run(['nm', '-u', lib], check=True, capture_output=True,
                         text=True).stdout
    for sym in sorted({l.split()[-1] for l in out.splitlines() if l.strip()}):
        other = defs.get(sym)
        if other and other != area:
            ncalls += 1
            if other not in visible(area):
                fail('libisg_%s.a calls %s of %s, which %s may not use'
                     % (area, sym, other, area))

for e in errors:
    print('FAIL: ' + e)
print('%d areas, %d files, %d cross-area symbols checked, %d problems'
      % (len(table), nfiles, ncalls, len(errors)))
sys.exit(1 if errors else 0)
