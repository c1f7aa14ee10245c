#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every relative link in the project's Markdown resolves.

Checks README.md, bench/README.md and docs/*.md: each link `[text](target)`
or reference `[label]: target` that is not a URL must name an existing file
or folder (relative to the Markdown file), and a `#anchor` must be the
GitHub slug of a heading of the Markdown file it points to. Links inside
code fences and code spans are not links.
Usage: check_doc_links.py SRC_ROOT
"""
import glob
import os
import re
import sys

root = sys.argv[1]
files = [os.path.join(root, 'README.md'),
         os.path.join(root, 'bench', 'README.md')] + \
    sorted(glob.glob(os.path.join(root, 'docs', '*.md')))

inline = re.compile(r'!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?'
                    r'(?:\s+"[^"]*")?\s*\)')
reference = re.compile(r'^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$')


def prose_lines(path):
    """(line number, text) outside code fences, code spans blanked."""
    fence = None
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            m = re.match(r'^\s{0,3}(`{3,}|~{3,})', line)
            if m:
                if fence is None:
                    fence = m.group(1)[0] * len(m.group(1))
                elif m.group(1).startswith(fence):
                    fence = None
                continue
            if fence is None:
                yield n, re.sub(r'(`+)(?:(?!\1).)+?\1', '``', line)


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r'[^\w\- ]', '', s)
    return s.replace(' ', '-')


anchors_cache = {}


def anchors(path):
    if path not in anchors_cache:
        seen = {}
        out = set()
        for _, line in prose_lines(path):
            m = re.match(r'^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$', line)
            if not m:
                continue
            text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', m.group(1))
            text = text.replace('`', '')
            base = slug(text)
            k = seen.get(base, 0)
            seen[base] = k + 1
            out.add(base if k == 0 else '%s-%d' % (base, k))
        anchors_cache[path] = out
    return anchors_cache[path]


errors = []
nlinks = 0
for md in files:
    if not os.path.isfile(md):
        continue
    rel_md = os.path.relpath(md, root)
    for n, line in prose_lines(md):
        targets = inline.findall(line)
        m = reference.match(line)
        if m:
            targets.append(m.group(1))
        for t in targets:
            if re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*:', t):
                continue  # http:, https:, mailto: ...
            nlinks += 1
            path, _, anchor = t.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(md), path)) \
                if path else md
            where = '%s:%d: %s' % (rel_md, n, t)
            if not os.path.exists(dest):
                errors.append('%s: no such file' % where)
            elif anchor and dest.endswith('.md') and \
                    anchor not in anchors(dest):
                errors.append('%s: no heading with anchor #%s in %s'
                              % (where, anchor, os.path.relpath(dest, root)))

for e in errors:
    print('FAIL: ' + e)
print('%d Markdown files, %d relative links, %d broken'
      % (len(files), nlinks, len(errors)))
sys.exit(1 if errors else 0)
