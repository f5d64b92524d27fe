#!/usr/bin/env bash
# Creates and seeds TechEmpower's World and Fortune tables (bench/seed-db.sql) in a local
# PostgreSQL, for the sweep's database shapes; creates the database first when it is missing.
# Idempotent: tables already right are left as they are.
#
#   bench/seed-db.sh                        # 127.0.0.1:5432, user postgres, database test
#   bench/seed-db.sh --host H --port P --user U --database D
#
# Needs psql; the server must accept the user without a password (trust), as the sweep's
# PostgreSQL here does. Exits non-zero, saying why, when the server cannot be reached or a
# statement fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_TOOL=seed-db.sh
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"

HOST=127.0.0.1
PORT=5432
USER_NAME=postgres
DATABASE=test
while [ $# -gt 0 ]; do
  case "$1" in
    --host|--port|--user|--database)
      [ $# -ge 2 ] || die "$1 needs a value"
      case "$1" in
        --host) HOST="$2" ;;
        --port) PORT="$2" ;;
        --user) USER_NAME="$2" ;;
        --database) DATABASE="$2" ;;
      esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

seed_db "$HOST" "$PORT" "$USER_NAME" "$DATABASE"
