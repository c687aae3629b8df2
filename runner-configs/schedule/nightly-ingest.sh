#!/usr/bin/env bash
# The nightly incremental ingest, for cron or a systemd timer. Settings come from the environment
# (a systemd EnvironmentFile, or the crontab line):
#   PAGEBEAM_INPUT   PDFs to read: a folder, a glob or paths, comma-separated   (required)
#   PAGEBEAM_SINK    chroma://HOST:PORT/NAME or milvus://HOST:PORT/NAME         (required)
#   PAGEBEAM_OUTPUT  ledger, dead letters, image files                          (default /var/lib/pagebeam/out)
#   PAGEBEAM_ARGS    more ingest options, e.g. "--prune=true --lockDir=/shared/locks"
#   FLINK_MASTER     HOST:PORT of a Flink session cluster: submit there instead of running locally
# Exit codes are ingest's: 0 done, 1 some vectors not written (dead letters), 2 configuration,
# 3 the previous run still holds the lock (this one did nothing).
set -euo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${PAGEBEAM_INPUT:?set PAGEBEAM_INPUT to the PDFs to read}"
: "${PAGEBEAM_SINK:?set PAGEBEAM_SINK to chroma://HOST:PORT/NAME or milvus://HOST:PORT/NAME}"
output="${PAGEBEAM_OUTPUT:-/var/lib/pagebeam/out}"

args=(ingest "--input=$PAGEBEAM_INPUT" "--sink=$PAGEBEAM_SINK" "--output=$output")
if [[ -n "${FLINK_MASTER:-}" ]]; then
  args+=(--runner=FlinkRunner "--flinkMaster=$FLINK_MASTER")
fi
# shellcheck disable=SC2206 # PAGEBEAM_ARGS is a list of options, split on spaces on purpose
args+=(${PAGEBEAM_ARGS:-})

echo "$(date -u +%FT%TZ) pagebeam nightly: ${args[*]}"
exec "$HOME_DIR/bin/pagebeam" "${args[@]}"
