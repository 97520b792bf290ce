#!/usr/bin/env bash
# compare.sh
#
# The side-by-side comparison of issue 9, in one run on this machine:
#   1. start-to-healthy of the service jar (filesystem backend), median of STARTS starts;
#   2. the service on the filesystem backend beside nginx and S3Proxy (../shared/bench/baseline.sh, which runs
#      wrk/hey/curl against all three);
#   3. the service on the S3 backend in front of S3Proxy, beside S3Proxy direct (baseline.sh again, plus a paired
#      PUT 64 MiB that baseline.sh does not measure);
#   4. one table: medians of RUNS runs, paired ratios to nginx / S3Proxy, issue 9's targets met or not.
# Starts only what is not running and stops what it started (also on Ctrl-C or failure).
#
# Env: SERVICE_JAVA_OPTS="-Xms64m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC ..."  (the README's run command)
#      RUNS=3 DUR=10 WARM=45 PHYS=1 PUT4K_N=5000     (passed on to baseline.sh; RUNS >= 3 for a verdict)
#      STARTS=3  SERVICE_JAR=<root>/target/storage-service.jar  JAVA_BIN=java
#      SERVICE_CMD=...   a command replacing "$JAVA_BIN $SERVICE_JAVA_OPTS -jar $SERVICE_JAR" (another build,
#                        a profiler wrapper); it gets the config path as its argument and STORAGE_* in its env
#      SHARED_BENCH=<root>/../shared/bench  PERFBASE_DIR=${TMPDIR:-/tmp}/storage-bench  S3_PORT=18081
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || (cd "$HERE/.." && pwd))
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
BASELINE=$SHARED_BENCH/baseline.sh
JAVA_BIN=${JAVA_BIN:-java}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xms64m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:SharedArchiveFile=$ROOT/target/storage-service.jsa}
SERVICE_JAR=${SERVICE_JAR:-$ROOT/target/storage-service.jar}
SERVICE_CMD=${SERVICE_CMD:-}
STARTS=${STARTS:-3}
S3_PORT=${S3_PORT:-18081}
S3PROXY_VERSION=${S3PROXY_VERSION:-4.1.0}
export RUNS=${RUNS:-3} PERFBASE_DIR=${PERFBASE_DIR:-${TMPDIR:-/tmp}/storage-bench}
export S3_PORT S3PROXY_VERSION

TS=$(date +%Y%m%d-%H%M%S)
OUT=$PERFBASE_DIR/compare/$TS
WORK=$PERFBASE_DIR/service
EXTRA=$OUT/extra.tsv
mkdir -p "$OUT" "$WORK"
: > "$EXTRA"

