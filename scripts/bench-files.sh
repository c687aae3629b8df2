#!/usr/bin/env bash
# scripts/bench-files.sh [--counts=1000,12000] [--flink] [CHECKOUT ...] [-- INGEST ARGS ...]
#
# What one run costs per input file, as the number of files grows: for each count, N generated
# one-page PDFs (scripts/make-tiny-pdfs.py, kept in tools/bench-files/N) are split (--encode=false
# --writeImages=false) by `bin/pagebeam ingest` of each CHECKOUT (default: this one; each must be
# built), on its default runner and default heap. Printed per run: wall time, files/s, when the last
# file was split (from the progress line), the JVM's peak RSS, its largest heap after a GC (the live
# data, which a heap cap hides from RSS) and both as a ratio to the smallest count's run of that
# checkout. The run is checked: SUMMARY's files_seen and the ledger's line count must equal N.
# On the DirectRunner the launcher is the worker, so its memory is the whole run's. With --flink the
# runs go to the local Flink cluster (started here unless FLINK_MASTER is set), the peak and live
# figures are the launcher's alone, and tm_GB is the largest TaskManager's peak RSS so far (the
# kernel's VmHWM of each TaskManager process, which only grows while the cluster runs).
set -euo pipefail
counts=1000,12000
flink=0
checkouts=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  case "$1" in
    --counts=*) counts="${1#--counts=}" ;;
    --flink) flink=1 ;;
    *) checkouts+=("$(cd "$1" && pwd)") ;;
  esac
  shift
done
[[ "${1:-}" == "--" ]] && shift
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ ${#checkouts[@]} -gt 0 ]] || checkouts=("$HOME_DIR")
work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
runner=()
if ((flink)); then
  if [[ -z "${FLINK_MASTER:-}" ]]; then
    eval "$("$HOME_DIR/runner-configs/flink/local-cluster.sh" start)"
    cleanup() { rm -rf "$work"; "$HOME_DIR/runner-configs/flink/local-cluster.sh" stop >/dev/null 2>&1 || true; }
  fi
  runner=(--runner=FlinkRunner --flinkMaster="$FLINK_MASTER")
fi
# the largest VmHWM of the local cluster's TaskManagers, in GB (0 without them)
tm_peak() {
  local state="$HOME_DIR/tools/flink/run/cluster.env" kb=0 pid hwm
  if ((flink)) && [[ -f "$state" ]]; then
    for pid in $(grep -E '^FLINK_TM[0-9]+_PID=' "$state" | cut -d= -f2); do
      hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      ((hwm > kb)) && kb=$hwm
    done
  fi
  awk -v kb="$kb" 'BEGIN {printf "%.2f", kb / 1048576}'
}

for c in "${checkouts[@]}"; do
  # build outside the timed runs
  (cd "$c" && bin/pagebeam ingest --input=/nonexistent-bench-files/*.pdf --output="$work/warmup" "${runner[@]}" \
    >/dev/null 2>&1) || true
done
printf '%-22s %7s %8s %8s %8s %8s %9s %7s %10s %6s\n' checkout files wall_s files/s split_s peak_GB live_GB rss_x \
  live_x tm_GB
declare -A first_rss first_live
for n in ${counts//,/ }; do
  input="$HOME_DIR/tools/bench-files/$n"
  [[ $(find "$input" -name '*.pdf' 2>/dev/null | wc -l) -eq $n ]] || python3 "$HOME_DIR/scripts/make-tiny-pdfs.py" "$input" "$n"
  for c in "${checkouts[@]}"; do
    log="$work/run.log"
    rm -rf "$work/out" "$work/gc.log"
    t0=$(date +%s.%N)
    (cd "$c" && DJL_OFFLINE=true PAGEBEAM_NO_BUILD=1 PAGEBEAM_JAVA_OPTS="-Xlog:gc:file=$work/gc.log" \
      /usr/bin/time -f "PEAK_KB %M" bin/pagebeam ingest --input="$input" --output="$work/out" \
      --encode=false --writeImages=false "${runner[@]}" "$@" 2>&1) | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done > "$log"
    t1=$(date +%s.%N)
    seen=$(grep -o '"files_seen":[0-9]*' "$log" | cut -d: -f2)
    ledger=$(cat "$work"/out/ledger/*.jsonl 2>/dev/null | wc -l)
    if [[ "$seen" != "$n" || "$ledger" != "$n" ]]; then
      echo "bench-files: $c over $n files: files_seen=${seen:-none}, ledger lines=$ledger (log below)" >&2
      tail -20 "$log" >&2; exit 1
    fi
    split=$(grep -m1 "progress: $n/$n files" "$log" | cut -d' ' -f1)
    rss=$(grep -o 'PEAK_KB [0-9]*' "$log" | awk '{printf "%.3f", $2 / 1048576}')
    # "Pause Young (Normal) (G1 Evacuation Pause) 120M->35M(1536M)": the heap after each collection
    live=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/.*->//; s/M//' | sort -n | tail -1 \
      | awk '{printf "%.3f", $1 / 1024}')
    key="$c"
    first_rss[$key]=${first_rss[$key]:-$rss}
    first_live[$key]=${first_live[$key]:-$live}
    printf '%-22s %7d %8.1f %8.1f %8.1f %8.2f %9.2f %7.2f %10.2f %6s\n' \
      "$(cd "$c" && git log -1 --format=%h) $(basename "$c")" "$n" "$(echo "$t1 - $t0" | bc)" \
      "$(echo "$n / ($t1 - $t0)" | bc -l)" "$(echo "${split:-$t1} - $t0" | bc)" "$rss" "${live:-0}" \
      "$(echo "$rss / ${first_rss[$key]}" | bc -l)" "$(echo "${live:-0} / ${first_live[$key]:-1}" | bc -l)" \
      "$(tm_peak)"
  done
done
