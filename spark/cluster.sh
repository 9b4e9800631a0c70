#!/usr/bin/env bash
# A Spark standalone cluster on this machine's loopback, from the Spark jars the spark module's build lists
# (target/spark-cluster-classpath.txt; no Spark download): one master and two workers (1 core, 2 GB each),
# started with a plain 'java -cp', for the cluster test (SparkClusterTest), the benchmark
# (bench/run-spark-cluster-bench.sh) and trying spark:// sweeps by hand.
#
#   spark/cluster.sh start  [--dir DIR] [--workers N]   starts it, waits until every worker is registered, and
#                                                       prints the master URL, spark://127.0.0.1:PORT
#   spark/cluster.sh submit [--dir DIR] SPEC --db FILE --out DIR [--json]
#                                                       spark-submit of spark/target/overparam-spark.jar
#                                                       (org.apache.spark.deploy.SparkSubmit, client mode) to it
#   spark/cluster.sh submit [--dir DIR] predict --centres M ... (overparam predict's options)
#                                                       the same for 'overparam-spark predict': the Nystrom
#                                                       solver with K_nM's row blocks on the executors
#   spark/cluster.sh status [--dir DIR]                 the master URL and which daemons run (exit 1: none)
#   spark/cluster.sh stop   [--dir DIR]                 stops exactly the processes 'start' started
#
# DIR (default $OVERPARAM_SPARK_CLUSTER, else $TMPDIR/overparam-spark-cluster-$UID) holds the pid files, the
# logs, the master URL and the workers' work folders (the executors' logs): one cluster per DIR, so tests and
# a user's cluster never meet. Every port is picked by the operating system (port 0), read back from the logs:
# no fixed port to collide with. Errors a user can cause are one line and exit 2.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classpath_file="$here/target/spark-cluster-classpath.txt"
jar="$here/target/overparam-spark.jar"
# Waiting bounds are generous: on a loaded 2-core machine a Spark JVM can take a minute to come up. They only
# end a start that would otherwise hang.
timeout_s="${OVERPARAM_SPARK_CLUSTER_TIMEOUT:-300}"

die() { echo "cluster.sh: error: $*" >&2; exit 2; }

cmd="${1:-}"
[[ -n "$cmd" ]] && shift
# the system temp folder as mktemp sees it (TMPDIR or its default), never a fixed path
tmp_root="$(dirname "$(mktemp -u)")"
dir="${OVERPARAM_SPARK_CLUSTER:-$tmp_root/overparam-spark-cluster-$(id -u)}"
workers=2
args=()
while (($#)); do
  case "$1" in
    --dir) [[ $# -ge 2 ]] || die "--dir needs a folder"; dir="$2"; shift 2 ;;
    --dir=*) dir="${1#--dir=}"; shift ;;
    --workers) # start's; submit passes it on (overparam-spark refuses it: Spark's cores decide the parallelism)
      if [[ "$cmd" == start ]]; then
        [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]?$ ]] || die "--workers needs a count from 1 to 99"; workers="$2"; shift 2
      else
        args+=("$1"); shift
      fi ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ "$cmd" == start ]]; then
  mkdir -p "$dir" 2>/dev/null || die "cannot create the cluster folder $dir"
fi
[[ -d "$dir" ]] && dir="$(cd "$dir" && pwd)"

# pid of a daemon this DIR's 'start' launched and that still runs, else nothing. The pid file alone is not
# trusted (a pid can be reused after a crash): the process must also be a java process whose command line names
# this DIR.
alive() { # NAME
  local f="$dir/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(<"$f")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/" && echo "$pid"
  return 0
}

# Child processes of PID (a worker's executors), from /proc: procps may be missing on a fresh machine.
children() { # PID
  # stat: "pid (command name) state ppid ...", the name in parentheses and possibly holding spaces
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == p) print pid }' || true
}

all_names() { # every daemon this DIR has a pid file for, workers first
  local f
  for f in "$dir"/worker*.pid; do [[ -f "$f" ]] && basename "$f" .pid; done
  [[ -f "$dir/master.pid" ]] && echo master
  return 0
}

