#!/usr/bin/env bash
# Helpers shared by bench/run.sh and bench/profile.sh; sourced, not run.

say() { printf '[%s] %s\n' "${BENCH_TOOL:-bench}" "$*"; }
die() { printf '[%s] error: %s\n' "${BENCH_TOOL:-bench}" "$*" >&2; exit 1; }
# Prints the calling script's header comment (from its second line to `set -euo`).
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

java_feature() { # the feature version of the java at $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1 || true
}

# Sets JAVA to a JDK 25 or newer: $JAVA_HOME's if it is one, else the first under /usr/lib/jvm.
find_java() {
  JAVA=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v="$(java_feature "$JAVA_HOME/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      JAVA="$JAVA_HOME/bin/java"
    fi
  fi
  if [ -z "$JAVA" ]; then
    for d in /usr/lib/jvm/*25*; do
      if [ -x "$d/bin/java" ]; then
        v="$(java_feature "$d/bin/java")"
        if [ -n "$v" ] && [ "$v" -ge 25 ]; then
          JAVA="$d/bin/java"
          break
        fi
      fi
    done
  fi
  [ -n "$JAVA" ] || die "no JDK 25 found: set JAVA_HOME to one, or install one under /usr/lib/jvm"
}

# Installs wrk, ab and taskset from Debian's packages when any is missing (as root or with sudo).
ensure_load_tools() {
  missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v ab >/dev/null 2>&1 || missing+=(apache2-utils)
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install ${missing[*]}"
      SUDO="sudo"
    fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
  fi
}

# Creates database $4 on the PostgreSQL at $1:$2 (user $3) when it is missing, then runs
# bench/seed-db.sql in it (idempotent) and checks the row counts. Needs psql.
seed_db() {
  local host="$1" port="$2" user="$3" database="$4"
  local sql
  sql="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/seed-db.sql"
  command -v psql >/dev/null 2>&1 || die "psql is missing (Debian package postgresql-client)"
  local psql=(psql -h "$host" -p "$port" -U "$user" -X -q -v ON_ERROR_STOP=1)
  # The texts are UTF-8 (the Japanese fortune), whatever the locale says.
  export PGCLIENTENCODING=UTF8
  # Quiet about "already exists, skipping" on a second run.
  export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
  "${psql[@]}" -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 \
    || die "PostgreSQL at $host:$port does not answer user $user: start it, or leave the database shapes out (--shapes http)"
  if [ "$("${psql[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    say "creating database $database"
    "${psql[@]}" -d postgres -c "CREATE DATABASE \"$database\" ENCODING 'UTF8' TEMPLATE template0"
  fi
  "${psql[@]}" -d "$database" -f "$sql"
  local counts
  counts="$("${psql[@]}" -d "$database" -Atc "SELECT (SELECT count(*) FROM world WHERE randomnumber BETWEEN 1 AND 10000), (SELECT count(*) FROM fortune)")"
  [ "$counts" = "10000|12" ] || die "after seeding, $database has world and fortune rows $counts, not 10000|12"
  say "PostgreSQL $host:$port database $database: World 10,000 rows, Fortune 12 rows"
}
