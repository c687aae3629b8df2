#!/usr/bin/env bash
# A Flink 1.19 standalone session cluster on 127.0.0.1: one JobManager and two TaskManagers, each
# its own JVM, built from Maven-resolved jars (flink-dist is not served for 1.19) into the
# git-ignored tools/flink.
#   runner-configs/flink/local-cluster.sh start    resolve the classpath (first use), start, wait until both
#                                                  TaskManagers registered; prints FLINK_MASTER=127.0.0.1:PORT
#                                                  and FLINK_WEB=http://127.0.0.1:PORT
#   runner-configs/flink/local-cluster.sh stop     stop the processes it started, by PID
#   runner-configs/flink/local-cluster.sh status   the processes and what the JobManager reports
#   runner-configs/flink/local-cluster.sh env      print FLINK_MASTER, FLINK_WEB and the PIDs again
#   runner-configs/flink/local-cluster.sh start-taskmanager N   start TaskManager N again (after it died)
# Environment: JAVA_HOME (default: java on PATH), FLINK_TASKMANAGERS (2), FLINK_SLOTS (2 per TaskManager),
#              FLINK_TM_MEMORY (3072m: each TaskManager's process size, heap and native memory included).
set -euo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$HOME_DIR/runner-configs/flink"
TOOLS="$HOME_DIR/tools/flink"
RUN="$TOOLS/run"
STATE="$RUN/cluster.env"
CLASSPATH_FILE="$TOOLS/classpath.txt"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
TASKMANAGERS="${FLINK_TASKMANAGERS:-2}"
SLOTS="${FLINK_SLOTS:-2}"

# Flink on Java 17 needs these (Flink's own config.yaml passes them as env.java.opts.all).
JAVA_17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

