#!/usr/bin/env python3
"""Times `galley import` on 10,000 generated saved HTML pages of about 100 KB.

usage: scripts/bench-html-import.py GALLEY [--pages N] [--dir DIR]

Each page is shaped like a news site's saved page: a head heavy with meta
tags, JSON-LD, style sheets and scripts, navigation, an article of a dozen
paragraphs with a figure, a related-articles box, a most-read sidebar and a
footer (about 100 KB in all; every page different, the same pages for the
same N). The pages are written once into DIR/pages (default
/dev/shm/galley-html-bench), then imported into a fresh site; the import's
wall time and pages per second are printed.
"""
import os, random, shutil, subprocess, sys, time

args = sys.argv[1:]
if not args or args[0].startswith('-'):
    sys.exit(__doc__)
galley = os.path.abspath(args[0])
pages = int(args[args.index('--pages') + 1]) if '--pages' in args else 10_000
base = args[args.index('--dir') + 1] if '--dir' in args else '/dev/shm/galley-html-bench'

WORDS = ('harbour ferry tide council wall storm boat quay island pier crane cargo engine '
         'winter summer board plan vote crew skipper light keeper coast survey rock berth '
         'marina sail night morning town valley road bridge river market school').split()

def sentence(r):
    words = [r.choice(WORDS) for _ in range(r.randint(8, 20))]
    return words[0].capitalize() + ' ' + ' '.join(words[1:]) + '.'

def page(i, r):
    title = ' '.join(r.choice(WORDS) for _ in range(6)).capitalize() + f' {i}'
    day = f'20{r.randint(10, 23)}-{r.randint(1, 12):02}-{r.randint(1, 28):02}'
    head = [f'<meta charset="utf-8"><title>{title} | Coastal Courier</title>',
            f'<link rel="canonical" href="https://courier.example.org/news/{i}/">',
            '<meta property="og:type" content="article"><meta property="og:site_name" content="Coastal Courier">',
            f'<meta property="article:published_time" content="{day}T08:00:00+00:00">',
            f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{title}","datePublished":"{day}",'
            f'"author":{{"@type":"Person","name":"Ana Lima"}}}}</script>',
            '<style>' + ''.join(f'.c{k}{{margin:{k}px;padding:{k % 7}px;color:#{k:06x}}}' for k in range(900)) + '</style>',
            '<script>' + ''.join(f'var v{k}=function(a){{return a*{k}+"{r.choice(WORDS)}";}};' for k in range(700)) + '</script>']
    nav = '<nav><ul>' + ''.join(f'<li><a href="/section/{w}/">{w}</a></li>' for w in WORDS) + '</ul></nav>'
    paragraphs = ''.join('<p>' + ' '.join(sentence(r) for _ in range(r.randint(3, 6))) + '</p>\n' for _ in range(14))
    figure = f'<figure><img src="https://courier.example.org/img/{i}.jpg" alt="{r.choice(WORDS)}"><figcaption>{sentence(r)}</figcaption></figure>'
    related = '<div class="related-posts"><h3>Related</h3><ul>' + ''.join(
        f'<li><a href="https://courier.example.org/news/{r.randint(0, 99999)}/">{sentence(r)}</a></li>' for _ in range(6)) + '</ul></div>'
    sidebar = '<aside class="most-read"><h3>Most read</h3><ol>' + ''.join(
        f'<li><a href="/news/{r.randint(0, 99999)}/">{sentence(r)}</a></li>' for _ in range(10)) + '</ol></aside>'
    footer = '<footer>' + ''.join(f'<a href="/p/{k}">{r.choice(WORDS)}</a> ' for k in range(120)) + '</footer>'
    body = (f'<header>{nav}</header><main><article><h1>{title}</h1><p class="byline">By Ana Lima</p>{figure}'
            f'<div class="entry-content">{paragraphs}</div>{related}</article>{sidebar}</main>{footer}')
    html = f'<!DOCTYPE html><html><head>{"".join(head)}</head><body>{body}</body></html>'
    # Pad with comments to about 100 KB, as saved pages carry tracking markup.
    return html + '<!-- ' + 'x' * max(0, 100_000 - len(html)) + ' -->'

pages_dir = os.path.join(base, 'pages')
marker = os.path.join(base, f'{pages}.done')
if not os.path.exists(marker):
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(pages_dir)
    r = random.Random(20)
    total = 0
    for i in range(pages):
        text = page(i, r)
        total += len(text)
        open(os.path.join(pages_dir, f'{i:05}.html'), 'w').write(text)
    open(marker, 'w').write(str(total))
size = int(open(marker).read())
site = os.path.join(base, 'site')
shutil.rmtree(site, ignore_errors=True)
os.makedirs(site)
open(os.path.join(site, 'site.yaml'), 'w').write('title: HTML bench\n')
start = time.monotonic()
out = subprocess.run([galley, '--root', site, 'import', pages_dir], capture_output=True, text=True)
elapsed = time.monotonic() - start
print(out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:])
print(f'{pages} pages, {size / pages / 1000:.0f} KB a page on average: {elapsed:.2f} s, {pages / elapsed:.0f} pages/s')
