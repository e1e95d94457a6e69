#!/usr/bin/env bash
# Runs one benchmark by name; each ends with a "BENCH <name> ..." line. See docs/benchmarks.md.
#   scripts/bench.sh drivers     20 simulated sensors at 10 Hz for 60 s (device-drivers)
#   scripts/bench.sh ingest      10,000 simulated devices against one fleet server (hil-tests)
# Extra arguments are passed to Maven, e.g. -Dbench.devices=1000 for a shorter trial.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/bench.sh NAME [maven args]}"
shift

run() { # module test-class
  local module="$1" test="$2"
  shift 2
  ./mvnw -B -ntp -q install -DskipTests -DskipITs -pl "$module" -am
  ./mvnw -B -ntp -Pbench -pl "$module" surefire:test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    | tee "target-bench-$name.log"
  grep -E "^BENCH $name " "target-bench-$name.log" | tail -1
}

case "$name" in
  drivers) run device-drivers DriversBench "$@" ;;
  ingest) run hil-tests IngestBench "$@" ;;
  *) echo "unknown benchmark '$name' (known: drivers, ingest)" >&2; exit 2 ;;
esac
