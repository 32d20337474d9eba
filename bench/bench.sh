#!/usr/bin/env bash
# Times `isolate` (the library and its consumer artifacts) of a large real library as a whole
# process against `cp` of the same file, in turns, and prints the medians, the ratios and the peak
# RSS. Targets (issue 16): at most 2x the JVM floor below, peak RSS at most 150 MB.
# Usage: bench/bench.sh [LIBRARY] [RUNS]   (ISOLATE_ARGS: more options, e.g. --name N for a JNI library's artifacts)
# A third contender, bench/Floor.java, is a JVM that only hashes the input (SHA-256, as the manifest
# does) and copies it: what any JVM-based isolate costs before it renames anything.
# One untimed run first: it warms the page cache and makes bin/isolate's CDS archive if the jar is
# new. The machine's load average is printed before and after: on a shared machine, compare runs
# made under similar load (ISOLATE_JAVA_OPTS=-Disolate.trace=true bin/isolate ... shows the phases).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1}
runs=${2:-7}
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -f "$lib" ] || { echo "bench: $lib not found" >&2; exit 2; }
(cd "$here" && mvn -q -B -DskipTests package)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
javac -d "$work/floor" "$here/bench/Floor.java"
floor() { java -XX:+UseSerialGC -XX:-UsePerfData -cp "$work/floor" Floor "$lib" "$work/floor.so" > /dev/null; rm -f "$work/floor.so"; }
cat "$lib" > /dev/null # page cache warm for both
"$here/bin/isolate" isolate "$lib" -o "$work/warm" --prefix acme_ ${ISOLATE_ARGS:-} > /dev/null 2>&1 && rm -rf "$work/warm"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
floor # its first run makes nothing, but keeps the turns alike
cp_t=(); iso_t=(); floor_t=(); rss=0
for i in $(seq "$runs"); do
  s=$(date +%s%N); cp "$lib" "$work/copy.so"; e=$(date +%s%N); cp_t+=($(( (e - s) / 1000 )))
  rm -f "$work/copy.so"
  s=$(date +%s%N); floor; e=$(date +%s%N); floor_t+=($(( (e - s) / 1000 )))
  s=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$here/bin/isolate" isolate "$lib" -o "$work/out" --prefix acme_ ${ISOLATE_ARGS:-} > /dev/null 2>&1
  e=$(date +%s%N); iso_t+=($(( (e - s) / 1000 )))
  r=$(cat "$work/rss"); [ "$r" -gt "$rss" ] && rss=$r
  rm -rf "$work/out"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(median "${cp_t[@]}"); mi=$(median "${iso_t[@]}"); mf=$(median "${floor_t[@]}")
awk -v c="$mc" -v i="$mi" -v f="$mf" -v r="$rss" -v l="$lib" -v n="$runs" -v l0="$load0" -v l1="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v j="$(java -version 2>&1 | head -1)" 'BEGIN {
  printf "library      %s (%d runs, medians)\n", l, n
  printf "java         %s\n", j
  printf "load average %s before, %s after\n", l0, l1
  printf "cp           %8.1f ms\n", c / 1000
  printf "JVM floor    %8.1f ms    (%.2fx cp: a JVM that starts, hashes and copies, bench/Floor.java)\n", f / 1000, f / c
  printf "isolate      %8.1f ms\n", i / 1000
  printf "ratio        %8.2fx cp\n", i / c
  printf "             %8.2fx the JVM floor   (target <= 2x)   %s\n", i / f, (i / f <= 2 ? "met" : "NOT MET")
  printf "peak RSS     %8.1f MB    (target <= 150 MB) %s\n", r / 1024, (r / 1024 <= 150 ? "met" : "NOT MET")
}'
