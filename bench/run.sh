#!/usr/bin/env bash
# One command for the benchmark sweep: builds Strand and the peer servers, seeds the local
# PostgreSQL for the database shapes, then runs bench/Sweep.java, which measures each server in
# turn (server on core 0, wrk/ab and PostgreSQL on core 1) and writes the markdown report
# (docs/benchmarks.md by default).
#
#   bench/run.sh                              # full sweep, 10 s steps, writes docs/benchmarks.md
#   bench/run.sh --repeat 2                   # the whole sweep twice
#   bench/run.sh --quick --servers strand --out /tmp/bench-smoke.md    # a smoke test
#   bench/run.sh --jmh                        # the sweep, then the JMH microbenchmarks
#   bench/run.sh --jmh-only --out /tmp/jmh.md # only the JMH microbenchmarks
#   bench/run.sh --shapes database --servers strand,vertx,helidon   # only the database shapes
#
# Options (everything but --jmh, --jmh-only, --no-build and --no-seed goes to Sweep.java):
#   --repeat N            run the whole sweep N times (default 1)
#   --servers a,b,...     strand,netty,vertx,undertow,helidon,jetty (jetty = jetty-platform and
#                         jetty-virtual); default: all
#   --shapes a,b,...      all (default); http (every shape but the database ones); database
#                         (db,queries,fortunes,updates: strand, vertx and helidon only, on PostgreSQL);
#                         or shape ids: plaintext-pipelined,json,json-pipelined,json-latency,json-latency-paced,sleep,
#                         memory,startup,ab,db,queries,fortunes,updates
#   --db-url URL          the PostgreSQL of the database shapes (default
#                         jdbc:postgresql://127.0.0.1:5432/test), seeded first by bench/seed-db.sh
#   --db-pool N           connections each server keeps to it (default 16, the same for every server)
#   --strand-db C         pipelined (default: Strand's own client, strand-pg, --db postgresql://…)
#                         or jdbc (Strand through pgjdbc, as Helidon)
#   --no-seed             do not run bench/seed-db.sh before the database shapes
#   --duration S          seconds per measured step (default 10; warm-up is half of it, at least 1)
#   --quick               2-second steps and 1-second warm-ups (smoke tests; not for quoting)
#   --check-only          only start each server, time its first response and check its answers
#                         (no load, no report; exits 1 if any server answers wrongly)
#   --out FILE            the report (default docs/benchmarks.md)
#   --jvm-flags "..."     the JVM flags every server gets (default -Xms1g -Xmx1g -XX:+UseParallelGC
#                         --sun-misc-unsafe-memory-access=allow, so Netty may use Unsafe)
#   --idle-conns N        idle connections for the memory step (default 20000, capped by the fd limit)
#   --jmh                 then also build and run the JMH microbenchmarks (bench/jmh, briefly: -f1 -wi 2
#                         -i 3 -w 1s -r 1s) and add their table to the report
#   --jmh-only            only the JMH microbenchmarks: their table replaces the JMH section of the
#                         report (or is appended to it; a missing report is created)
#   --no-build            use the jars already built
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BENCH_TOOL=run.sh
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

# ---- options -------------------------------------------------------------------------------------
SWEEP_ARGS=()
SERVERS="strand,netty,vertx,undertow,helidon,jetty"
SHAPES="all"
DB_URL="jdbc:postgresql://127.0.0.1:5432/test"
OUT="docs/benchmarks.md"
JMH=0
JMH_ONLY=0
BUILD=1
SEED=1

while [ $# -gt 0 ]; do
  case "$1" in
    --repeat|--duration|--jvm-flags|--idle-conns|--db-pool)
      [ $# -ge 2 ] || die "$1 needs a value"
      SWEEP_ARGS+=("$1" "$2"); shift 2 ;;
    --shapes)
      [ $# -ge 2 ] || die "$1 needs a value"
      SHAPES="$2"; SWEEP_ARGS+=("$1" "$2"); shift 2 ;;
    --db-url)
      [ $# -ge 2 ] || die "$1 needs a value"
      DB_URL="$2"; SWEEP_ARGS+=("$1" "$2"); shift 2 ;;
    --no-seed) SEED=0; shift ;;
    --servers)
      [ $# -ge 2 ] || die "$1 needs a value"
      SERVERS="$2"; shift 2 ;;
    --out)
      [ $# -ge 2 ] || die "$1 needs a value"
      OUT="$2"; shift 2 ;;
    --quick|--check-only) SWEEP_ARGS+=("$1"); shift ;;
    --jmh) JMH=1; shift ;;
    --jmh-only) JMH=1; JMH_ONLY=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done
if [ "$JMH_ONLY" = 1 ]; then
  SERVERS="none"
