#!/usr/bin/env python3
"""Picks identifier look-ups for `pagebeam eval`: names that occur on one page of the corpus only.

    python3 scripts/eval/identifier-questions.py OUTPUT/elements N SEED [FILE.pdf,...] > identifiers.tsv

Reads the text chunks of an `ingest --writeElements=true` run and finds identifiers in their text:
snake_case and dotted names, Class::member, --options, camelCase and calls such as name(). Keeps
those of 6 characters or more that occur on exactly one page of the whole corpus, and prints N of
them (seeded, at most one per page, only from the files named, when named) as a question a user
would type: FILE.pdf<TAB>PAGE<TAB>QUESTION.
"""
import json
import os
import random
import re
import sys
from collections import defaultdict

elements, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else None
IDENT = re.compile(r"(?<![\w./#=:~-])(?:[A-Za-z]\w*_\w*[A-Za-z0-9]|[A-Za-z]\w*(?:\.[A-Za-z]\w*)+|\w+::\w+"
                   r"|--[a-z][\w-]*[A-Za-z0-9]|[a-z]+[A-Z]\w*)(?:\(\))?(?![\w/-])")
TEMPLATES = ["{}", "what does {} do", "how is {} used", "where is {} described", "{} example"]

pages = defaultdict(set)   # identifier -> pages holding it
for name in sorted(os.listdir(elements)):
    with open(os.path.join(elements, name), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e.get("type") == "text_chunk" and e.get("text"):
                key = (os.path.basename(e["source"]), e["page"])
                for m in IDENT.finditer(e["text"]):
                    ident = m.group().rstrip(".")
                    if len(ident) >= 6 and not re.fullmatch(r"[a-z]+\.[a-z]+", ident):  # not "e.g" or "i.e"
                        pages[ident].add(key)

candidates = sorted((i, next(iter(p))) for i, p in pages.items()
                    if len(p) == 1 and (only is None or next(iter(p))[0] in only))
rng = random.Random(seed)
rng.shuffle(candidates)
used = set()
for ident, (file, page) in candidates:
    if (file, page) in used:
        continue
    used.add((file, page))
    print(f"{file}\t{page}\t{TEMPLATES[len(used) % len(TEMPLATES)].format(ident)}")
    if len(used) == count:
        break
