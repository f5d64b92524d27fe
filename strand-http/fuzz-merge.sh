#!/usr/bin/env bash
# Folds what a fuzzing run (./mvnw -Pfuzz ...) found into the committed corpus, minimised: for each
# parser fuzz test, the inputs of the run's generated corpus (strand-http/.cifuzz-corpus/...) that
# reach code edges its committed inputs (src/test/resources/.../<Test>Inputs/<method>/) do not are
# copied there, as few as cover those edges (libFuzzer's -merge=1, edges only). Review, then commit
# them; the default build replays them as regression tests.
#
# Usage: strand-http/fuzz-merge.sh [FuzzTestClass...]   (default: every parser fuzz test)
set -euo pipefail

BENCH_TOOL=fuzz-merge
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../bench/lib.sh
. "$here/../bench/lib.sh"
find_java

tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
  tests=(ParserSplitInvarianceFuzzTest ParserAcceptsOnlyStrictFramingFuzzTest ParserStaysWithinLimitsFuzzTest ConnectionFuzzTest)
fi

say "compiling the tests and resolving their class path"
(cd "$here/.." && ./mvnw -q -pl strand-reactor,strand-http -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt)
cp="$here/target/test-classes:$here/target/classes:$(cat "$here/target/test-classpath.txt")"

for test in "${tests[@]}"; do
  # One @FuzzTest method per class; its name names both corpus directories.
  method="$(sed -n '/@FuzzTest/,/(/ s/^ *void \([A-Za-z0-9_]*\)(.*/\1/p' "$here/src/test/java/dev/strand/http/internal/$test.java")"
  [ -n "$method" ] || die "no @FuzzTest method in $test"
  generated="$here/.cifuzz-corpus/dev.strand.http.internal.$test/$method"
  committed="$here/src/test/resources/dev/strand/http/internal/${test}Inputs/$method"
  if [ ! -d "$generated" ]; then
    say "$test: no generated corpus (not fuzzed yet), skipped"
    continue
  fi
  before=$(ls "$committed" | wc -l)
  say "$test: merging $(ls "$generated" | wc -l) generated inputs into $before committed ones"
  "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -cp "$cp" \
    com.code_intelligence.jazzer.Jazzer --target_class="dev.strand.http.internal.$test" \
    -merge=1 -use_counters=0 "$committed" "$generated" >"$here/target/fuzz-merge-$test.log" 2>&1 \
    || die "$test: the merge failed, see target/fuzz-merge-$test.log"
  say "$test: $(( $(ls "$committed" | wc -l) - before )) inputs added ($(grep -o 'MERGE-OUTER: [0-9]* new files.*' "$here/target/fuzz-merge-$test.log"))"
done
