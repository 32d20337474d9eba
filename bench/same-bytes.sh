#!/bin/sh
# Same inputs, same bytes: runs the command line on a fixed set of libraries and options and prints the
# SHA-256 of everything it produced (each output file, stdout, stderr and exit status of every run), one
# line a file, sorted. Run it on the engine jar before a refactoring and after, and diff the two lists:
#
#   bench/same-bytes.sh -j /tmp/before.jar /tmp/w1 > before.txt
#   bench/same-bytes.sh /tmp/w2 > after.txt        # the jar of this checkout
#   diff before.txt after.txt && wc -l after.txt
#
# Outputs go under WORKDIR (emptied first) and are named relative to it, so the printed paths do not depend
# on where it is. VERB (default: isolate) is the command that writes; set VERB=rename to check a new
# spelling against the old one's list. Inputs missing on this machine are reported on stderr and fail the
# script: a shorter list would compare less.
set -eu
jar=
while [ $# -gt 0 ]; do
  case $1 in
    -j) jar=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [-j JAR] WORKDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$jar" ]; then
  for f in "$here"/isolate-engine/target/isolate-engine-*.jar; do
    case $f in *-sources.jar | *-javadoc.jar | *-tests.jar) ;; *) jar=$f ;; esac
  done
fi
[ -f "$jar" ] || { echo "$0: no engine jar (mvn -B -o -DskipTests package)" >&2; exit 2; }
jar=$(readlink -f "$jar")
verb=${VERB:-isolate}
work=$1
rm -rf "$work"
mkdir -p "$work"
cd "$work"

x=/usr/lib/x86_64-linux-gnu
a=/usr/aarch64-linux-gnu/lib
jdk=/usr/lib/jvm/java-17-openjdk-amd64/lib
missing=0
for f in $x/libz.so.1 $x/libzstd.so.1 $x/libcrypto.so.3 $x/libssl.so.3 $x/libsqlite3.so.0 $x/libstdc++.so.6 \
    $x/libLLVM-15.so.1 $x/libc.so $a/libstdc++.so.6 $a/libatomic.so.1 $jdk/libzip.so; do
  [ -e "$f" ] || { echo "$0: missing input $f" >&2; missing=1; }
done
[ $missing -eq 0 ] || exit 1

# run CASE ARGS...: the command line's stdout, stderr and exit status in CASE/, its outputs in CASE/out.
run() {
  d=$1
  shift
  mkdir -p "$d"
  rc=0
  java -jar "$jar" "$@" >"$d/stdout" 2>"$d/stderr" || rc=$?
  echo $rc >"$d/rc"
}
# lib CASE INPUT... [OPTIONS]: isolate, inspect and inspect --json of the same request.
lib() {
  c=$1
  shift
  run "$c/isolate" $verb "$@" -o "$c/isolate/out" --prefix acme_
  run "$c/inspect" inspect "$@" --prefix acme_
  run "$c/json" inspect "$@" --prefix acme_ --json
}

lib z $x/libz.so.1
lib zstd $x/libzstd.so.1
lib crypto $x/libcrypto.so.3
lib sqlite3 $x/libsqlite3.so.0
lib stdcxx $x/libstdc++.so.6
lib llvm $x/libLLVM-15.so.1
lib ssl-bundle $x/libssl.so.3 $x/libcrypto.so.3
lib a64-stdcxx $a/libstdc++.so.6
lib a64-atomic $a/libatomic.so.1
lib jni $jdk/libzip.so
lib jni-name $jdk/libzip.so --name zipc
lib zstd-options $x/libzstd.so.1 --exclude 'ZSTD_*Stream*' --soname libfoo.so.1 --name foo
lib bundle-options $x/libssl.so.3 $x/libcrypto.so.3 --soname libssl.so.3=libacme_tls.so.3 --name libcrypto.so.3=cr
run bundle-runpath/isolate $verb $x/libssl.so.3 $x/libcrypto.so.3 -o bundle-runpath/isolate/out --prefix acme_ \
  --runpath '$ORIGIN/../lib'
run bundle-no-runpath/isolate $verb $x/libssl.so.3 $x/libcrypto.so.3 -o bundle-no-runpath/isolate/out --prefix acme_ --no-runpath
# Refusals and usage errors: the message and status, and nothing written.
run werror/isolate $verb $x/libstdc++.so.6 -o werror/isolate/out --prefix acme_ --werror
run werror-allowed/isolate $verb $x/libz.so.1 -o werror-allowed/isolate/out --prefix acme_ --werror --allow-versioned-symbol
run unbundled/isolate $verb $x/libssl.so.3 -o unbundled/isolate/out --prefix acme_ --werror --allow-versioned-symbol \
  --allow-object-symbol
run unbundled-allowed/isolate $verb $x/libssl.so.3 -o unbundled-allowed/isolate/out --prefix acme_ --werror \
  --allow-versioned-symbol --allow-object-symbol --allow-unbundled-dependency
run linker-script/isolate $verb $x/libc.so -o linker-script/isolate/out --prefix acme_
run linker-script/inspect inspect $x/libc.so
run no-file/isolate $verb /nonexistent/libz.so.1 -o no-file/isolate/out --prefix acme_
run twice/isolate $verb z/isolate/out/libacme_z.so.1 -o twice/isolate/out --prefix acme_
run bad-name/isolate $verb $x/libz.so.1 -o bad-name/isolate/out --prefix acme_ --name 'a/b'
run bad-soname/isolate $verb $x/libz.so.1 -o bad-soname/isolate/out --prefix acme_ --soname 'x/y.so'
run usage/none
run usage/help --help
run usage/isolate-help $verb --help
run usage/inspect-help inspect --help
run usage/unknown frobnicate
run usage/missing $verb $x/libz.so.1

find . -type f | LC_ALL=C sort | sed 's|^\./||' | while read -r f; do
  printf '%s  %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
done