log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }
die() { echo "[compare] ERROR: $*" >&2; exit 1; }
rec() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$EXTRA"; }
http_code() { curl -s -o /dev/null -m "${HTTP_TIMEOUT:-3}" -w '%{http_code}' "$@" 2>/dev/null || true; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

[ -x "$BASELINE" ] || [ -f "$BASELINE" ] || die "baseline script not found: $BASELINE (set SHARED_BENCH)"
[ "$RUNS" -ge 3 ] || log "WARNING: RUNS=$RUNS: medians of fewer than 3 runs are a plumbing check, not a result"

# ---------- processes we start, stopped on any exit ----------
SVC_PID=""; S3P_PID=""; PROXY_PID=""
stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  set +e
  stop_pid "$SVC_PID"
  stop_pid "$S3P_PID"
  stop_pid "$PROXY_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------- the service ----------
if [ -z "$SERVICE_CMD" ]; then
  if [ ! -s "$SERVICE_JAR" ]; then
    log "building $SERVICE_JAR"
    (cd "$ROOT" && mvn -B -q package -DskipTests) || die "service build failed"
  fi
  # shellcheck disable=SC2206
  LAUNCH=("$JAVA_BIN" $SERVICE_JAVA_OPTS -jar "$SERVICE_JAR")
else
  # shellcheck disable=SC2206
  LAUNCH=($SERVICE_CMD)
fi

# start_service NAME PORT [VAR=VALUE...]: starts it in $WORK/NAME, waits for 200 on /health;
# sets SVC_PID and STARTUP_MS (process start to first 200).
start_service() {
  local name=$1 port=$2; shift 2
  local dir=$WORK/$name t0 code
  mkdir -p "$dir"
  t0=$(now_ms)
  (cd "$dir" && exec env STORAGE_SERVER_HOST=127.0.0.1 STORAGE_SERVER_PORT="$port" \
      STORAGE_STORAGE_FILESYSTEM_ROOT="$dir/data" "$@" "${LAUNCH[@]}" "$dir/config.yaml") >"$dir/service.log" 2>&1 &
  SVC_PID=$!
  while :; do
    code=$(HTTP_TIMEOUT=1 http_code "http://127.0.0.1:$port/health")
    [ "$code" = 200 ] && break
    kill -0 "$SVC_PID" 2>/dev/null || { tail -20 "$dir/service.log" >&2; die "$name exited before it was healthy"; }
    [ $(( $(now_ms) - t0 )) -lt 60000 ] || { tail -20 "$dir/service.log" >&2; die "$name not healthy after 60 s"; }
    sleep 0.01
  done
  STARTUP_MS=$(( $(now_ms) - t0 ))
  log "$name up on :$port (pid $SVC_PID) in $STARTUP_MS ms"
}
stop_service() { stop_pid "$SVC_PID"; SVC_PID=""; }

ensure_bucket() { # port bucket
  local code
  code=$(http_code -X POST "http://127.0.0.1:$1/buckets/$2")
  case $code in 200|201) ;; *) die "POST /buckets/$2 answered $code";; esac
}

latest_results() { readlink -f "$PERFBASE_DIR/results/latest"; }

# ---------- 1. start to healthy ----------
log "start to healthy: one untimed start (file cache), then $STARTS timed"
port=$(free_port)
start_service startup "$port" STORAGE_STORAGE_BACKEND=filesystem; stop_service
for r in $(seq 1 "$STARTS"); do
  start_service startup "$port" STORAGE_STORAGE_BACKEND=filesystem
  rec start-to-healthy ms service-fs "$r" "$STARTUP_MS"
  stop_service
done

# ---------- 2. filesystem backend beside nginx and S3Proxy ----------
port=$(free_port)
start_service fs "$port" STORAGE_STORAGE_BACKEND=filesystem
ensure_bucket "$port" bench
log "baseline.sh with the service (filesystem) as third target"
TARGET_NAME=service-fs bash "$BASELINE" "http://127.0.0.1:$port/objects/bench/" || die "baseline.sh failed (filesystem run)"
FS_RESULTS=$(latest_results)
stop_service

# ---------- 2b. filesystem backend with fsync off, PUTs beside nginx ----------
# nginx's WebDAV PUT neither fsyncs the file nor its directory; this measures the service on the same terms
# (storage.filesystem.fsync: false), with baseline.sh's tools and steps, each run paired with nginx.
NGINX_URL=http://127.0.0.1:${NGINX_PORT:-18080}/bench/
NGINX_OWN=0
if [ "$(http_code "$NGINX_URL")" = 000 ]; then
  nginx -p "$PERFBASE_DIR/nginx/" -c "$PERFBASE_DIR/nginx.conf" -e "$OUT/nginx-error.log" || die "nginx failed to start"
  NGINX_OWN=1
fi
port=$(free_port)
start_service fs-nofsync "$port" STORAGE_STORAGE_BACKEND=filesystem STORAGE_STORAGE_FILESYSTEM_FSYNC=false
ensure_bucket "$port" bench
log "PUT 4 KiB (hey -c16) and PUT 256 MiB (curl -T), service without fsync and nginx back to back"
# warm-up: nginx as baseline.sh; the freshly started service 45 s of the same PUTs, so the JIT has compiled them
timeout 120 hey -n 500 -c 16 -m PUT -D "$PERFBASE_DIR/data/f4k" -T application/octet-stream "${NGINX_URL}put4k" \
  >/dev/null 2>&1
