#!/usr/bin/env bash
# ceilings.sh NGINX_BASE_URL SERVICE_JAR RUNS DUR WRK_LUA
#
# What a Vert.x server and a Vert.x proxy can reach at all on this machine, paired per run with nginx and
# measured with the same wrk and hey commands as baseline.sh: BareServer.java (4 KiB from memory, and 4 KiB read
# from a file on a worker per request; nothing else) beside nginx's GET 4 KiB, BarePutServer.java (4 KiB PUT to a
# temp file renamed into place on a worker) beside nginx's WebDAV PUT 4 KiB, ProxyServer.java in front of nginx
# beside nginx direct for GET 64 MiB. Prints compare.sh's extra rows (test, metric, target, run, value) on stdout;
# logs on stderr.
set -uo pipefail
NGINX=${1:?nginx base url, e.g. http://127.0.0.1:18080/bench/}
JAR=${2:?service jar}
RUNS=${3:-3}
DUR=${4:-10}
LUA=${5:?wrk-stats.lua}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAVA_BIN=${JAVA_BIN:-java}
log() { echo "[ceilings $(date +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done' EXIT

# wrk_run CONNS URL -> "requests duration_us bytes p50_us errors"
wrk_run() {
  local line
  line=$(timeout $((DUR + 40)) wrk -t2 -c"$1" -d"${DUR}s" --timeout 30s -s "$LUA" "$2" 2>&1 | grep '^RESULT ' | tail -1)
  [ -n "$line" ] || { echo ""; return; }
  eval "$(echo "${line#RESULT }" | tr ' ' '\n' | sed 's/^/W_/')"
  echo "$W_requests $W_duration_us $W_bytes $W_p50_us $((W_err_connect + W_err_read + W_err_write + W_err_status + W_err_timeout))"
}

# paired TEST UNIT CONNS "NAME URL" "NAME URL": RUNS rounds of the targets back to back, one row per error-free
# run, in UNIT: req/s (requests per second) or MiB/s (bytes per second)
paired() {
  local test=$1 unit=$2 conns=$3 r t value
  local targets=("${@:4}")
  for r in $(seq 1 "$RUNS"); do
    for t in "${targets[@]}"; do
      set -- $(wrk_run "$conns" "${t#* }")
      [ $# = 5 ] && [ "$5" = 0 ] || continue
      if [ "$unit" = req/s ]; then value=$(awk "BEGIN{printf \"%.1f\", $1*1e6/$2}")
      else value=$(awk "BEGIN{printf \"%.1f\", $3/1048576/($2/1e6)}"); fi
      printf '%s\t%s\t%s\t%s\t%s\n' "$test" "$unit" "${t%% *}" "$r" "$value"
    done
  done
}

start() { # NAME PORT ARGS... : starts a ceiling program, waits for its port
  local name=$1 port=$2; shift 2
  "$JAVA_BIN" -Xmx256m -XX:+UseSerialGC -cp "$JAR" "$HERE/$name.java" "$@" >&2 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.2
  done
  log "$name did not start"; return 1
}

port=$(free_port)
start BareServer "$port" "$port" || exit 1
file4k=$(mktemp)
head -c 4096 /dev/urandom > "$file4k"
fport=$(free_port)
start BareServer "$fport" "$fport" "$file4k" || exit 1
log "GET 4 KiB: bare Vert.x server from memory and from a file beside nginx (warm-up 20 s each)"
timeout 30 wrk -t2 -c32 -d20s "http://127.0.0.1:$port/obj4k" >/dev/null 2>&1
timeout 30 wrk -t2 -c32 -d20s "http://127.0.0.1:$fport/obj4k" >/dev/null 2>&1
paired "ceiling-GET-4KiB(wrk-c32)" req/s 32 "nginx ${NGINX}obj4k" "vertx-bare http://127.0.0.1:$port/obj4k" \
  "vertx-bare-file http://127.0.0.1:$fport/obj4k"
kill "${PIDS[-1]}" "${PIDS[-2]}"

# hey_rps URL: one hey run of PUT 4 KiB as baseline.sh's, in req/s (empty on failure)
hey_rps() {
  timeout 300 hey -n "${PUT4K_N:-5000}" -c 16 -t 20 -m PUT -D "$file4k" -T application/octet-stream "$1" 2>&1 \
    | awk '/Requests\/sec/{print $2}'
}

port=$(free_port)
putdir=$(mktemp -d)
start BarePutServer "$port" "$port" "$putdir" || exit 1
log "PUT 4 KiB: bare Vert.x PUT server beside nginx WebDAV (warm-up 20 s)"
timeout 30 hey -z 20s -c 16 -m PUT -D "$file4k" "http://127.0.0.1:$port/put4k" >/dev/null 2>&1
for r in $(seq 1 "$RUNS"); do
  for t in "nginx ${NGINX}put4k" "vertx-bare-put http://127.0.0.1:$port/put4k"; do
    value=$(hey_rps "${t#* }")
    [ -n "$value" ] && printf '%s\t%s\t%s\t%s\t%s\n' "ceiling-PUT-4KiB(hey-c16)" req/s "${t%% *}" "$r" "$value"
  done
done
kill "${PIDS[-1]}"
rm -rf "$putdir" "$file4k"

port=$(free_port)
upstream=$(echo "$NGINX" | sed -E 's#^http://[^:]+:([0-9]+)/.*#\1#')
start ProxyServer "$port" "$port" "$upstream" || exit 1
path=$(echo "$NGINX" | sed -E 's#^http://[^/]+##')
log "GET 64 MiB: bare Vert.x proxy in front of nginx beside nginx direct (warm-up 10 s)"
timeout 20 wrk -t2 -c4 -d10s "http://127.0.0.1:$port${path}obj64m" >/dev/null 2>&1
paired "ceiling-GET-64MiB(wrk-c4)" MiB/s 4 "nginx ${NGINX}obj64m" "vertx-proxy http://127.0.0.1:$port${path}obj64m"
