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
# The control: one empty function per name (quoted, so any name the input had assembles), linked by the linker.
control() { # control PREFIX OUT.so
  awk -v p="$1" '{ printf ".globl \"%s%s\"\n.type \"%s%s\", @function\n\"%s%s\":\n ret\n", p, $0, p, $0, p, $0 }' \
    "$work/names" > "$work/ctl.s"
  gcc -shared -nostdlib -o "$2" "$work/ctl.s"
}
control "" "$work/ctl-old.so"
control acme_ "$work/ctl-new.so"
run() { # run ORDER-NAME NAMES-FILE
  echo "order        $1"
  "$work/dlsym" "$lib" "$out" "$2" acme_ "$rounds" | tee "$work/r"
  echo "control      the same names in two libraries the linker built (gcc -shared), old and prefixed"
  "$work/dlsym" "$work/ctl-old.so" "$work/ctl-new.so" "$2" acme_ "$rounds" | grep -v '^names' \
    | sed -e 's/^ratio /control/' -e 's/(output \/ input.*/(the prefix alone)/' | tee "$work/c"
  awk -v r="$(awk '/^ratio/ { print $2 }' "$work/r")" -v c="$(awk '/^control / { print $2 }' "$work/c")" 'BEGIN {
    printf "excess       %8.3f   (output ratio / control ratio: what the rewritten tables add; target <= 1.05)  %s\n",
      r / c, r / c <= 1.05 ? "met" : "NOT MET" }'
}
run "by bytes" "$work/names"
run shuffled "$work/shuffled"
