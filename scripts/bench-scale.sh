#!/usr/bin/env bash
# scripts/bench-scale.sh [--docs=12000] [--sink=milvus|chroma] [--model=ID] [--no-long] [--flink] [-- INGEST ARGS ...]
#
# Issue 21's scale run, on real documents: the first pages of the manuals in two Debian
# documentation packages (lilypond-doc-pdf, texlive-pictures-doc; fetched with `apt-get download`,
# nothing installed) are cut into DOCS one-page documents, and the same pages kept as whole manuals
# (`bin/pagebeam bench-scale-corpus`, tools/scale-corpus/DOCS/, with PROVENANCE.tsv). Then, each a
# `bin/pagebeam ingest` process of its own on the default runner:
#   1. full      the DOCS short documents into a new collection
#   2. rerun     the same, unchanged (the nightly rerun: every file hashed and looked up, none split)
#   3. changed   after 1% of the documents changed (bytes appended after %%EOF) and 1% deleted,
#                with --prune: exactly those must be re-embedded and removed (the ledger is checked)
#   4. long      the same pages as the whole manuals into another new collection (--no-long skips it)
# Printed side by side: wall time, documents/s, pages/s, the process's peak RSS (on the DirectRunner
# the launcher is the worker), the time to the first vector, and the ratios: short documents' pages/s
# against the long ones' (the per-document overhead) and each rerun's time as a share of the full run,
# and the largest heap after a GC (from -Xlog:gc). With --flink every run goes to the local Flink
# cluster (started here unless FLINK_MASTER is set): peak_GB and live_GB are then the launcher's
# alone, and tm_GB the larger TaskManager's peak RSS during that run (its VmHWM, reset before each).
# The encoder is all-minilm-l6-v2-q unless --model says otherwise (the fastest bundled model: this
# measures the per-document costs, not the model). The test servers are started unless $CHROMA or
# $MILVUS is set. Logs stay in tools/scale-corpus/runs/STAMP/; --report=THAT_DIR prints a run's
# table again.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
docs=12000
sink=milvus
model=all-minilm-l6-v2-q
long=1
flink=0
report=
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --docs=*) docs="${1#--docs=}" ;;
    --sink=*) sink="${1#--sink=}" ;;
    --model=*) model="${1#--model=}" ;;
    --no-long) long=0 ;;
    --flink) flink=1 ;;
    --report=*) report="${1#--report=}" ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench-scale: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "${1:-}" == "--" ]] && shift
[[ "$sink" == milvus || "$sink" == chroma ]] || { echo "bench-scale: --sink=$sink is not milvus or chroma" >&2; exit 2; }