stop_all() {
  local name pid kids=() waited
  for name in $(all_names); do
    pid="$(alive "$name")"
    if [[ -n "$pid" ]]; then
      # a worker stops its executors itself on TERM; note them in case it cannot (they are killed below)
      kids+=($(children "$pid"))
      kill -TERM "$pid" 2>/dev/null || true
      waited=0
      while [[ -d /proc/$pid ]] && ((waited++ < 300)); do sleep 0.1; done
      [[ -d /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null || true
      echo "cluster.sh: stopped $name (pid $pid)" >&2
    fi
    rm -f "$dir/$name.pid"
  done
  for pid in "${kids[@]}"; do
    [[ -d /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null && echo "cluster.sh: stopped executor (pid $pid)" >&2 || true
  done
  rm -f "$dir/master-url"
}

# Waits until FILE has a line matching REGEX and prints its first match; fails (exit 1, the log's tail shown) if
# the daemon NAME dies or the bound passes.
await_line() { # NAME FILE REGEX
  local name="$1" file="$2" re="$3" t line
  for ((t = 0; t < timeout_s * 5; t++)); do
    line="$(grep -oE "$re" "$file" 2>/dev/null | head -n 1 || true)"
    [[ -n "$line" ]] && { echo "$line"; return 0; }
    if [[ -z "$(alive "$name")" ]]; then
      tail -n 20 "$file" >&2 || true
      echo "cluster.sh: error: the $name exited while starting (log: $file)" >&2
      stop_all; exit 1
    fi
    sleep 0.2
  done
  tail -n 20 "$file" >&2 || true
  echo "cluster.sh: error: the $name did not get ready within $timeout_s s (log: $file)" >&2
  stop_all; exit 1
}

launch() { # NAME CLASS ARGS...: a daemon in the background, its output in NAME.log, its pid in NAME.pid
  local name="$1"; shift
  # SPARK_HOME: a worker builds its executors' command line from it (their classpath is $SPARK_HOME/jars/*).
  # SPARK_SCALA_VERSION: Spark's launcher library otherwise looks for a source build's folders to find it.
  # No stdin, output to the log: the caller's pipes must close when this script ends.
  SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_PUBLIC_DNS=127.0.0.1 \
    SPARK_CONF_DIR="$dir/spark-home/conf" \
    nohup java -Xmx512m -Doverparam.spark.cluster="$dir/" -cp "$(<"$classpath_file")" "$@" \
    </dev/null >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

start() {
  command -v java >/dev/null || die "java not found on PATH; install a JDK 17 (apt-get install openjdk-17-jdk-headless)"
  [[ -s "$classpath_file" ]] || die "no $classpath_file: build the spark module first (mvn -B -pl spark -am package -DskipTests)"
  local name
  for name in $(all_names); do
    [[ -n "$(alive "$name")" ]] && die "a cluster already runs from $dir ($(<"$dir/master-url" 2>/dev/null || echo starting)); stop it first: spark/cluster.sh stop --dir $dir"
  done
  rm -f "$dir"/*.pid "$dir"/*.log "$dir/master-url"
  # A Spark home made of links to the Maven repository's jars: what a worker needs to launch executors.
  rm -rf "$dir/spark-home"
  mkdir -p "$dir/spark-home/jars" "$dir/spark-home/conf"
  local j
  tr ':' '\n' <"$classpath_file" | while read -r j; do
    [[ -n "$j" ]] && ln -sf "$j" "$dir/spark-home/jars/$(basename "$(dirname "$(dirname "$j")")")-$(basename "$j")"
  done
  # The daemons' settings: no REST submission server (its port, 6066, is fixed), no worker-side cleanup.
  cat >"$dir/spark-home/conf/spark-defaults.conf" <<'CONF'
spark.master.rest.enabled false
spark.ui.showConsoleProgress false
CONF
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
    --properties-file "$dir/spark-home/conf/spark-defaults.conf"
  local url
  url="$(await_line master "$dir/master.log" 'spark://127\.0\.0\.1:[0-9]+')"
  for ((i = 1; i <= workers; i++)); do
    mkdir -p "$dir/work/worker$i"
    launch "worker$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
      --cores 1 --memory 2g --work-dir "$dir/work/worker$i" --properties-file "$dir/spark-home/conf/spark-defaults.conf" "$url"
  done
  for ((i = 1; i <= workers; i++)); do
    await_line "worker$i" "$dir/worker$i.log" 'Successfully registered with master' >/dev/null
  done
  echo "$url" >"$dir/master-url"
  echo "cluster.sh: master $url with $workers workers (1 core, 2 GB each); logs in $dir" >&2
  echo "$url"
}

status() {
  local name pid any=0
  [[ -f "$dir/master-url" ]] && echo "$(<"$dir/master-url")"
  for name in $(all_names); do
    pid="$(alive "$name")"
    if [[ -n "$pid" ]]; then echo "$name: running (pid $pid)"; any=1; else echo "$name: not running"; fi
  done
  ((any)) || { echo "cluster.sh: no cluster runs from $dir" >&2; return 1; }
}

submit() {
  command -v java >/dev/null || die "java not found on PATH; install a JDK 17 (apt-get install openjdk-17-jdk-headless)"
  [[ -s "$classpath_file" && -f "$jar" ]] || die "no $jar: build the spark module first (mvn -B -pl spark -am package -DskipTests)"
  [[ -f "$dir/master-url" && -n "$(alive master)" ]] || die "no cluster runs from $dir; start one: spark/cluster.sh start --dir $dir"
  local url
  url="$(<"$dir/master-url")"
  # Client mode: the driver (and the DuckDB store) in this process, on the loopback like the cluster.
  # spark.task.maxFailures: a task is tried again on another executor up to 4 times (a lost executor's tasks
  # do not even count as failures), so a worker dying mid-sweep costs only its running run.
  # Executors: a 2 GB heap (a worker's memory) and JavaCPP's off-heap cap at a third of this machine's memory each,
  # the two together the 2/3 ./overparam gives its one JVM. The cap is what JavaCPP counts to decide on a
  # System.gc(), and a small heap collects often: with a 1 GB heap and a 2 GB cap runs took a third longer than
  # in-process, with these a fifth (bench/run-spark-cluster-bench.sh).
  local mem_kb offheap_mb
  mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 8388608)
  offheap_mb=$(( mem_kb / 1024 / 3 ))
  # Logging: overparam-spark's warnings-only configuration, as with the launcher, not SparkSubmit's INFO.
  unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS GOTO_NUM_THREADS || true
  SPARK_LOCAL_IP=127.0.0.1 exec java -Xmx2g -Dlog4j2.configurationFile="$here/src/main/resources/log4j2.properties" \
    ${OVERPARAM_JAVA_OPTS:-} -cp "$(<"$classpath_file")" org.apache.spark.deploy.SparkSubmit \
    --master "$url" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --conf spark.task.maxFailures=4 --conf spark.executor.memory=2g \
    --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxBytes=${offheap_mb}m -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    --class org.overparam.spark.SparkSweepMain "$jar" "${args[@]}"
}

case "$cmd" in
  start) start ;;
  stop) stop_all ;;
  status) status ;;
  submit) submit ;;
  *) die "usage: spark/cluster.sh start|submit|status|stop [--dir DIR] (see the comment at the top)" ;;
esac
