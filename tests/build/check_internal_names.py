#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fails on an internal (isg__) symbol not named isg__<area>_<verb> or
isg__<module>_<verb>, where <module> is the first word of the name of the
file that defines it (core/arena.c defines isg__arena_*). Reads the area
libraries with nm. Usage: check_internal_names.py BUILD_DIR"""
import glob, os, re, subprocess, sys

build = sys.argv[1]
bad = []
libs = sorted(glob.glob(os.path.join(build, 'libissuesight', 'libisg_*.a')))
if not libs:
    sys.exit('check_internal_names: no area library under ' + build)
for lib in libs:
    area = re.match(r'libisg_(\w+)\.a$', os.path.basename(lib)).group(1)
    out = subprocess.run(['nm', '-A', '--defined-only', lib],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r'.*:(\S+\.o):\s*\S+ [A-Z] (isg__\w+)$', line)
        if not m:
            continue
        obj, sym = m.groups()
        stem = os.path.basename(obj).split('.')[0]
        stem = stem[len(area) + 1:] if stem.startswith(area + '_') else stem
        word = sym[5:].split('_')[0]
        if 'meson-generated' in obj:  # a generated file: any word of its name
            ok = word in re.split(r'[_.-]+', os.path.basename(obj))
        else:
            ok = word in (area, stem.split('_')[0])
        if not ok:
            bad.append(f'{sym} (defined in {area}/{stem}.c)')
for b in bad:
    print('check_internal_names: not isg__<area>_ or isg__<module>_:', b)
sys.exit(1 if bad else 0)
