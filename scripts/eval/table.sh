#!/usr/bin/env bash
# The retrieval table of docs/BENCHMARKS.md: eval of the verbatim and the paraphrased questions
# over the Debian manuals, in every mode each sink has, side by side.
#
#   scripts/eval/table.sh SINK [SINK...]      e.g. file:/tmp/evf milvus://127.0.0.1:19530/manuals_eval
#
# Each SINK must hold the 9 manuals of bench-ingest, ingested with the default model.
set -euo pipefail
cd "$(dirname "$0")/../.."
verbatim=docs/eval/manuals-verbatim.tsv
paraphrased=docs/eval/manuals-paraphrased.tsv
figure() { # sink mode file k -> one JSON line
  PAGEBEAM_NO_BUILD=${PAGEBEAM_NO_BUILD:-} bin/pagebeam eval --sink="$1" --mode="$2" --queries="$3" --k="$4" \
    --json=true 2>/dev/null | grep '^{' || echo '{}'
}
printf '%-52s %-8s %14s %12s %14s %14s %12s %10s\n' sink mode "verbatim R@3" "verbatim MRR" "paraphr. R@3" \
  "paraphr. R@5" "paraphr. MRR" "median ms"
for sink in "$@"; do
  for mode in dense lexical hybrid; do
    v3=$(figure "$sink" "$mode" "$verbatim" 3)
    p3=$(figure "$sink" "$mode" "$paraphrased" 3)
    p5=$(figure "$sink" "$mode" "$paraphrased" 5)
    python3 - "$sink" "$mode" "$v3" "$p3" "$p5" <<'PY'
import json, sys
sink, mode, v3, p3, p5 = sys.argv[1], sys.argv[2], *(json.loads(a) for a in sys.argv[3:])
if not v3:
    print(f"{sink:52} {mode:8} {'(this sink has no ' + mode + ' mode)':>14}")
    sys.exit()
ms = sorted([v3["median_ms"], p3["median_ms"], p5["median_ms"]])[1]
print(f"{sink:52} {mode:8} {v3['recall@3']:14.3f} {v3['mrr@10']:12.3f} {p3['recall@3']:14.3f} "
      f"{p5['recall@5']:14.3f} {p5['mrr@10']:12.3f} {ms:10.1f}")
PY
  done
done