if [[ -z "$report" ]]; then
root="$HOME_DIR/tools/scale-corpus"
mkdir -p "$root/debs" "$root/pdf" "$root/runs"
PACKAGES=(lilypond-doc-pdf texlive-pictures-doc)
if [[ ! -f "$root/pdf/.complete" ]]; then
  (cd "$root/debs" && for p in "${PACKAGES[@]}"; do
     ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" 2>&1 | grep -vE "^(Get|Fetched|W: Download)" || true
     ls "${p}"_*.deb >/dev/null 2>&1 || { echo "bench-scale: cannot download $p (apt-get update?)" >&2; exit 1; }
   done)
  for deb in "$root"/debs/*.deb; do
    package="$(basename "${deb%%_*}")"
    rm -rf "$root/x" && mkdir -p "$root/x" "$root/pdf/$package"
    dpkg-deb -x "$deb" "$root/x"
    find "$root/x" -type f -name '*.pdf' -exec cp --backup=numbered -t "$root/pdf/$package/" {} +
    echo "$package $(dpkg-deb -f "$deb" Version)" >> "$root/pdf/PACKAGES.txt"
  done
  rm -rf "$root/x"
  touch "$root/pdf/.complete"
fi
corpus="$root/$docs"
if [[ ! -f "$corpus/.complete" ]]; then
  rm -rf "$corpus"
  # at most a thirtieth of the documents from one manual (20 to 400 pages), so that a small corpus
  # still comes from many manuals
  per=$((docs / 30)); ((per < 20)) && per=20; ((per > 400)) && per=400
  "$HOME_DIR/bin/pagebeam" bench-scale-corpus --from="$root/pdf" --out="$corpus" --docs="$docs" --pagesPerManual=$per
  touch "$corpus/.complete"
fi

finish() {
  ((${stop_cluster:-0})) && { "$HOME_DIR/runner-configs/flink/local-cluster.sh" stop >/dev/null 2>&1 || true; }
  ((${stop_servers:-0})) && { "$HOME_DIR/scripts/test-servers.sh" stop >/dev/null 2>&1 || true; }
  return 0
}
trap finish EXIT
if [[ -z "${CHROMA:-}" || -z "${MILVUS:-}" ]]; then
  stop_servers=1
  eval "$("$HOME_DIR/scripts/test-servers.sh" start)"
fi
address="$CHROMA"; [[ "$sink" == milvus ]] && address="$MILVUS"
runner=()
cluster_state="$HOME_DIR/tools/flink/run/cluster.env"
if ((flink)); then
  if [[ -z "${FLINK_MASTER:-}" ]]; then
    stop_cluster=1
    eval "$("$HOME_DIR/runner-configs/flink/local-cluster.sh" start)"
  fi
  runner=(--runner=FlinkRunner --flinkMaster="$FLINK_MASTER")
fi
tm_pids() { [[ -f "$cluster_state" ]] && grep -E '^FLINK_TM[0-9]+_PID=' "$cluster_state" | cut -d= -f2; }
stamp="$(date +%Y%m%d%H%M%S)"
runs="$root/runs/$stamp"
mkdir -p "$runs"
input="$runs/input"
cp -r "$corpus/short" "$input"

# run NAME INPUT COLLECTION [ARGS...]: one ingest process, its log in $runs/NAME.log
run() {
  local name="$1" in="$2" collection="$3"
  shift 3
  local log="$runs/$name.log"
  local t0 t1
  if ((flink)); then
    # the TaskManagers' peak RSS of this run alone: the kernel resets VmHWM on "5" (Linux 4.0+)
    for pid in $(tm_pids); do echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true; done
  fi
  t0=$(date +%s.%N)
  (cd "$HOME_DIR" && DJL_OFFLINE=true PAGEBEAM_NO_BUILD=1 PAGEBEAM_JAVA_OPTS="-Xlog:gc:file=$runs/$name.gc.log" \
    /usr/bin/time -f "PEAK_KB %M" bin/pagebeam ingest \
    --input="$in" --sink="$sink://$address/$collection" --output="$runs/out-$collection" --model="$model" \
    "${runner[@]}" "$@" 2>&1) | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done > "$log"
  t1=$(date +%s.%N)
  if ((flink)); then
    local kb=0 hwm pid
    for pid in $(tm_pids); do
      hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      ((hwm > kb)) && kb=$hwm
    done
    echo "$kb" > "$runs/$name.tm"
  fi
  grep -q ' SUMMARY ' "$log" || { echo "bench-scale: $name has no SUMMARY (log: $log)" >&2; tail -20 "$log" >&2; exit 1; }
  echo "$t0 $t1" > "$runs/$name.time"
  # the output's ledger is replaced by the next run into it: keep this run's
  cat "$runs/out-$collection"/ledger/*.jsonl > "$runs/$name.ledger.jsonl"
}

short="scale_${stamp}_short"
echo "bench-scale: $docs one-page documents from $(tail -n +2 "$corpus/PROVENANCE.tsv" | cut -f2 | sort -u | wc -l) manuals" \
  "into $sink ($model), logs in $runs"
run full "$input" "$short" "$@"
run rerun "$input" "$short" "$@"
# 1% changed (bytes after %%EOF: a new hash, the same pages), 1% deleted, spread over the corpus
mapfile -t files < <(find "$input" -name '*.pdf' | sort)
changed=0 deleted=0
for ((i = 0; i < ${#files[@]}; i += 100)); do
  printf '\n%% changed by bench-scale %s\n' "$stamp" >> "${files[$i]}"; changed=$((changed + 1))
  echo "${files[$i]}" >> "$runs/changed.txt"
  j=$((i + 50)); if ((j < ${#files[@]})); then rm "${files[$j]}"; deleted=$((deleted + 1)); echo "${files[$j]}" >> "$runs/deleted.txt"; fi
done
run changed "$input" "$short" --prune "$@"
if ((long)); then
  run long "$corpus/long" "scale_${stamp}_long" "$@"
fi
printf 'docs=%s\nshort=%s\nchanged=%s\ndeleted=%s\nlong=%s\nrunner=%s\n' "$docs" "$short" "$changed" "$deleted" \
  "$long" "$( ((flink)) && echo flink || echo direct)" > "$runs/meta"
# where it ran: the checkout and the CPU (int8 kernels differ by instruction set)
printf 'revision=%q\ncpu=%q\n' "$(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(grep -qw avx512f /proc/cpuinfo \
  && echo AVX-512 || echo 'no AVX-512')" >> "$runs/meta"

else
  runs="$(cd "$report" && pwd)"
fi
# shellcheck disable=SC1091
source "$runs/meta"
field() { grep -o "\"$2\":[^,}]*" "$runs/$1.log" | head -1 | cut -d: -f2 | tr -d '"'; }
wall() { awk '{printf "%.1f", $2 - $1}' "$runs/$1.time"; }
# sources of a run's ledger lines with a status, sorted
ledger_sources() { (grep "\"status\":\"$2\"" "$runs/$1.ledger.jsonl" || true) | grep -o '"source":"[^"]*"' | cut -d'"' -f4 | sort; }

echo "bench-scale: $docs documents into $sink on the ${runner:-direct} runner, at ${revision:-unknown} on ${cpu:-an unrecorded CPU}"
printf '\n%-8s %7s %7s %8s %8s %7s %8s %9s %8s %8s %7s %6s\n' run docs pages vectors wall_s docs/s pages/s first_vec \
  peak_GB live_GB share tm_GB
full_wall=$(wall full)
for name in full rerun changed long; do
  [[ -f "$runs/$name.time" ]] || continue
  w=$(wall "$name")
  seen=$(field "$name" files_seen); pages=$(field "$name" pages); vectors=$(field "$name" vectors_written)
  t0=$(cut -d' ' -f1 "$runs/$name.time")
  # the first progress line (every 5 s) that shows a vector; a short run may have none
  first=$( (grep -m1 -E 'progress: .* [1-9][0-9]* vectors' "$runs/$name.log" || true) | awk -v t0="$t0" '{printf "%.1f", $1 - t0}')
  peak=$(grep -o 'PEAK_KB [0-9]*' "$runs/$name.log" | awk '{printf "%.2f", $2 / 1048576}')
  # the largest heap after a collection: the live data, which the heap cap hides from RSS
  live=$( (grep -o '[0-9]*M->[0-9]*M' "$runs/$name.gc.log" 2>/dev/null || true) | sed 's/.*->//; s/M//' | sort -n \
    | tail -1 | awk '{printf "%.2f", $1 / 1024}')
  tm=$( [[ -f "$runs/$name.tm" ]] && awk '{printf "%.2f", $1 / 1048576}' "$runs/$name.tm" || echo -)
  printf '%-8s %7d %7d %8d %8.1f %7.1f %8.1f %9s %8s %8s %7.3f %6s\n' "$name" "$seen" "$pages" "$vectors" "$w" \
    "$(echo "$seen / $w" | bc -l)" "$(echo "$pages / $w" | bc -l)" "${first:--}" "$peak" "${live:--}" \
    "$(echo "$w / $full_wall" | bc -l)" "$tm"
done
echo
if ((long)); then
  echo "per-document overhead: the short documents' pages/s over the long ones' (same pages): $(echo \
    "($(field full pages) / $(wall full)) / ($(field long pages) / $(wall long))" | bc -l | cut -c1-5)"
fi
echo "full: files_seen $(field full files_seen), ledger lines $(wc -l < "$runs/full.ledger.jsonl") (of $docs documents)"
echo "rerun: documents_skipped $(field rerun documents_skipped), vectors written $(field rerun vectors_written);" \
  "indexed again: $(ledger_sources rerun indexed | wc -l) (documents the full run left partial, as its ledger says why)"
# after 1% changed and 1% deleted, exactly those are re-embedded (with the partial ones every run retries) and removed
expected_indexed=$(sort -u "$runs/changed.txt" <(ledger_sources rerun indexed) | md5sum)
exact=no
if [[ "$(ledger_sources changed indexed | md5sum)" == "$expected_indexed" \
      && "$(ledger_sources changed removed | md5sum)" == "$(sort "$runs/deleted.txt" | md5sum)" ]]; then exact=yes; fi
echo "changed: $changed changed and $deleted deleted; its ledger: indexed $(ledger_sources changed indexed | wc -l)," \
  "removed $(ledger_sources changed removed | wc -l), unchanged $(ledger_sources changed unchanged | wc -l);" \
  "exactly the changed (and the retried partial) indexed and the deleted removed: $exact"
echo "progress lines of the full run (every 10th):"
(grep 'progress:' "$runs/full.log" || true) | awk 'NR % 10 == 1' | cut -d' ' -f2- | tail -40
