#!/usr/bin/env bash
# Runs one benchmark by name; each ends with a "BENCH <name> ..." line. See docs/benchmarks.md.
# Extra arguments go to Maven, e.g. -Dbench.devices=1000 for a shorter trial of "ingest".
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/bench.sh NAME [maven args]}"
shift

case "$name" in
  drivers)               module=device-drivers; test=DriversBench ;;
  ingest)                module=hil-tests;      test=IngestBench ;;
  telemetry-ingest)      module=fleet-server;   test=TelemetryIngestBench ;;
  client-directory-auth) module=fleet-server;   test=ClientDirectoryBench ;;
  container-start)       module=edge-agent;     test=ContainerStartBench ;;
  image-pull)            module=edge-agent;     test=ImagePullBench ;;
  containers)            module=edge-agent;     test=ContainerReleaseBench ;;
  agent)                 module=edge-agent;     test=AgentBench ;;
  dashboard)             module=fleet-server;   test=DashboardBench ;;
  rollout)               module=fleet-server;   test=RolloutDispatchBench ;;
  rollout-scale)         module=hil-tests;      test=RolloutScaleBench ;;
  *)
    echo "unknown benchmark '$name'" >&2
    echo "known: drivers ingest telemetry-ingest client-directory-auth container-start image-pull containers agent rollout rollout-scale dashboard" >&2
    exit 2
    ;;
esac

# Build what the benchmark starts as separate processes (server and agent jars), then run it alone.
./mvnw -B -ntp -q install -DskipTests -DskipITs
log="target-bench-$name.log"
./mvnw -B -ntp -Pbench -pl "$module" surefire:test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "$@" | tee "$log"
grep -E "^BENCH " "$log" | tail -1
