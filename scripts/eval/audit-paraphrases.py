#!/usr/bin/env python3
"""Checks that paraphrased eval questions do not copy their answer page.

    python3 scripts/eval/audit-paraphrases.py OUTPUT/elements questions.tsv

For every FILE.pdf<TAB>PAGES<TAB>QUESTION line, prints the 4-word sequences the question shares
with the text of its answer pages (lower case, words of letters and digits). Exits 1 if any
question shares one: a paraphrase must be answerable by meaning, not by copied words.
"""
import json
import os
import re
import sys
from collections import defaultdict

elements, questions = sys.argv[1], sys.argv[2]
pages = defaultdict(str)
for name in sorted(os.listdir(elements)):
    with open(os.path.join(elements, name), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e.get("text"):
                pages[(os.path.basename(e["source"]), e["page"])] += " " + e["text"]

def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())

def grams(ws, n=4):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}

def page_numbers(spec):
    out = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out

bad = 0
checked = 0
for n, line in enumerate(open(questions, encoding="utf-8"), 1):
    if not line.strip() or line.startswith("#"):
        continue
    file, spec, question = line.rstrip("\n").split("\t")
    text = " ".join(pages[(file, p)] for p in page_numbers(spec))
    if not text.strip():
        print(f"line {n}: {file} p{spec} has no text in {elements}")
        bad += 1
        continue
    shared = grams(words(question)) & grams(words(text))
    checked += 1
    if shared:
        bad += 1
        print(f"line {n}: shares {sorted(' '.join(g) for g in shared)} with {file} p{spec}: {question}")
print(f"{checked} questions checked, {bad} share a 4-word sequence with their answer page")
sys.exit(1 if bad else 0)