timeout 120 hey -z 45s -c 16 -m PUT -D "$PERFBASE_DIR/data/f4k" -T application/octet-stream \
  "http://127.0.0.1:$port/objects/bench/put4k" >/dev/null 2>&1
for r in $(seq 1 "$RUNS"); do
  for t in "nginx $NGINX_URL" "service-fs-nofsync http://127.0.0.1:$port/objects/bench/"; do
    name=${t%% *}; url=${t#* }
    rps=$(timeout 300 hey -n "${PUT4K_N:-5000}" -c 16 -t 20 -m PUT -D "$PERFBASE_DIR/data/f4k" \
      -T application/octet-stream "${url}put4k" 2>&1 | awk '/Requests\/sec/{print $2}')
    [ -n "$rps" ] && rec "PUT-4KiB(hey-c16)" req/s "$name" "$r" "$rps"
    curl -s -o /dev/null -m 30 -X DELETE "${url}put256m"; sync; sleep 1
    read -r code size took < <(curl -s -o /dev/null -m 300 -H 'Expect:' -T "$PERFBASE_DIR/data/f256m" \
      -w '%{http_code} %{size_upload} %{time_total}\n' "${url}put256m" || echo "000 0 0")
    case $code in 2??) rec "PUT-256MiB(curl)" MiB/s "$name" "$r" "$(awk "BEGIN{printf \"%.3f\", $size/1048576/$took}")";;
      *) log "WARN: $name PUT 256 MiB answered $code";; esac
  done
  # the bound of a PUT whose ETag is its MD5, in the same run: the JDK's MD5 of the same file on one core
  md5=$("$JAVA_BIN" -Xmx512m "$HERE/ceilings/Md5Rate.java" "$PERFBASE_DIR/data/f256m" 2>/dev/null || true)
  [ -n "$md5" ] && rec "PUT-256MiB(curl)" MiB/s md5-1core "$r" "$md5"
done
stop_service
if [ "${CEILINGS:-1}" = 1 ]; then
  log "ceilings: a bare Vert.x server and a bare Vert.x proxy beside nginx"
  bash "$HERE/ceilings/ceilings.sh" "$NGINX_URL" "$SERVICE_JAR" "$RUNS" "${DUR:-10}" "$SHARED_BENCH/wrk-stats.lua" \
    >> "$EXTRA" || log "WARN: ceilings.sh failed"
fi
[ "$NGINX_OWN" = 1 ] && { kill -QUIT "$(cat "$PERFBASE_DIR/run/nginx.pid")" 2>/dev/null; sleep 1; }

