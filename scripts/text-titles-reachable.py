#!/usr/bin/env python3
"""How many expected titles of ../shared/real-pages a reading of page.txt can reach at all.

usage: scripts/text-titles-reachable.py [REAL_PAGES_DIR]   (default ../shared/real-pages)

A title is reachable when some line of the case's page.txt passes score.py's own title test
(equal after normalisation, or followed or preceded by a site name after a separator). Prints
the count and the cases whose expected title is printed nowhere in their text.
"""
import json, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'real-pages')
source = open(os.path.join(root, 'score.py'), encoding='utf-8').read()
# score.py's norm() and title_hit(), taken from the scorer itself so the two cannot disagree.
start, end = source.index('def norm('), source.index('def byline_hit(')
scope = {}
exec('import re, unicodedata\n' + source[start:end], scope)
title_hit = scope['title_hit']

cases = os.path.join(root, 'cases')
reachable, total, unreachable = 0, 0, []
for case in sorted(os.listdir(cases)):
    meta = json.load(open(os.path.join(cases, case, 'expected-metadata.json'), encoding='utf-8'))
    if not meta.get('title'):
        continue
    total += 1
    with open(os.path.join(cases, case, 'page.txt'), encoding='utf-8', errors='replace') as page:
        if any(line.strip() and title_hit(meta['title'], line.strip()) for line in page):
            reachable += 1
        else:
            unreachable.append(case)
print(f'{reachable}/{total} expected titles appear in page.txt')
print('printed nowhere in the text:', ' '.join(unreachable))
