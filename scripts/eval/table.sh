#!/usr/bin/env bash
# The retrieval table of docs/BENCHMARKS.md: `eval --mode=all` of every question set in docs/eval/
# on each sink, every mode side by side, at k = 3 and 5.
#
#   scripts/eval/table.sh SINK [SINK...]      e.g. file:/tmp/evf milvus://127.0.0.1:19530/manuals_eval
#
# Each SINK must hold the manuals of docs/eval/corpus.txt, ingested with the default model.
set -euo pipefail
cd "$(dirname "$0")/../.."
printf '%-44s %-22s %2s %8s %8s %8s %8s %7s %10s\n' sink "question set" k dense lexical hybrid auto margin "median ms"
for sink in "$@"; do
  for set in docs/eval/*.tsv; do
    for k in 3 5; do
      line=$(bin/pagebeam eval --sink="$sink" --mode=all --queries="$set" --k="$k" --json=true 2>/dev/null \
        | grep '^{' || echo '{}')
      python3 - "$sink" "$(basename "$set" .tsv)" "$k" "$line" <<'PY'
import json, sys
sink, name, k, f = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
if not f:
    print(f"{sink:44} {name:22} {k:>2} (eval failed)")
    sys.exit()
m = f["modes"]
r = lambda mode: f"{m[mode]['recall@' + k]:8.3f}" if mode in m else f"{'-':>8}"
margin = f"{f['hybrid_margin']:+7.1f}" if "hybrid_margin" in f else f"{'-':>7}"
print(f"{sink:44} {name:22} {k:>2} {r('dense')} {r('lexical')} {r('hybrid')} {r('auto')} {margin} {f['median_ms']:10.1f}")
PY
    done
  done
done
