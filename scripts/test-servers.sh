#!/usr/bin/env bash
# Real Chroma and Milvus servers for pagebeam's tests and examples, on 127.0.0.1 only.
#   scripts/test-servers.sh install   install both into tools/ (git-ignored); done by start too
#   scripts/test-servers.sh start     start both on free ports; prints CHROMA=127.0.0.1:PORT and MILVUS=127.0.0.1:PORT
#   scripts/test-servers.sh stop      stop both (by PID) and delete their temporary data
#   scripts/test-servers.sh env       print the lines again (for `eval "$(scripts/test-servers.sh env)"`)
#
# Chroma: npm chromadb 3.0.14 with chromadb-js-bindings-linux-x64-gnu 1.0.5 pinned exactly (newer
#   bindings need glibc 2.38+), the server reports version 1.0.0; one node process.
# Milvus: milvus-lite 3.2.2 from PyPI, a real Milvus server process (gRPC, reports milvus_lite-3.2.2).
#   PyPI's `milvus` package stops at 2.3.5 and its standalone binaries listen on every interface,
#   which this project does not allow; milvus-lite binds the address it is given.
set -euo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$HOME_DIR/tools"
RUN="$TOOLS/run"
STATE="$RUN/servers.env"

install_chroma() {
  if [[ ! -x "$TOOLS/chroma/node_modules/.bin/chroma" && ! -f "$TOOLS/chroma/node_modules/chromadb/dist/cli.mjs" ]]; then
    echo "test-servers: installing Chroma (npm, about 420 MB) into tools/chroma" >&2
    mkdir -p "$TOOLS/chroma"
    cp "$HOME_DIR/scripts/servers/chroma/package.json" "$HOME_DIR/scripts/servers/chroma/package-lock.json" "$TOOLS/chroma/"
    (cd "$TOOLS/chroma" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

install_milvus() {
  local requirements="$HOME_DIR/scripts/servers/milvus/requirements.txt"
  local stamp="$TOOLS/milvus-lite/.requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  # a venv made from an older requirements file is brought up to date
  if [[ ! -x "$TOOLS/milvus-lite/bin/milvus-lite" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    echo "test-servers: installing Milvus Lite and pymilvus's bulk writer (PyPI) into tools/milvus-lite" >&2
    [[ -x "$TOOLS/milvus-lite/bin/python" ]] || python3 -m venv "$TOOLS/milvus-lite"
    "$TOOLS/milvus-lite/bin/pip" install -q --disable-pip-version-check -r "$requirements" >&2
    echo "$want" > "$stamp"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # name, command...
  local name="$1"; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "test-servers: $name did not become ready; its log:" >&2
  tail -20 "$RUN/$name.log" >&2 || true
  return 1
}

http_ok() { python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2).read()" "$1"; }

tcp_open() { python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$1"; }

start() {
  install_chroma
  install_milvus
  if [[ -f "$STATE" ]]; then
    stop
  fi
  mkdir -p "$RUN"
  local chroma_port milvus_port chroma_data milvus_data
  chroma_port="$(free_port)"
  milvus_port="$(free_port)"
  chroma_data="$(mktemp -d "$RUN/chroma-data.XXXXXX")"
  milvus_data="$(mktemp -d "$RUN/milvus-data.XXXXXX")"
  node "$TOOLS/chroma/node_modules/chromadb/dist/cli.mjs" run --host 127.0.0.1 --port "$chroma_port" \
      --path "$chroma_data" > "$RUN/chroma.log" 2>&1 &
  local chroma_pid=$!
  "$TOOLS/milvus-lite/bin/milvus-lite" server --data-dir "$milvus_data" --host 127.0.0.1 --port "$milvus_port" \
      > "$RUN/milvus.log" 2>&1 &
  local milvus_pid=$!
  cat > "$STATE" <<ENV
CHROMA=127.0.0.1:$chroma_port
MILVUS=127.0.0.1:$milvus_port
CHROMA_PID=$chroma_pid
MILVUS_PID=$milvus_pid
CHROMA_DATA=$chroma_data
MILVUS_DATA=$milvus_data
ENV
  wait_for chroma http_ok "http://127.0.0.1:$chroma_port/api/v2/heartbeat"
  wait_for milvus tcp_open "$milvus_port"
  env_lines
}

env_lines() {
  grep -E '^(CHROMA|MILVUS)=' "$STATE"
}

stop() {
  [[ -f "$STATE" ]] || return 0
  # shellcheck disable=SC1090
  source "$STATE"
  for pid in "$CHROMA_PID" "$MILVUS_PID"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$CHROMA_PID" "$MILVUS_PID"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$CHROMA_DATA" "$MILVUS_DATA" "$STATE"
}

case "${1:-}" in
  install) install_chroma; install_milvus ;;
  start) start ;;
  stop) stop ;;
  env) env_lines ;;
  *) echo "usage: scripts/test-servers.sh install|start|stop|env" >&2; exit 2 ;;
esac
