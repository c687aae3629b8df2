#!/usr/bin/env bash
# bin/pagebeam bench-peers [FILE.pdf ...]
#
# pagebeam against Spring AI's ETL and LangChain4j's ingestion, like for like, in one run and one
# process at a time: the same PDFs, the same quantized all-MiniLM-L6-v2 files, 128-token chunks,
# text only (no OCR, no images), vectors to files (pagebeam) or kept in memory (the peers). Prints
# each side's wall time (process start to exit; a peer stops its clock at its last vector), pages/s,
# chunks, chunks longer than the model's 128 tokens (which the peers embed cut, silently), peak RSS,
# and pagebeam's pages/s as a multiple of each peer's. Then the bare ONNX Runtime loop (peers/BareOrt)
# on the same batches with pagebeam's ONNX Runtime and with Spring AI's, to tell the runtime from
# the code. The peers live in peers/, outside the build: nothing of theirs reaches pagebeam.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOME_DIR"
export DJL_OFFLINE=true

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  corpus="$HOME_DIR/tools/corpus/pdf"
  [[ -d "$corpus" ]] || scripts/fetch-corpus.sh >&2
  files=("$corpus/debian-reference-en/debian-reference.en.pdf" "$corpus/python-reportlab-doc/reportlab-userguide.pdf"
    "$corpus/r-doc-pdf/R-intro.pdf" "$corpus/gnuplot-doc/gnuplot.pdf")
fi
for f in "${files[@]}"; do
  [[ -f "$f" ]] || { echo "bench-peers: $f is missing" >&2; exit 2; }
done

peers_jar="peers/target/pagebeam-peers-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$peers_jar" || -n "$(find peers/pom.xml peers/src -newer "$peers_jar" -type f -print -quit)" ]]; then
  echo "bench-peers: building peers/ (Spring AI, LangChain4j; downloads on first use)..." >&2
  mvn -B -q -f peers/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
peers_cp="$peers_jar:$(cat peers/target/classpath.txt)"
peers_ort="$(tr ':' '\n' < peers/target/classpath.txt | grep '/onnxruntime' | head -1)"
minilm_q="$(tr ':' '\n' < peers/target/classpath.txt | grep 'all-minilm-l6-v2-q' | head -1)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pages_total=0

# run NAME COMMAND...: the command under /usr/bin/time; leaves its output in $work/NAME.out
run() {
  local name="$1"; shift
  echo "bench-peers: $name ..." >&2
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "PEAK_KB %M" "$@" > "$work/$name.out" 2>&1 || { tail -20 "$work/$name.out" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "WALL $(echo "$end - $start" | bc)" >> "$work/$name.out"
}
field() { grep -o "\"$2\":[0-9.]*" "$work/$1.out" | tail -1 | cut -d: -f2; }
peak() { grep -o 'PEAK_KB [0-9]*' "$work/$1.out" | tail -1 | awk '{printf "%.2f", $2 / 1048576}'; }

input="$(IFS=,; echo "${files[*]}")"
# bin/pagebeam builds its jars first when they are stale (outside the timed run: see below)
bin/pagebeam ingest --input=/nonexistent-bench-peers-warmup/*.pdf --output="$work/warmup" >/dev/null 2>&1 || true
run pagebeam env PAGEBEAM_NO_BUILD=1 bin/pagebeam ingest --input="$input" --output="$work/pagebeam-out" \
  --model=all-minilm-l6-v2-q --maxTokens=128 --overlapTokens=0 --ocr=off --pageImages=false \
  --embeddedImages=false --writeImages=false
for peer in spring-ai langchain4j; do
  run "$peer" java -Dai.djl.offline=true -cp "$peers_cp" dev.pagebeam.peers.PeerIngest "$peer" 128 "${files[@]}"
done

pagebeam_ort="$(tr ':' '\n' < pipeline/target/classpath.txt | grep '/onnxruntime' | head -1)"
pb_wall=$(grep -o 'WALL [0-9.]*' "$work/pagebeam.out" | cut -d' ' -f2)
pb_pages=$(field pagebeam pages)
pb_rate=$(echo "scale=3; $pb_pages / $pb_wall" | bc)
echo
echo "bench-peers: ${#files[@]} PDFs, all-minilm-l6-v2-q, 128-token chunks, text only; CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || echo 'AVX2, no AVX-512')"
printf '%-12s %8s %6s %8s %7s %10s %9s %12s\n' side wall_s pages pages/s chunks truncated peak_GB "pagebeam_x"
printf '%-12s %8.1f %6d %8.2f %7d %10d %9s %12s\n' pagebeam "$pb_wall" "$pb_pages" "$pb_rate" \
  "$(field pagebeam text_chunks)" "$(field pagebeam truncated_chunks)" "$(peak pagebeam)" "1.00"
for peer in spring-ai langchain4j; do
  secs=$(field "$peer" seconds)
  pages=$(field "$peer" pages)
  rate=$(echo "scale=3; $pages / $secs" | bc)
  printf '%-12s %8.1f %6d %8.2f %7d %10d %9s %12.2f\n' "$peer" "$secs" "$pages" "$rate" "$(field "$peer" chunks)" \
    "$(field "$peer" truncated_chunks)" "$(peak "$peer")" "$(echo "scale=4; $pb_rate / $rate" | bc)"
done

echo
echo "bare ONNX Runtime loop, same batches (8 x 128 tokens, 2 threads, 10 s each):"
for ort in "$pagebeam_ort" "$peers_ort"; do
  java -cp "$peers_jar:$minilm_q:$ort" dev.pagebeam.peers.BareOrt all-minilm-l6-v2-q.onnx 8 128 2 10 2>/dev/null \
    | grep BARE_ORT
done
