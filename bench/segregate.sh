#!/usr/bin/env bash
# Load time and memory of a segregated bundle against a renamed one, on JDK 25: a JNI glue and a copy of the
# system's libzstd.so.1, packaged (a) renamed by the engine (bin/isolate) and loaded with System.load, (b) unmodified
# and loaded into their own namespace (dlmopen). Each run is a fresh JVM whose bundle is already extracted (a
# first JVM extracts it), so the figures are NativeLoader.load(..) itself: hashing the files again, then
# System.load, or the FFM set-up, dlmopen of the two libraries plus a second libc, RegisterNatives. Prints medians
# of the time inside the JVM around load(..), and of VmRSS after minus before it; no asserts. Then whether gdb,
# attached to a JVM that segregated the bundle, lists the segregated libraries.
# Usage: bench/segregate.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-9}
jdk=${ISOLATE_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
zstd=/usr/lib/x86_64-linux-gnu/libzstd.so.1
[ -x "$jdk/bin/java" ] || { echo "bench: no JDK at $jdk (set ISOLATE_JDK25)" >&2; exit 2; }
[ -f "$zstd" ] || { echo "bench: $zstd not found" >&2; exit 2; }
(cd "$here" && mvn -q -B -o -DskipTests package -pl isolate-loader,isolate-engine)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in" "$work/renamed"
cp "$zstd" "$work/in/libzstd.so.1"
gcc -shared -fPIC -O2 -DJNI_CLASS=bench_SegregateBench -I"$jdk/include" -I"$jdk/include/linux" -Wl,-soname,libzstdglue.so \
  -o "$work/in/libzstdglue.so" "$here/isolate-loader/src/test/c/segregate/zstdglue.c" "$work/in/libzstd.so.1"
"$here/bin/isolate" isolate "$work/in/libzstd.so.1" "$work/in/libzstdglue.so" -o "$work/renamed" --prefix bench_ > /dev/null

# bundle DIR VERSION_LINES FILE:SONAME:NEEDS... : a class path root with native/linux-x86_64/ and its index.
bundle() {
  local root=$1 head=$2; shift 2
  mkdir -p "$root/native/linux-x86_64"
  printf '%b' "$head" > "$root/native/linux-x86_64/isolate.index"
  for m in "$@"; do
    IFS=: read -r f soname needs <<< "$m"
    cp "$f" "$root/native/linux-x86_64/"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "$(stat -c %s "$f")" \
      "$soname" "$soname" "$needs" >> "$root/native/linux-x86_64/isolate.index"
  done
}
bundle "$work/cp-rename" '# isolate native index 1\n' "$work/renamed/libbench_zstd.so.1:libbench_zstd.so.1:-" \
  "$work/renamed/libzstdglue.so:libzstdglue.so:libbench_zstd.so.1"
bundle "$work/cp-segregate" '# isolate native index 2\nmode\tsegregate\n' "$work/in/libzstd.so.1:libzstd.so.1:-" \
  "$work/in/libzstdglue.so:libzstdglue.so:libzstd.so.1"

mkdir -p "$work/src/bench"
cat > "$work/src/bench/SegregateBench.java" <<'JAVA'
package bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

public class SegregateBench {
    static native byte[] roundTrip(byte[] in);

    static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    public static void main(String[] a) throws Exception {
        byte[] in = "bench ".repeat(1000).getBytes();
        long rss = rssKb();
        long t = System.nanoTime();
        dev.isolate.loader.NativeLoader.builder().extractTo(Path.of(a[0])).load("zstdglue");
        long us = (System.nanoTime() - t) / 1000;
        long kb = rssKb() - rss;
        if (!Arrays.equals(in, roundTrip(in))) {
            throw new AssertionError("round trip");
        }
        System.out.println(us + " " + kb);
        if (a.length > 1) { // for gdb: wait until killed
            System.out.println(ProcessHandle.current().pid());
            Thread.sleep(600_000);
        }
    }
}
JAVA
"$jdk/bin/javac" -d "$work/classes" -cp "$here/isolate-loader/target/classes" "$work/src/bench/SegregateBench.java"
loader=$(ls "$here"/isolate-loader/target/isolate-loader-*.jar | grep -v -e sources -e tests | head -1)
run() { "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Xshare:auto -cp "$loader:$work/classes:$work/cp-$1" bench.SegregateBench "$work/x-$1" "${@:2}"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in rename segregate; do
  run "$mode" > /dev/null # extracts
done
declare -A time rss
for mode in rename segregate; do
  ts=(); ks=()
  for i in $(seq "$runs"); do
    read -r us kb < <(run "$mode")
    ts+=("$us"); ks+=("$kb")
  done
  time[$mode]=$(median "${ts[@]}"); rss[$mode]=$(median "${ks[@]}")
done
printf 'bundle       JNI glue + libzstd.so.1 (%.0f KB), JDK %s, %d runs each, medians\n' "$(($(stat -L -c %s "$zstd") / 1024))" \
  "$("$jdk/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2)" "$runs"
for mode in rename segregate; do
  awk -v m="$mode" -v t="${time[$mode]}" -v k="${rss[$mode]}" 'BEGIN { printf "%-12s %8.1f ms load, %6d KB more RSS\n", m, t / 1000, k }'
done

if command -v gdb > /dev/null; then
  exec 3< <(run segregate wait)
  read -r _ <&3; read -r pid <&3
  seen=$(gdb -q -batch -p "$pid" -ex 'info sharedlibrary' 2>/dev/null | grep -c -e libzstdglue.so -e "x-segregate.*libzstd.so.1" || true)
  kill "$pid"
  echo "gdb          $(gdb --version | head -1): 'info sharedlibrary' lists $seen of the 2 segregated libraries"
else
  echo "gdb          not installed"
fi
