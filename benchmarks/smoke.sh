#!/usr/bin/env bash
# smoke.sh BASE_URL
#
# CI smoke mode of the benchmarks, so they never rot: builds the JMH jar and runs every benchmark for one
# short iteration, then runs one Gatling simulation for a few seconds against a running service at BASE_URL
# (e.g. http://127.0.0.1:8082). Exits non-zero when anything fails to build or run. Takes about 2 minutes.
#
# Env: INSTALL=1 (install the service from the repo root into ~/.m2 first; 0 if CI already did)
#      BUCKET=bench  GATLING_SECONDS=5
set -euo pipefail

BASE_URL=${1:?usage: smoke.sh BASE_URL   (e.g. http://127.0.0.1:8082)}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
INSTALL=${INSTALL:-1}
BUCKET=${BUCKET:-bench}
GATLING_SECONDS=${GATLING_SECONDS:-5}

log() { echo "[smoke $(date +%H:%M:%S)] $*" >&2; }

if [ "$INSTALL" = 1 ]; then
  log "installing the service jar from $ROOT"
  (cd "$ROOT" && mvn -B -q install -DskipTests)
fi

log "building the JMH jar"
(cd "$HERE" && mvn -B -q package)

log "JMH: every benchmark, one 1 s iteration, no warm-up"
java -jar "$HERE/target/benchmarks.jar" -f 1 -wi 0 -i 1 -r 1s -foe true -p shape=typical \
  -rf text -rff "$HERE/target/smoke-jmh.txt" >"$HERE/target/smoke-jmh.log" 2>&1 \
  || { tail -40 "$HERE/target/smoke-jmh.log" >&2; log "FAILED: JMH"; exit 1; }
cat "$HERE/target/smoke-jmh.txt"

log "Gatling: SmallObjectsClosedSimulation for ${GATLING_SECONDS}s against $BASE_URL"
(cd "$HERE" && mvn -B -q -Pgatling gatling:test \
  -Dgatling.simulationClass=com.dante.cacciaguida.bench.load.SmallObjectsClosedSimulation \
  -DbaseUrl="$BASE_URL" -Dbucket="$BUCKET" -Dduration="$GATLING_SECONDS" -Dusers=4 -DsmallKeys=20) \
  || { log "FAILED: Gatling"; exit 1; }

log "OK"
