#!/usr/bin/env bash
# scripts/bench-phases.sh [--rounds=N] CHECKOUT[=ARGS] [CHECKOUT[=ARGS] ...] [-- INGEST ARGS ...]
#
# Where an ingest's wall time goes, for one or more checkouts of pagebeam (each built, e.g. a git
# worktree at an older commit), alternating them round by round on the same machine: every log
# line of `bin/pagebeam ingest` gets a timestamp, and the run is cut into
#   launch        process start to the "ingest:" line (options, model and sink checks, file list)
#   split         from there to the encoder's model load (on the DirectRunner the encoder starts
#                 once every page is split)
#   encode+write  from there to SUMMARY
#   end           SUMMARY to the process exit (ledger, manifest, exit)
# Default ingest: the 4 PDFs of bench-peers, all-minilm-l6-v2-q, 128-token chunks, text only.
# ARGS after a checkout are for its runs only: e.g. ../main=--ocr=off beside a checkout from before
# OCR existed (which would refuse the option); INGEST ARGS after -- are for every run.
set -euo pipefail
rounds=1
checkouts=()
extra=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --rounds=*) rounds="${1#--rounds=}" ;;
    *=*) checkouts+=("$(cd "${1%%=*}" && pwd)"); extra+=("${1#*=}") ;;
    *) checkouts+=("$(cd "$1" && pwd)"); extra+=("") ;;
  esac
  shift
done
[[ "${1:-}" == "--" ]] && shift
[[ ${#checkouts[@]} -gt 0 ]] || { echo "usage: $0 [--rounds=N] CHECKOUT[=ARGS] ... [-- INGEST ARGS ...]" >&2; exit 2; }
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$HOME_DIR/tools/corpus/pdf"
[[ -d "$corpus" ]] || "$HOME_DIR/scripts/fetch-corpus.sh" >&2
input="$corpus/debian-reference-en/debian-reference.en.pdf,$corpus/python-reportlab-doc/reportlab-userguide.pdf"
input="$input,$corpus/r-doc-pdf/R-intro.pdf,$corpus/gnuplot-doc/gnuplot.pdf"
args=(--input="$input" --model=all-minilm-l6-v2-q --maxTokens=128 --overlapTokens=0 --pageImages=false
  --embeddedImages=false --writeImages=false "$@")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for c in "${checkouts[@]}"; do
  # build outside the timed runs
  (cd "$c" && bin/pagebeam ingest --input=/nonexistent-bench-phases/*.pdf --output="$work/warmup" >/dev/null 2>&1) || true
done
printf '%-24s %8s %9s %8s %15s %6s %8s %8s\n' checkout total_s launch_s split_s encode+write_s end_s peak_GB vectors
for r in $(seq 1 "$rounds"); do
  for i in "${!checkouts[@]}"; do
    c="${checkouts[$i]}"
    read -r -a own <<< "${extra[$i]}"
    log="$work/run.log"
    rm -rf "$work/out"
    t0=$(date +%s.%N)
    (cd "$c" && DJL_OFFLINE=true PAGEBEAM_NO_BUILD=1 /usr/bin/time -f "PEAK_KB %M" bin/pagebeam ingest \
      --output="$work/out" "${args[@]}" ${own[@]+"${own[@]}"} 2>&1) | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done > "$log"
    t1=$(date +%s.%N)
    at() { grep -m1 "$1" "$log" | cut -d' ' -f1; }
    ingest=$(at "IngestJob - ingest:"); summary=$(at "SUMMARY")
    # the encoder's model load: the first after the ingest line (a launcher-side check may load it before)
    model=$(awk '/IngestJob - ingest:/ {seen = 1} seen && /ModelCache - / {print $1; exit}' "$log")
    if [[ -z "$ingest" || -z "$model" || -z "$summary" ]]; then
      echo "bench-phases: the run in $c did not get through (log below)" >&2; tail -20 "$log" >&2; exit 1
    fi
    printf '%-24s %8.1f %9.1f %8.1f %15.1f %6.1f %8.2f %8s\n' "$(cd "$c" && git log -1 --format=%h) $(basename "$c")" \
      "$(echo "$t1 - $t0" | bc)" "$(echo "$ingest - $t0" | bc)" "$(echo "$model - $ingest" | bc)" \
      "$(echo "$summary - $model" | bc)" "$(echo "$t1 - $summary" | bc)" \
      "$(grep -o 'PEAK_KB [0-9]*' "$log" | awk '{printf "%.2f", $2 / 1048576}')" \
      "$(grep -o '"vectors_written":[0-9]*' "$log" | cut -d: -f2)"
  done
done