install() {
  local pom="$HERE/cluster/pom.xml"
  if [[ ! -s "$CLASSPATH_FILE" || "$pom" -nt "$CLASSPATH_FILE" || "$HOME_DIR/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
    echo "local-cluster: resolving the Flink cluster classpath with Maven (first use)" >&2
    mkdir -p "$TOOLS"
    mvn -B -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Writes a process's config.yaml: the base plus its own ports.
write_conf() { # dir, extra lines...
  local dir="$1"; shift
  mkdir -p "$dir"
  cp "$HERE/conf/log4j.properties" "$dir/log4j.properties"
  # FLINK_TM_MEMORY replaces the TaskManagers' process size (the heap is Flink's share of it)
  local size='&'
  [[ -n "${FLINK_TM_MEMORY:-}" ]] && size="taskmanager.memory.process.size: $FLINK_TM_MEMORY"
  { sed "s/^taskmanager.memory.process.size: .*/$size/" "$HERE/conf/config.yaml"; printf '%s\n' "$@"; } \
      > "$dir/config.yaml"
}

# The JVM flags and dynamic -D settings Flink computes from the memory configuration.
resource_params() { # JM|TM, conf dir -> two lines: JVM flags, dynamic configs
  local kind="$1" conf="$2"
  "$JAVA" -cp "$(cat "$CLASSPATH_FILE")" org.apache.flink.runtime.util.bash.BashJavaUtils \
      "GET_${kind}_RESOURCE_PARAMS" --configDir "$conf" 2>/dev/null \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -2
}

launch() { # name, main class, conf dir, JM|TM
  local name="$1" main="$2" conf="$3" kind="$4" params jvm dynamic
  params="$(resource_params "$kind" "$conf")"
  jvm="$(sed -n 1p <<<"$params")"
  dynamic="$(sed -n 2p <<<"$params")"
  [[ -n "$jvm" ]] || { echo "local-cluster: Flink could not compute the memory settings of $name" >&2; exit 1; }
  local argfile="$RUN/$name.args"
  printf -- '-cp "%s"\n' "$(cat "$CLASSPATH_FILE")" > "$argfile"
  # shellcheck disable=SC2086
  DJL_OFFLINE=true nohup "$JAVA" $jvm "${JAVA_17_OPTS[@]}" -Dai.djl.offline=true \
      -Dlog.file="$TOOLS/log/$name.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
      @"$argfile" "$main" --configDir "$conf" ${5:-} $dynamic >> "$TOOLS/log/$name.out" 2>&1 &
  echo $!
}

rest_get() { python3 -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=3).read().decode())" "$1"; }

start() {
  install
  if [[ -f "$STATE" ]]; then
    stop
  fi
  mkdir -p "$RUN" "$TOOLS/log"
  # a new cluster, new logs; within its life they are appended to, so a restarted process keeps
  # the lines of the one that died
  rm -f "$TOOLS/log/"*.log "$TOOLS/log/"*.out
  local rest rpc blob tmp
  rest="$(free_port)"; rpc="$(free_port)"; blob="$(free_port)"
  tmp="$(mktemp -d "$RUN/tmp.XXXXXX")"
  local common=("jobmanager.rpc.port: $rpc" "rest.port: $rest" "blob.server.port: $blob" "io.tmp.dirs: $tmp"
      "taskmanager.numberOfTaskSlots: $SLOTS")
  write_conf "$TOOLS/conf/jobmanager" "${common[@]}"
  {
    echo "FLINK_MASTER=127.0.0.1:$rest"
    echo "FLINK_WEB=http://127.0.0.1:$rest"
    echo "FLINK_TMP=$tmp"
  } > "$STATE"
  local jm
  jm="$(launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      "$TOOLS/conf/jobmanager" JM "--executionMode cluster")"
  echo "FLINK_JM_PID=$jm" >> "$STATE"
  echo "FLINK_TASKMANAGERS=$TASKMANAGERS" >> "$STATE"
  for i in $(seq 1 "$TASKMANAGERS"); do
    write_conf "$TOOLS/conf/taskmanager-$i" "${common[@]}" "taskmanager.rpc.port: $(free_port)" \
        "taskmanager.data.port: $(free_port)" "metrics.internal.query-service.port: $(free_port)" \
        "taskmanager.resource-id: taskmanager-$i"
    launch_taskmanager "$i"
  done
  if ! wait_for_taskmanagers "$rest" "$TASKMANAGERS"; then
    echo "local-cluster: the cluster did not come up with $TASKMANAGERS TaskManagers; logs in $TOOLS/log:" >&2
    tail -20 "$TOOLS/log/jobmanager.log" >&2 || true
    stop
    exit 1
  fi
  grep -E '^FLINK_(MASTER|WEB)=' "$STATE"
}

launch_taskmanager() { # N: its conf is tools/flink/conf/taskmanager-N; records its PID
  local i="$1" tm
  tm="$(launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      "$TOOLS/conf/taskmanager-$i" TM)"
  sed -i "/^FLINK_TM${i}_PID=/d" "$STATE"
  echo "FLINK_TM${i}_PID=$tm" >> "$STATE"
}

wait_for_taskmanagers() { # rest port, count
  for _ in $(seq 1 180); do
    if [[ "$(rest_get "http://127.0.0.1:$1/overview" 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["taskmanagers"])' 2>/dev/null)" == "$2" ]]; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

start_taskmanager() { # N
  [[ -f "$STATE" ]] || { echo "local-cluster: not running" >&2; exit 3; }
  # shellcheck disable=SC1090
  source "$STATE"
  local i="${1:?which TaskManager}" pid_var="FLINK_TM${1}_PID"
  if kill -0 "${!pid_var:-0}" 2>/dev/null; then
    echo "local-cluster: TaskManager $i is running (PID ${!pid_var})" >&2
    return 0
  fi
  launch_taskmanager "$i"
  wait_for_taskmanagers "${FLINK_MASTER##*:}" "$FLINK_TASKMANAGERS" \
    || { echo "local-cluster: TaskManager $i did not register again" >&2; exit 1; }
  grep "^FLINK_TM${i}_PID=" "$STATE"
}

stop() {
  [[ -f "$STATE" ]] || return 0
  # shellcheck disable=SC1090
  source "$STATE"
  local pids
  pids="$(grep -E '^FLINK_(JM|TM[0-9]+)_PID=' "$STATE" | cut -d= -f2)"
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "${FLINK_TMP:-}" "$STATE"
}

status() {
  if [[ ! -f "$STATE" ]]; then
    echo "local-cluster: not running"
    return 3
  fi
  # shellcheck disable=SC1090
  source "$STATE"
  grep -E '^FLINK_(JM|TM[0-9]+)_PID=' "$STATE" | while IFS='=' read -r key pid; do
    if kill -0 "$pid" 2>/dev/null; then echo "$key $pid running"; else echo "$key $pid gone"; fi
  done
  echo "$FLINK_WEB: $(rest_get "$FLINK_MASTER/overview" 2>/dev/null || rest_get "http://$FLINK_MASTER/overview" 2>/dev/null || echo 'not answering')"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) [[ -f "$STATE" ]] && grep -E '^FLINK_' "$STATE" ;;
  start-taskmanager) start_taskmanager "${2:-}" ;;
  *) echo "usage: runner-configs/flink/local-cluster.sh start|stop|status|env|install|start-taskmanager N" >&2; exit 2 ;;
esac
