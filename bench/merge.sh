#!/usr/bin/env bash
# Times `isolate merge` of libssl + libcrypto (every export kept) as a whole process against `cp` of both
# files, in turns, and prints the medians, the ratio and the peak RSS of the merge.
# Usage: bench/merge.sh [RUNS] [TARGET MEMBER...]   (default: 7 runs, the system libssl.so.3 and libcrypto.so.3)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
shift || true
libs=("$@")
[ ${#libs[@]} -ge 2 ] || libs=(/usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3)
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
for l in "${libs[@]}"; do [ -f "$l" ] || { echo "bench: $l not found" >&2; exit 2; }; done
(cd "$here" && mvn -q -B -DskipTests package)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat "${libs[@]}" > /dev/null # page cache warm for both
"$here/bin/isolate" merge "${libs[@]}" -o "$work/warm" --keep-all-exports > /dev/null && rm -rf "$work/warm"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
cp_t=(); m_t=(); rss=0
for i in $(seq "$runs"); do
  mkdir -p "$work/copy"
  s=$(date +%s%N); cp "${libs[@]}" "$work/copy/"; e=$(date +%s%N); cp_t+=($(( (e - s) / 1000 )))
  rm -rf "$work/copy"
  s=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$here/bin/isolate" merge "${libs[@]}" -o "$work/out" --keep-all-exports > "$work/summary"
  e=$(date +%s%N); m_t+=($(( (e - s) / 1000 )))
  r=$(cat "$work/rss"); [ "$r" -gt "$rss" ] && rss=$r
  rm -rf "$work/out"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(median "${cp_t[@]}"); mm=$(median "${m_t[@]}")
in_size=$(cat "${libs[@]}" | wc -c)
awk -v c="$mc" -v m="$mm" -v r="$rss" -v n="$runs" -v s="$in_size" -v l="${libs[*]}" -v l0="$load0" -v l1="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "libraries    %s (%.1f MB, %d runs, medians)\n", l, s / 1048576, n
  printf "load average %s before, %s after\n", l0, l1
  printf "cp           %8.1f ms\n", c / 1000
  printf "merge        %8.1f ms    (%.2fx cp)\n", m / 1000, m / c
  printf "peak RSS     %8.1f MB\n", r / 1024
}'
cat "$work/summary"
