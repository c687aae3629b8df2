#!/usr/bin/env python3
"""Writes N small one-page PDFs with a text layer into DIR (tiny-000000.pdf ...), each with its own
text, so that every file hashes differently: the input of the launcher-scale benchmark, where the
per-file costs (match, hash, ledger line, manifest look-up) are what is measured, not the pages.
Usage: make-tiny-pdfs.py DIR N   (files already there are kept; only missing ones are written)"""
import os
import sys

WORDS = ("ingest page chunk vector model encoder sink manifest ledger launcher worker shard batch "
         "token overlap image thumbnail scan caption collection dimension schema retry backoff").split()


def pdf(n):
    lines = [f"Document {n}: a generated page for the file-count benchmark."]
    for k in range(6):
        lines.append(" ".join(WORDS[(n * 7 + k * 3 + i) % len(WORDS)] for i in range(10)))
    text = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({l}) '" for l in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(directory, exist_ok=True)
    for n in range(count):
        path = os.path.join(directory, f"tiny-{n:06d}.pdf")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(pdf(n))


if __name__ == "__main__":
    main()
