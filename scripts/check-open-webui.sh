#!/usr/bin/env bash
# End-to-end check of pagebeam with a real Open WebUI (PyPI open-webui 0.12.4), offline, on 127.0.0.1:
#   1. installs Open WebUI into tools/open-webui/venv (git-ignored; about 7.3 GB, 3-4 minutes, once),
#   2. starts the test Chroma server, ingests samples/ into a new Chroma collection with pagebeam,
#   3. starts `pagebeam serve` on that collection and Open WebUI with pagebeam serve as its embedding
#      engine (RAG_EMBEDDING_ENGINE=openai) and the same Chroma as its vector store,
#   4. through Open WebUI's own HTTP API (no LLM needed):
#      (a) uploads a sample PDF into a knowledge base, which Open WebUI embeds through pagebeam serve,
#          and searches it,
#      (b) searches the collection pagebeam ingest wrote and expects the ticket's page first,
#      (c) registers pagebeam serve's /openapi.json as a tool server and checks Open WebUI lists it,
#   5. stops what it started. Exit 0 when every check passed.
# Not part of scripts/test.sh (the install alone is 7 GB); see docs/open-webui.md.
set -euo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HOME_DIR"
export DJL_OFFLINE=true
OWUI="$HOME_DIR/tools/open-webui"
RUN="$OWUI/run-$(date +%s)"
mkdir -p "$RUN"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # URL SECONDS WHAT LOG
  for _ in $(seq 1 "$2"); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "check-open-webui: $3 did not answer $1 within $2 s; its log: $4" >&2
  tail -20 "$4" >&2
  return 1
}

if [[ ! -x "$OWUI/venv/bin/open-webui" ]]; then
  echo "== installing Open WebUI 0.12.4 into tools/open-webui/venv (about 7.3 GB, once)"
  python3 -m venv "$OWUI/venv"
  "$OWUI/venv/bin/pip" install -q --disable-pip-version-check open-webui==0.12.4
fi

echo "== building pagebeam and starting the test Chroma server (127.0.0.1)"
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    -Dmdep.includeScope=runtime
touch pipeline/target/classpath.txt tests/target/classpath.txt
eval "$(scripts/test-servers.sh start)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/test-servers.sh stop
}
trap cleanup EXIT

collection="pagebeam_owui_$(date +%s)"
sink="chroma://$CHROMA/$collection"
echo "== pagebeam ingest samples/ -> $sink"
PAGEBEAM_NO_BUILD=1 bin/pagebeam ingest --sink="$sink" --output="$RUN/out" | grep '^SUMMARY'

serve_port=$(free_port)
echo "== pagebeam serve on 127.0.0.1:$serve_port"
PAGEBEAM_NO_BUILD=1 bin/pagebeam serve --sink="$sink" --output="$RUN/out" --port="$serve_port" \
    > "$RUN/serve.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$serve_port/health" 120 "pagebeam serve" "$RUN/serve.log"
model=$(curl -fsS "http://127.0.0.1:$serve_port/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["model"])')

owui_port=$(free_port)
echo "== Open WebUI on 127.0.0.1:$owui_port (offline; embeddings: pagebeam serve, model $model; vectors: Chroma)"
(
  cd "$RUN"
  # the env below only seeds settings on a first start: every run gets a new DATA_DIR
  env OFFLINE_MODE=true HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False DO_NOT_TRACK=true \
    SCARF_NO_ANALYTICS=true WEBUI_AUTH=False DATA_DIR="$RUN/data" ENABLE_OLLAMA_API=false ENABLE_OPENAI_API=false \
    RAG_EMBEDDING_ENGINE=openai RAG_OPENAI_API_BASE_URL="http://127.0.0.1:$serve_port/v1" RAG_OPENAI_API_KEY=unused \
    RAG_EMBEDDING_MODEL="$model" RAG_EMBEDDING_PREFIX_FIELD_NAME=input_type RAG_EMBEDDING_QUERY_PREFIX=query \
    RAG_EMBEDDING_CONTENT_PREFIX=document ENABLE_RETRIEVAL_QUERY_GENERATION=false \
    VECTOR_DB=chroma CHROMA_HTTP_HOST=127.0.0.1 CHROMA_HTTP_PORT="${CHROMA##*:}" \
    "$OWUI/venv/bin/open-webui" serve --host 127.0.0.1 --port "$owui_port"
) > "$RUN/open-webui.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$owui_port/health" 240 "Open WebUI" "$RUN/open-webui.log"

echo "== checks through Open WebUI's HTTP API"
"$OWUI/venv/bin/python" - "http://127.0.0.1:$owui_port" "http://127.0.0.1:$serve_port" "$collection" \
    "$HOME_DIR/samples/espresso-field-guide.pdf" <<'PY'
import json, sys, time
import requests

webui, serve, collection, sample = sys.argv[1:5]
failures = []

def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)

