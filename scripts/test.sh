#!/usr/bin/env bash
# The whole test suite, from a fresh machine: fetches the real-PDF corpus and installs the Chroma
# and Milvus test servers into tools/ (git-ignored), starts the servers and a local Flink cluster on
# 127.0.0.1, builds and runs every unit and end-to-end test with Maven, runs the README's quick
# start and checks its SUMMARY line, and stops the servers and the cluster. Installs Debian's chromium
# (root or sudo) for the search page test when it is missing.
set -euo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOME_DIR"
export DJL_OFFLINE=true

echo "== fetching the real-PDF test corpus (Debian documentation packages)"
scripts/fetch-corpus.sh

echo "== Chromium (Debian package) for the search page test"
if ! command -v chromium > /dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y -qq chromium > /dev/null || { apt-get update -qq && apt-get install -y -qq chromium > /dev/null; }
  else
    sudo apt-get install -y -qq chromium > /dev/null
  fi
fi
chromium --version 2> /dev/null || { echo "test.sh: Chromium could not be installed: apt-get install chromium" >&2; exit 1; }

echo "== starting the real Chroma and Milvus servers (127.0.0.1 only)"
scripts/test-servers.sh stop
eval "$(scripts/test-servers.sh start)"
export CHROMA MILVUS
trap 'scripts/test-servers.sh stop' EXIT
echo "CHROMA=$CHROMA MILVUS=$MILVUS"

echo "== starting the local Flink cluster: a JobManager and two TaskManagers (127.0.0.1 only)"
runner-configs/flink/local-cluster.sh stop
eval "$(runner-configs/flink/local-cluster.sh start)"
export FLINK_MASTER
trap 'scripts/test-servers.sh stop; runner-configs/flink/local-cluster.sh stop' EXIT
echo "FLINK_MASTER=$FLINK_MASTER"

echo "== building and running the tests"
# build-classpath leaves the launcher's classpath files, so bin/pagebeam below does not rebuild;
# -Pflink-job builds the job jar the Flink tests stage to the cluster (runner-configs, before tests).
mvn -B verify -Pflink-job dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
touch pipeline/target/classpath.txt tests/target/classpath.txt

echo "== quick start: bin/pagebeam ingest (into a new pagebeam-out, as on a fresh machine)"
# a rerun into an existing pagebeam-out is incremental (every sample is skipped); the check is of a first run
rm -rf pagebeam-out
summary="$(PAGEBEAM_NO_BUILD=1 bin/pagebeam ingest | grep '^SUMMARY ')"
echo "$summary"
samples=$(ls samples/*.pdf | wc -l)
python3 - "$summary" "$samples" <<'PY'
import glob, json, sys
s = json.loads(sys.argv[1][len("SUMMARY "):])
samples = int(sys.argv[2])
problems = []
if s["files_ok"] != samples:
    problems.append(f"files_ok={s['files_ok']} but there are {samples} sample PDFs")
if s["page_images"] != s["pages"]:
    problems.append(f"page_images={s['page_images']} != pages={s['pages']}")
# the ledger, written by another route than the counters, must say the same
ledger = [json.loads(l) for f in glob.glob("pagebeam-out/ledger/*.jsonl") for l in open(f) if l.strip()]
if len(ledger) != samples:
    problems.append(f"the ledger has {len(ledger)} lines for {samples} sample PDFs")
if sum(1 for l in ledger if l["status"] == "indexed") != s["files_ok"]:
    problems.append("files_ok differs from the ledger's indexed lines")
if sum(l["vectors"] for l in ledger) != s["vectors_written"]:
    problems.append("vectors_written differs from the ledger's sum")
if s["dimension"] != 384:
    problems.append(f"dimension={s['dimension']}, expected 384 for the default model")
# the default model is text-only: images are embedded by their OCR text and caption
images_with_text = s["embedded_images"] - s["images_without_text"]
if s["vectors_written"] != s["text_chunks"] + images_with_text:
    problems.append(f"vectors_written={s['vectors_written']} != text_chunks + images with text "
                    f"({s['text_chunks']} + {images_with_text})")
if s["ocr_pages"] != 1:
    problems.append(f"ocr_pages={s['ocr_pages']}: the sample corpus has one scanned page")
if s["text_chunks"] <= 10:
    problems.append(f"text_chunks={s['text_chunks']}: the scanned page's OCR text should add to the 10 of the text layer")
if s["images_without_encoder"] != 0:
    problems.append(f"images_without_encoder={s['images_without_encoder']}, expected 0 with OCR on")
if s["truncated_chunks"] != 0:
    problems.append(f"truncated_chunks={s['truncated_chunks']}")
if problems:
    sys.exit("quick start check failed: " + "; ".join(problems))
print("quick start check passed")
PY
echo "== all tests passed"
