#!/usr/bin/env python3
"""Picks verbatim questions for `pagebeam eval`: sentences copied from the pages of a split.

    python3 scripts/eval/verbatim-questions.py OUTPUT/elements N SEED [FILE.pdf,...] > verbatim.tsv

Reads the text chunks of an `ingest --writeElements=true` run, splits each page's text into
sentences, keeps those of 12 to 30 words that are mostly letters and occur on one page of the
corpus only, and prints N of them (a seeded, reproducible pick, at most one per page, only from
the files named, when named) as
FILE.pdf<TAB>PAGE<TAB>SENTENCE lines.
"""
import json
import os
import random
import re
import sys
from collections import defaultdict

elements, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else None
pages = defaultdict(list)
for name in sorted(os.listdir(elements)):
    with open(os.path.join(elements, name), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e.get("type") == "text_chunk" and e.get("text"):
                pages[(os.path.basename(e["source"]), e["page"])].append(e["text"])

def sentences(text):
    for s in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text)):
        words = s.split()
        letters = sum(c.isalpha() for c in s)
        if 12 <= len(words) <= 30 and letters > 0.7 * len(s) and s[0].isupper() and s.endswith("."):
            yield s

where = defaultdict(set)
for key, texts in pages.items():
    for s in sentences(" ".join(texts)):
        where[s].add(key)
candidates = sorted((s, next(iter(keys))) for s, keys in where.items()
                    if len(keys) == 1 and (only is None or next(iter(keys))[0] in only))
random.Random(seed).shuffle(candidates)
used = set()
for s, (file, page) in candidates:
    if (file, page) in used:
        continue
    used.add((file, page))
    print(f"{file}\t{page}\t{s}")
    if len(used) == count:
        break
