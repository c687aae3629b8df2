#!/usr/bin/env bash
# bin/pagebeam bench-peers [--rounds=N] [FILE.pdf ...]
#
# pagebeam against Spring AI's ETL and LangChain4j's ingestion, like for like, in one run and one
# process at a time: the same PDFs, the same quantized all-MiniLM-L6-v2 files, 128-token chunks,
# text only (no OCR, no images), vectors to files (pagebeam) or kept in memory (the peers). Prints
# each side's wall time (process start to exit; a peer stops its clock at its last vector), pages/s,
# chunks, chunks longer than the model's 128 tokens (which the peers embed cut, silently), peak RSS,
# and pagebeam's pages/s as a multiple of each peer's. Then the bare ONNX Runtime loop (peers/BareOrt)
# on the same batches with pagebeam's ONNX Runtime and with Spring AI's, to tell the runtime from
# the code. The peers live in peers/, outside the build: nothing of theirs reaches pagebeam.
# --rounds=N runs the three sides N times, alternating (pagebeam, Spring AI, LangChain4j, pagebeam,
# ...), and reports each side's median, with every round's time and ratio: on a shared machine whose
# speed drifts by 10-30% within minutes, one round each says little.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOME_DIR"
export DJL_OFFLINE=true

rounds=1
files=()
for a in "$@"; do
  case "$a" in
    --rounds=*) rounds="${a#--rounds=}" ;;
    *) files+=("$a") ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench-peers: --rounds=$rounds must be a positive number" >&2; exit 2; }
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
for r in $(seq 1 "$rounds"); do
  run "pagebeam-$r" env PAGEBEAM_NO_BUILD=1 bin/pagebeam ingest --input="$input" --output="$work/pagebeam-out-$r" \
    --model=all-minilm-l6-v2-q --maxTokens=128 --overlapTokens=0 --ocr=off --pageImages=false \
    --embeddedImages=false --writeImages=false
  echo "\"seconds\":$(grep -o 'WALL [0-9.]*' "$work/pagebeam-$r.out" | cut -d' ' -f2)" >> "$work/pagebeam-$r.out"
  for peer in spring-ai langchain4j; do
    run "$peer-$r" java -Dai.djl.offline=true -cp "$peers_cp" dev.pagebeam.peers.PeerIngest "$peer" 128 "${files[@]}"
  done
done

# median SIDE: the median of the side's seconds over the rounds
median() {
  for r in $(seq 1 "$rounds"); do field "$1-$r" seconds; done | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'
}
pagebeam_ort="$(tr ':' '\n' < pipeline/target/classpath.txt | grep '/onnxruntime' | head -1)"
pb_wall=$(median pagebeam)
pb_pages=$(field pagebeam-1 pages)
pb_rate=$(echo "scale=3; $pb_pages / $pb_wall" | bc)
echo
echo "bench-peers: ${#files[@]} PDFs, all-minilm-l6-v2-q, 128-token chunks, text only, median of $rounds round(s); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || echo 'AVX2, no AVX-512')"
printf '%-12s %8s %6s %8s %7s %10s %9s %12s\n' side wall_s pages pages/s chunks truncated peak_GB "pagebeam_x"
printf '%-12s %8.1f %6d %8.2f %7d %10d %9s %12s\n' pagebeam "$pb_wall" "$pb_pages" "$pb_rate" \
  "$(field pagebeam-1 text_chunks)" "$(field pagebeam-1 truncated_chunks)" "$(peak pagebeam-1)" "1.00"
for peer in spring-ai langchain4j; do
  secs=$(median "$peer")
  pages=$(field "$peer-1" pages)
  rate=$(echo "scale=3; $pages / $secs" | bc)
  printf '%-12s %8.1f %6d %8.2f %7d %10d %9s %12.2f\n' "$peer" "$secs" "$pages" "$rate" "$(field "$peer-1" chunks)" \
    "$(field "$peer-1" truncated_chunks)" "$(peak "$peer-1")" "$(echo "scale=4; $pb_rate / $rate" | bc)"
done
if (( rounds > 1 )); then
  echo
  echo "every round (seconds; xN: pagebeam's pages/s over the peer's in that round):"
  for r in $(seq 1 "$rounds"); do
    pb=$(field "pagebeam-$r" seconds)
    line="round $r: pagebeam $(printf '%.1f' "$pb")"
    for peer in spring-ai langchain4j; do
      ps=$(field "$peer-$r" seconds)
      x=$(echo "scale=4; ($pb_pages / $pb) / ($(field "$peer-$r" pages) / $ps)" | bc)
      line="$line, $peer $(printf '%.1f' "$ps") (x$(printf '%.2f' "$x"))"
    done
    echo "$line"
  done
fi

echo
echo "bare ONNX Runtime loop, same batches (8 x 128 tokens, 2 threads, 10 s each):"
for ort in "$pagebeam_ort" "$peers_ort"; do
  java -cp "$peers_jar:$minilm_q:$ort" dev.pagebeam.peers.BareOrt all-minilm-l6-v2-q.onnx 8 128 2 10 2>/dev/null \
    | grep BARE_ORT
done
