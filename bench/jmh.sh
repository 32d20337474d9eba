#!/usr/bin/env bash
# The warm, in-process benchmark (JMH, bench/jmh): isolate of LIBRARY with every artifact through the
# engine's API, next to a kernel copy of the same file in the same JVM and cp as a process, and the ratios.
# Target (issue 16): warm isolate <= 4x cp. Extra arguments go to JMH (e.g. -wi 3 -i 3, -prof gc).
# Also the floor under that target: the same outputs' bytes written and the input's SHA-256, with no ELF work.
# Then the same ratios from back-to-back triples (isolate, floor, cp) in one JVM (-Disolate.bench.triples=N,
# default 31), which a machine whose speed drifts cannot skew. BENCH_JAVA_OPTS go to that JVM and, inherited, to JMH's fork: the garbage collector
# matters here (Maven's JVM gets G1 by default; -XX:+UseParallelGC to compare).
# Usage: bench/jmh.sh [LIBRARY] [JMH OPTIONS...]   (a JNI library's artifacts: -p name=N)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1}
[ $# -gt 0 ] && shift
[ -f "$lib" ] || { echo "bench: $lib not found" >&2; exit 2; }
(cd "$here" && mvn -q -B -DskipTests package -pl isolate-engine)
jmh="$here/bench/jmh"
# jmh-core and the annotation processor come from ~/.m2 or Maven Central; -o when offline
mvn -q -B ${MVN_OFFLINE:+-o} -f "$jmh/pom.xml" package dependency:build-classpath -Dmdep.outputFile="$jmh/target/classpath" \
  -Dmdep.includeScope=runtime
cp="$jmh/target/classes:$(cat "$jmh/target/classpath")" # the engine jar included (a system-scope dependency)
exec java ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.isolate.bench.IsolateBenchmark -p library="$lib" "$@"
