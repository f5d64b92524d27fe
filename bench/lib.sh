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