# ---------- 3. S3 backend in front of S3Proxy, beside S3Proxy direct ----------
# baseline.sh left the S3Proxy jar and config behind; it reuses an S3Proxy that already answers.
S3_JAR=$PERFBASE_DIR/jars/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar
S3_CONF=$PERFBASE_DIR/s3proxy.conf
[ -s "$S3_JAR" ] && [ -s "$S3_CONF" ] || die "no S3Proxy jar/config under $PERFBASE_DIR (baseline.sh should have made them)"
if [ "$(http_code "http://127.0.0.1:$S3_PORT/")" = 000 ]; then
  log "starting S3Proxy on :$S3_PORT"
  # shellcheck disable=SC2086
  "$JAVA_BIN" ${S3PROXY_JAVA_OPTS:-} -jar "$S3_JAR" --properties "$S3_CONF" >"$OUT/s3proxy.log" 2>&1 &
  S3P_PID=$!
  for _ in $(seq 1 600); do
    [ "$(http_code "http://127.0.0.1:$S3_PORT/")" != 000 ] && break
    kill -0 "$S3P_PID" 2>/dev/null || die "S3Proxy exited, see $OUT/s3proxy.log"
    sleep 0.1
  done
else
  log "S3Proxy already answering on :$S3_PORT; reusing it"
fi
S3_ID=$(sed -n 's/^jclouds.identity=//p' "$S3_CONF"); S3_SECRET=$(sed -n 's/^jclouds.credential=//p' "$S3_CONF")
port=$(free_port)
start_service s3 "$port" STORAGE_STORAGE_BACKEND=s3 STORAGE_MINIO_ENDPOINT="127.0.0.1:$S3_PORT" \
  STORAGE_MINIO_ACCESSKEYID="$S3_ID" STORAGE_MINIO_SECRETACCESSKEY="$S3_SECRET" STORAGE_MINIO_USESSL=false
# its own bucket, so its objects never share a key with S3Proxy direct's bucket "bench"
ensure_bucket "$port" bench-svc
log "baseline.sh with the service (S3 backend) as third target"
PHYS=${PHYS_S3:-0} TARGET_NAME=service-s3 bash "$BASELINE" "http://127.0.0.1:$port/objects/bench-svc/" \
  || die "baseline.sh failed (S3 run)"
S3_RESULTS=$(latest_results)

PUT64_TARGETS=("s3proxy http://127.0.0.1:$S3_PORT/bench/put64m" "service-s3 http://127.0.0.1:$port/objects/bench-svc/put64m")
if [ "${CEILINGS:-1}" = 1 ]; then
  # the ceiling: a bare Vert.x proxy piping each PUT body into S3Proxy (ceilings/ProxyServer.java)
  proxy_port=$(free_port)
  "$JAVA_BIN" -Xmx256m -XX:+UseSerialGC -cp "$SERVICE_JAR" "$HERE/ceilings/ProxyServer.java" "$proxy_port" "$S3_PORT" \
    >"$OUT/proxy.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 1 100); do [ "$(http_code "http://127.0.0.1:$proxy_port/")" != 000 ] && break; sleep 0.2; done
  PUT64_TARGETS+=("vertx-proxy http://127.0.0.1:$proxy_port/bench/put64m-proxy")
fi
log "PUT 64 MiB, curl -T x3 sequential, service (S3), S3Proxy direct (and the bare proxy) back to back"
F64=$PERFBASE_DIR/data/f64m
for r in $(seq 1 "$RUNS"); do
  for t in "${PUT64_TARGETS[@]}"; do
    name=${t%% *}; url=${t#* }; bytes=0; secs=0; ok=1
    for _ in 1 2 3; do
      read -r code size took < <(curl -s -o /dev/null -m 300 -H 'Expect:' -T "$F64" \
        -w '%{http_code} %{size_upload} %{time_total}\n' "$url" || echo "000 0 0")
      case $code in 2??) ;; *) ok=0; log "WARN: $name PUT 64 MiB answered $code";; esac
      bytes=$((bytes + size)); secs=$(awk "BEGIN{print $secs + $took}")
    done
    if [ $ok = 1 ]; then
      rec "PUT-64MiB(curl)" MiB/s "$name" "$r" "$(awk "BEGIN{printf \"%.3f\", $bytes/1048576/$secs}")"
    fi
  done
done
stop_service
stop_pid "$PROXY_PID"; PROXY_PID=""

# ---------- 4. the table ----------
{
  echo "# compare.sh $TS  host: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "# service $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?') on $("$JAVA_BIN" -version 2>&1 | head -1)"
  echo "# launch: ${SERVICE_CMD:-$JAVA_BIN $SERVICE_JAVA_OPTS -jar $SERVICE_JAR}"
  echo "# runs=$RUNS dur=${DUR:-10}s warm=${WARM:-45}s starts=$STARTS; ratios are paired per run (back to back), median [min-max]"
  echo "# filesystem run: $FS_RESULTS"
  echo "# S3 run:         $S3_RESULTS"
  python3 "$HERE/compare-table.py" "$FS_RESULTS/results.tsv" "$S3_RESULTS/results.tsv" "$EXTRA"
  for w in "$FS_RESULTS/warnings.txt" "$S3_RESULTS/warnings.txt"; do
    [ -s "$w" ] && { echo "# warnings of $(dirname "$w"):"; sed 's/^/#   /' "$w"; }
  done
  true
} | tee "$OUT/table.txt"
log "table: $OUT/table.txt"
