#!/usr/bin/env bash
# Runs docker/Dockerfile's steps on this host, for machines without a Docker engine:
#   1. the build stage's `RUN mvn ...` lines, in a temporary copy holding only what the stage COPYs;
#   2. the runtime stage: the jar and conf/config.yaml in a temporary /app, the image's ENV lines, then its
#      ENTRYPOINT as written; the process must become java itself (the exec that lets SIGTERM reach it);
#   3. the image's HEALTHCHECK command, until it passes;
#   4. SIGTERM, as `docker stop` sends it: the service must exit with status 0 within STOP_TIMEOUT.
# Differences from the container, forced by the host: the data dir is a temporary one instead of /data, and
# the HTTP port a free one (STORAGE_SERVER_PORT, which the HEALTHCHECK command follows) instead of 8082.
#
# Usage: docker/check-dockerfile.sh
#   SKIP_GO_OFFLINE=1   skip `mvn dependency:go-offline` (slow, and only a cache layer in the image)
#   START_TIMEOUT=90    seconds to wait for the health check to pass
#   STOP_TIMEOUT=30     seconds to wait for the exit after SIGTERM
#   KEEP=1              keep the temporary directory
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCKERFILE="$ROOT/docker/Dockerfile"
START_TIMEOUT=${START_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-dockerfile.XXXXXX")
PID=""

log() { printf '[check-dockerfile] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; [ -f "$WORK/service.log" ] && tail -n 40 "$WORK/service.log" >&2; exit 1; }

cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    # a java child left behind by an entrypoint that does not exec
    pkill -KILL -P "$PID" 2>/dev/null || true
    kill -KILL "$PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- 1. build stage --------------------------------------------------------------------------------------
mkdir -p "$WORK/build"
cp "$ROOT/pom.xml" "$WORK/build/"
cp -R "$ROOT/conf" "$ROOT/src" "$WORK/build/"
mapfile -t BUILD_COMMANDS < <(sed -n 's/^RUN \(mvn .*\)$/\1/p' "$DOCKERFILE")
[ "${#BUILD_COMMANDS[@]}" -gt 0 ] || die "no 'RUN mvn ...' line in $DOCKERFILE"
for command in "${BUILD_COMMANDS[@]}"; do
  if [ "${SKIP_GO_OFFLINE:-0}" = 1 ] && [[ "$command" == *go-offline* ]]; then
    log "skipping: $command"
    continue
  fi
  log "build: $command"
  (cd "$WORK/build" && eval "$command") || die "build command failed: $command"
done
[ -f "$WORK/build/target/storage-service.jar" ] || die "the build made no target/storage-service.jar"

# --- 2. runtime stage ------------------------------------------------------------------------------------
mkdir -p "$WORK/app/conf" "$WORK/data"
cp "$WORK/build/target/storage-service.jar" "$WORK/app/"
cp "$WORK/build/conf/config.yaml" "$WORK/app/conf/"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# the image's environment only, not this shell's: a stray STORAGE_* here must not hide a gap in the image
IMAGE_ENV=("PATH=$PATH" "HOME=$WORK/app")
[ -n "${JAVA_HOME:-}" ] && IMAGE_ENV+=("JAVA_HOME=$JAVA_HOME")
while IFS= read -r assignment; do
  name=${assignment%%=*}
  value=$(eval "printf '%s' ${assignment#*=}")
  IMAGE_ENV+=("$name=$value")
done < <(sed -n 's/^ENV \([A-Za-z_][A-Za-z0-9_]*=.*\)$/\1/p' "$DOCKERFILE")
IMAGE_ENV+=("STORAGE_STORAGE_FILESYSTEM_ROOT=$WORK/data" "STORAGE_SERVER_PORT=$PORT")

ENTRYPOINT_JSON=$(sed -n 's/^ENTRYPOINT \(\[.*\]\)$/\1/p' "$DOCKERFILE")
[ -n "$ENTRYPOINT_JSON" ] || die "no exec-form ENTRYPOINT line in $DOCKERFILE"
mapfile -t ENTRYPOINT < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$ENTRYPOINT_JSON")
HEALTHCHECK=$(sed -n 's/^HEALTHCHECK .*CMD \(.*\)$/\1/p' "$DOCKERFILE")
[ -n "$HEALTHCHECK" ] || die "no 'HEALTHCHECK ... CMD' line in $DOCKERFILE"

log "run: ${ENTRYPOINT[*]} (port $PORT, workdir $WORK/app)"
(cd "$WORK/app" && exec env -i "${IMAGE_ENV[@]}" "${ENTRYPOINT[@]}") > "$WORK/service.log" 2>&1 &
PID=$!

# --- 3. health -------------------------------------------------------------------------------------------
healthy=0
for ((second = 0; second < START_TIMEOUT; second++)); do
  kill -0 "$PID" 2>/dev/null || die "the service exited before it was healthy"
  if env -i "${IMAGE_ENV[@]}" sh -c "$HEALTHCHECK" >/dev/null 2>&1; then
    healthy=1
    break
  fi
  sleep 1
done
[ "$healthy" = 1 ] || die "the HEALTHCHECK did not pass within ${START_TIMEOUT}s: $HEALTHCHECK"
log "healthy after ~${second}s"
command_name=$(ps -o comm= -p "$PID" | tr -d ' ')
[ "$command_name" = java ] || die "PID $PID is '$command_name', not java: the entrypoint does not exec, so SIGTERM would not reach the JVM"

# --- 4. SIGTERM ------------------------------------------------------------------------------------------
kill -TERM "$PID"
for ((second = 0; second < STOP_TIMEOUT; second++)); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 1
done
if kill -0 "$PID" 2>/dev/null; then
  die "still running ${STOP_TIMEOUT}s after SIGTERM"
fi
status=0
wait "$PID" || status=$?
PID=""
[ "$status" = 0 ] || die "exit status $status after SIGTERM, expected 0 (143 = the JVM's default for SIGTERM)"
log "OK: built, healthy, stopped by SIGTERM with status 0"