fi
case "$OUT" in
  /*) ;;
  *) OUT="$ROOT/$OUT" ;;
esac

# ---- a JDK 25 ------------------------------------------------------------------------------------
find_java
say "JDK: $JAVA"

# ---- wrk, ab, taskset ----------------------------------------------------------------------------
if [ "$JMH_ONLY" = 0 ]; then
  ensure_load_tools
  [ "$(nproc)" -ge 2 ] || die "the sweep pins the server and the load generator to separate cores: needs 2 or more"
fi

# ---- build ---------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  if [ "$JMH" = 1 ]; then
    # The JMH project depends on strand-http through the local repository.
    say "building and installing Strand (./mvnw -q -Dmaven.test.skip=true install)"
    ./mvnw -q -Dmaven.test.skip=true install
  elif [ "$SERVERS" != none ]; then
    say "building Strand (./mvnw -q -Dmaven.test.skip=true package)"
    ./mvnw -q -Dmaven.test.skip=true package
  fi
  peers_wanted=0
  case ",$SERVERS," in
    *,netty,*|*,vertx,*|*,undertow,*|*,helidon,*|*,jetty*) peers_wanted=1 ;;
  esac
  if [ "$peers_wanted" = 1 ]; then
    say "building the peers (./mvnw -q -f bench/pom.xml package)"
    if ! ./mvnw -q -f bench/pom.xml package; then
      # One broken peer fails the aggregate: build them one by one and go on without the broken ones.
      say "the peers' aggregate build failed; building each peer on its own"
      for peer in netty vertx undertow helidon jetty; do
        case ",$SERVERS," in
          *,"$peer",*|*,"$peer"-*) ;;
          *) continue ;;
        esac
        if ! ./mvnw -q -f bench/pom.xml -pl "$peer" -am package; then
          say "WARNING: the $peer peer does not build; the sweep will skip it"
          rm -f "bench/$peer/target/$peer-bench.jar"
        fi
      done
    fi
  fi
fi

# ---- PostgreSQL, for the database shapes --------------------------------------------------------------
db_shapes=0
case ",$SHAPES," in
  *,all,*|*,database,*|*,db,*|*,queries,*|*,fortunes,*|*,updates,*) db_shapes=1 ;;
esac
db_servers=0
case ",$SERVERS," in
  *,strand,*|*,vertx,*|*,helidon,*) db_servers=1 ;;
esac
if [ "$SEED" = 1 ] && [ "$db_shapes" = 1 ] && [ "$db_servers" = 1 ] && [ "$SERVERS" != none ]; then
  # jdbc:postgresql://HOST[:PORT]/DATABASE[?...user=U...]; psql's user as pgjdbc's: the URL's, else postgres.
  db_rest="${DB_URL#jdbc:postgresql://}"
  [ "$db_rest" != "$DB_URL" ] || die "--db-url needs a jdbc:postgresql:// URL: $DB_URL"
  db_query=""
  case "$db_rest" in *\?*) db_query="${db_rest#*\?}"; db_rest="${db_rest%%\?*}" ;; esac
  db_hostport="${db_rest%%/*}"
  db_name="${db_rest#*/}"
  db_host="${db_hostport%%:*}"
  db_port=5432
  case "$db_hostport" in *:*) db_port="${db_hostport##*:}" ;; esac
  db_user=postgres
  for kv in ${db_query//&/ }; do
    case "$kv" in user=*) db_user="${kv#user=}" ;; esac
  done
  say "seeding PostgreSQL for the database shapes (bench/seed-db.sh)"
  seed_db "$db_host" "$db_port" "$db_user" "$db_name"
fi

# ---- the sweep -----------------------------------------------------------------------------------
# The sweep itself (and so wrk and ab, which it starts) stays on core 1; it pins each server to core 0.
SWEEP=(taskset -c 1 "$JAVA" "$ROOT/bench/Sweep.java" --root "$ROOT" --java "$JAVA" --out "$OUT")
if [ "$SERVERS" != none ]; then
  case " ${SWEEP_ARGS[*]-} " in
    *" --check-only "*) say "checking servers $SERVERS (no load, no report)" ;;
    *) say "sweep: servers $SERVERS, report $OUT" ;;
  esac
  "${SWEEP[@]}" --servers "$SERVERS" ${SWEEP_ARGS[@]+"${SWEEP_ARGS[@]}"}
fi

# ---- JMH, after the sweep so neither disturbs the other -------------------------------------------
if [ "$JMH" = 1 ]; then
  if [ "$BUILD" = 1 ]; then
    say "building the JMH benchmarks (./mvnw -q -f bench/jmh/pom.xml package)"
    ./mvnw -q -f bench/jmh/pom.xml package
  fi
  [ -f bench/jmh/target/benchmarks.jar ] || die "bench/jmh/target/benchmarks.jar is missing (build without --no-build)"
  JMH_CSV="$(mktemp /tmp/strand-jmh-XXXXXX.csv)"
  JMH_OPTS=(-f1 -wi 2 -i 3 -w 1s -r 1s)
  say "running JMH: java -jar bench/jmh/target/benchmarks.jar ${JMH_OPTS[*]}"
  "$JAVA" -jar bench/jmh/target/benchmarks.jar "${JMH_OPTS[@]}" -rf csv -rff "$JMH_CSV"
  # Into the report: replaces an earlier JMH section, else appended.
  "${SWEEP[@]}" --servers none --jmh-csv "$JMH_CSV" \
    --jmh-command "java -jar bench/jmh/target/benchmarks.jar ${JMH_OPTS[*]}"
  rm -f "$JMH_CSV"
fi
case " ${SWEEP_ARGS[*]-} " in
  *" --check-only "*) say "checks done" ;;
  *) say "done: $OUT" ;;
esac
