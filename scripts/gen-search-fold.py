#!/usr/bin/env python3
"""Prints the diacritic-folding table of galley's search, for src/search/fold.rs
and themes/default/static/search.js (a test checks the two agree).

    python3 scripts/gen-search-fold.py

Each entry maps a lowercase letter of the Latin, Greek or Cyrillic blocks to
the letters left after canonical decomposition without combining marks
(é -> e, ά -> α, ё -> е), plus a few letters whose stroke or ligature is not a
decomposition (ø -> o, ł -> l, ß -> ss, æ -> ae). Other scripts are left alone.
"""
import unicodedata

RANGES = [(0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF), (0x1F00, 0x1FFF)]
EXTRA = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe",
         "þ": "th", "ð": "d", "ŀ": "l", "ŧ": "t", "ƀ": "b", "ɨ": "i", "ς": "σ"}

def is_mark(ch):
    return 0x0300 <= ord(ch) <= 0x036F

entries = {}
for lo, hi in RANGES:
    for cp in range(lo, hi + 1):
        ch = chr(cp)
        if unicodedata.category(ch) not in ("Ll",) or ch.lower() != ch:
            continue
        folded = "".join(c for c in unicodedata.normalize("NFD", ch) if not is_mark(c)).lower()
        folded = "".join(EXTRA.get(c, c) for c in folded)
        if folded and folded != ch and len(folded) <= 2:
            entries[ch] = folded
entries.update(EXTRA)
print(" ".join(k + v for k, v in sorted(entries.items())))
