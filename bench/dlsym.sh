#!/usr/bin/env bash
# Times dlsym of every renamed export of an isolated library against its old name in the input, both loaded
# in one process (bench/dlsym.c), and prints the ratio. Target (issue 16): <= 1.05, i.e. the rewritten hash
# tables are sized as well as the linker's own.
# Usage: bench/dlsym.sh [LIBRARY] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1}
rounds=${2:-101}
[ -f "$lib" ] || { echo "bench: $lib not found" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/dlsym" "$here/bench/dlsym.c" -ldl
"$here/bin/isolate" isolate "$lib" -o "$work/out" --prefix acme_ > /dev/null 2>&1
# the output library: the one ELF shared object that is not the linker script
out=
for f in "$work"/out/*.so*; do
  if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = 177ELF ]; then out=$f; fi
done
# the renamed exports: defined names of the output that carry the prefix, without it (and without versions)
nm -D --defined-only --without-symbol-versions "$out" | awk '$3 ~ /^acme_/ { print substr($3, 6) }' | sort -u > "$work/names"
# Looked up in two orders: by bytes (names of one class or module together, as a consumer's relocations tend
# to come) and shuffled (a fixed seed: every run the same order)
shuf --random-source=<(yes) "$work/names" > "$work/shuffled"
echo "order        by bytes"
"$work/dlsym" "$lib" "$out" "$work/names" acme_ "$rounds"
echo "order        shuffled"
"$work/dlsym" "$lib" "$out" "$work/shuffled" acme_ "$rounds"
