#!/usr/bin/env bash
# Fetches real-world PDFs from Debian documentation packages into tools/corpus/ (git-ignored).
# Nothing is installed: `apt-get download` fetches the .deb, `dpkg-deb -x` unpacks it in place.
# Licences vary per package (GPL, LPPL, GFDL); tools/corpus/PROVENANCE.txt records where each file came from.
#   scripts/fetch-corpus.sh            the test corpus (about 27 MB of packages)
set -euo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="$HOME_DIR/tools/corpus"
PACKAGES=(r-doc-pdf octave-doc gnuplot-doc debian-reference-en python-reportlab-doc asymptote-doc)

if [[ -f "$CORPUS/.complete" ]]; then
  echo "corpus: $(find "$CORPUS/pdf" -name '*.pdf' | wc -l) PDFs already in $CORPUS/pdf"
  exit 0
fi
mkdir -p "$CORPUS/debs" "$CORPUS/pdf"
cd "$CORPUS/debs"

download() {
  apt-get download "$@" 2>&1 | grep -vE "^(Get|Fetched|W: Download is performed unsandboxed)" || true
  for p in "$@"; do ls "${p}"_*.deb >/dev/null 2>&1 || return 1; done
}

if ! download "${PACKAGES[@]}"; then
  echo "corpus: apt-get download failed; refreshing the package lists (needs root) and retrying" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
  download "${PACKAGES[@]}" || { echo "corpus: cannot download ${PACKAGES[*]}" >&2; exit 1; }
fi

: > "$CORPUS/PROVENANCE.txt"
declare -A seen=()
for deb in *.deb; do
  package="${deb%%_*}"
  rm -rf "$CORPUS/x" && mkdir -p "$CORPUS/x" && dpkg-deb -x "$deb" "$CORPUS/x"
  mkdir -p "$CORPUS/pdf/$package"
  while IFS= read -r -d '' f; do
    sum="$(sha256sum "$f" | cut -d' ' -f1)"
    [[ -n "${seen[$sum]:-}" ]] && continue
    [[ "$(basename "$f")" == fullrefman.pdf ]] && continue   # the same 2,415 pages as refman.pdf
    seen[$sum]=1
    cp "$f" "$CORPUS/pdf/$package/"
    echo "$package $(dpkg-deb -f "$deb" Version) ${f#"$CORPUS/x"} sha256=$sum" >> "$CORPUS/PROVENANCE.txt"
  done < <(find "$CORPUS/x" -type f -name '*.pdf' -print0 | sort -z)
done
rm -rf "$CORPUS/x"
touch "$CORPUS/.complete"
echo "corpus: $(find "$CORPUS/pdf" -name '*.pdf' | wc -l) PDFs in $CORPUS/pdf"
