#!/usr/bin/env bash
# Times NativeLoader in a fresh JVM for a one-library bundle: the first load (extract: copy out of the
# jar, hash, rename) and a later one (hash the existing file again), in turns, and prints the medians
# measured inside the JVM around the load call (System.load itself is left out: loadWith does nothing).
# Usage: bench/loader.sh [LIBRARY] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1}
runs=${2:-7}
[ -f "$lib" ] || { echo "bench: $lib not found" >&2; exit 2; }
(cd "$here" && mvn -q -B -DskipTests package -pl isolate-loader -am)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
name=$(basename "$lib")
mkdir -p "$work/b/native/linux-x86_64"
cp "$lib" "$work/b/native/linux-x86_64/$name"
printf '# isolate native index 1\n%s\t%s\t%s\t%s\t%s\t-\n' "$name" "$(sha256sum "$lib" | cut -d' ' -f1)" \
  "$(stat -L -c %s "$lib")" "$name" "$name" > "$work/b/native/linux-x86_64/isolate.index"
(cd "$work/b" && jar cf bundle.jar native)
cat > "$work/Bench.java" <<'JAVA'
public class Bench {
    public static void main(String[] a) {
        long t = System.nanoTime();
        var lib = dev.isolate.loader.NativeLoader.builder().extractTo(java.nio.file.Path.of(a[0])).loadWith(p -> {}).load(a[1]);
        System.out.println((System.nanoTime() - t) / 1000 + " " + lib.extracted().size());
    }
}
JAVA
cp="$here/isolate-loader/target/classes:$work/b/bundle.jar:$work"
javac -cp "$cp" -d "$work" "$work/Bench.java"
first=(); again=()
for i in $(seq "$runs"); do
  rm -rf "$work/x"
  read -r us n < <(java -cp "$cp" Bench "$work/x" "$name"); [ "$n" = 1 ] || { echo "bench: first load extracted $n" >&2; exit 1; }
  first+=("$us")
  read -r us n < <(java -cp "$cp" Bench "$work/x" "$name"); [ "$n" = 0 ] || { echo "bench: second load extracted $n" >&2; exit 1; }
  again+=("$us")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
awk -v f="$(median "${first[@]}")" -v g="$(median "${again[@]}")" -v l="$lib" -v n="$runs" -v s="$(stat -L -c %s "$lib")" 'BEGIN {
  printf "library      %s (%.1f MB, %d runs, medians)\n", l, s / 1048576, n
  printf "extract      %8.1f ms   (first load in a fresh JVM)\n", f / 1000
  printf "verify       %8.1f ms   (later load in a fresh JVM: hash again)\n", g / 1000
}'