def embedded_texts():
    return requests.get(serve + "/metrics").json()["embedding"]["texts"]

token = requests.post(webui + "/api/v1/auths/signin", json={"email": "", "password": ""}).json()["token"]
auth = {"Authorization": "Bearer " + token}

# (a) a knowledge base: Open WebUI reads the PDF and embeds its chunks through pagebeam serve
before = embedded_texts()
with open(sample, "rb") as f:
    uploaded = requests.post(webui + "/api/v1/files/", headers=auth,
                             files={"file": ("espresso-field-guide.pdf", f, "application/pdf")}).json()
file_id = uploaded["id"]
for _ in range(120):
    status = requests.get(webui + f"/api/v1/files/{file_id}/process/status", headers=auth).json().get("status")
    if status in ("completed", "failed"):
        break
    time.sleep(1)
check(status == "completed", f"the uploaded PDF was processed (status {status})")
kb = requests.post(webui + "/api/v1/knowledge/create", headers=auth,
                   json={"name": "pagebeam check", "description": "embedded by pagebeam serve"}).json()
added = requests.post(webui + f"/api/v1/knowledge/{kb['id']}/file/add", headers=auth, json={"file_id": file_id})
check(added.status_code == 200, f"the file was added to knowledge base {kb['id']} (HTTP {added.status_code})")
after = embedded_texts()
check(after > before, f"Open WebUI embedded through pagebeam serve ({after - before} texts)")
answer = requests.post(webui + "/api/v1/retrieval/query/collection", headers=auth,
                       json={"collection_names": [kb["id"]], "query": "how hot should the steamed milk get", "k": 2}).json()
docs = answer.get("documents", [[]])[0]
print("knowledge base answer:", json.dumps([d[:80] for d in docs]))
check(any("sixty degrees" in d for d in docs), "the knowledge base answers from the uploaded PDF")

# (b) the collection pagebeam ingest wrote, searched by Open WebUI with pagebeam serve embedding the question
question = "the export dialog stays at 99 percent and never closes"
answer = requests.post(webui + "/api/v1/retrieval/query/collection", headers=auth,
                       json={"collection_names": [collection], "query": question, "k": 3}).json()
print(f"Open WebUI's answer for {question!r} from {collection}:")
for rank, (meta, dist) in enumerate(zip(answer["metadatas"][0], answer["distances"][0]), 1):
    print(f"  {rank}. score {dist:.4f}  {meta.get('name')}  page {meta.get('page')} (shown as page"
          f" {meta.get('page') + 1})  {meta.get('type')}")
top = answer["metadatas"][0][0]
check(top.get("name") == "ticket-4821-export-hangs.pdf" and top.get("page_label") == "1",
      "pagebeam's page is Open WebUI's top hit (ticket-4821-export-hangs.pdf, page 1)")

# (c) pagebeam serve's search as an OpenAPI tool server
connection = {"url": serve, "path": "openapi.json", "type": "openapi", "auth_type": "none", "key": "",
              "config": {"enable": True}, "info": {"id": "docsearch", "name": "Doc Search"}}
saved = requests.post(webui + "/api/v1/configs/tool_servers", headers=auth,
                      json={"TOOL_SERVER_CONNECTIONS": [connection]})
check(saved.status_code == 200, f"the tool server was saved (HTTP {saved.status_code})")
verified = requests.post(webui + "/api/v1/configs/tool_servers/verify", headers=auth, json=connection)
spec = verified.json() if verified.status_code == 200 else {}
operations = [op.get("operationId") for path in spec.get("paths", {}).values() for op in path.values()]
check("search_documents" in operations, f"Open WebUI fetched the spec: operations {operations}")
tools = [t["id"] for t in requests.get(webui + "/api/v1/tools/", headers=auth).json()]
check("server:docsearch" in tools, f"Open WebUI lists the tool server: {tools}")

print("check-open-webui: " + ("all checks passed" if not failures else f"{len(failures)} FAILED: {failures}"))
sys.exit(1 if failures else 0)
PY
# passed: the run's folder (Open WebUI's database, the ingest output, the logs) is not needed again
rm -rf "$RUN"
