#!/bin/sh
# Checks rxgen for Java against a checkout of OpenAFS: compiles every .xg of the tree (each into a package
# of its own) and javac-compiles the generated Java against the XDR runtime; compiles every .et and compares
# each code with OpenAFS's own afs_compile_et (when installed). Run `mvn -B verify` (or package) first.
#   rxgen/check-openafs.sh /path/to/openafs
# Prints one line per file and a summary; exits 1 if any file failed.
set -u
TREE=${1:?usage: $0 OPENAFS_TREE}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
CLI=$(ls "$HERE"/rxgen-compiler/target/rxgen-compiler-*-cli.jar 2>/dev/null | head -1)
CP="$ROOT/bundles/rxrpc-xdr/target/classes:$ROOT/bundles/rxrpc-api/target/classes"
OSGI=$(ls "$HOME"/.m2/repository/org/osgi/osgi.annotation/8.1.0/osgi.annotation-8.1.0.jar 2>/dev/null)
[ -n "$OSGI" ] && CP="$CP:$OSGI"
if [ -z "$CLI" ] || [ ! -d "$ROOT/bundles/rxrpc-xdr/target/classes" ]; then
    echo "check-openafs.sh: build first (mvn -B verify)" >&2
    exit 2
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok=0; failed=0; javafiles=0
for f in $(cd "$TREE" && find . -name '*.xg' | sed 's|^\./||' | sort); do
    pkg=openafs.$(echo "${f%.xg}" | tr '/.-' '___' | tr 'A-Z' 'a-z')
    out="$WORK/src/$pkg"
    if ! java -jar "$CLI" -p "$pkg" -o "$out" "$TREE/$f" > /dev/null 2> "$WORK/err"; then
        echo "FAIL  $f: $(cat "$WORK/err")"; failed=$((failed + 1)); continue
    fi
    n=$(find "$out" -name '*.java' | wc -l)
    if javac -Xlint:all -Werror -d "$WORK/classes" -cp "$CP" $(find "$out" -name '*.java') > "$WORK/err" 2>&1; then
        echo "OK    $f: $n Java files compile"; ok=$((ok + 1)); javafiles=$((javafiles + n))
    else
        echo "FAIL  $f: javac"; head -20 "$WORK/err"; failed=$((failed + 1))
    fi
done
echo "xg: $ok compiled, $failed failed, $javafiles Java files"
etok=0; etfailed=0
for f in $(cd "$TREE" && find . -name '*.et' | sed 's|^\./||' | sort); do
    out="$WORK/et/$(echo "$f" | tr '/.' '__')"
    if ! java -jar "$CLI" -p errors -o "$out" "$TREE/$f" > /dev/null 2> "$WORK/err"; then
        echo "FAIL  $f: $(cat "$WORK/err")"; etfailed=$((etfailed + 1)); continue
    fi
    if command -v afs_compile_et > /dev/null; then
        # afs_compile_et writes NAME.h beside the working folder: compare every "#define CODE (NL)".
        mkdir -p "$WORK/cet" && cp "$TREE/$f" "$WORK/cet/t.et"
        (cd "$WORK/cet" && afs_compile_et -p "$WORK/cet" t.et > /dev/null 2>&1)
        theirs=$(sed -n 's/^#define \([A-Za-z0-9_]*\) *(\(-*[0-9]*\)L)$/\1=\2/p' "$WORK/cet/t.h" | grep -v "^ERROR_TABLE_BASE_" | sort)
        ours=$(sed -n 's/^ *public static final int \([A-Za-z0-9_]*\) = \(-*[0-9]*\);$/\1=\2/p' $(find "$out" -name '*.java') | grep -v '^BASE=' | sort)
        rm -f "$WORK/cet/"*
        if [ -z "$theirs" ] || [ "$theirs" != "$ours" ]; then
            echo "FAIL  $f: codes differ from afs_compile_et"; etfailed=$((etfailed + 1)); continue
        fi
        echo "OK    $f: $(echo "$ours" | wc -l) codes equal to afs_compile_et's"
    else
        echo "OK    $f: compiled (afs_compile_et not installed, codes not compared)"
    fi
    etok=$((etok + 1))
done
echo "et: $etok compiled, $etfailed failed"
[ "$failed" = 0 ] && [ "$etfailed" = 0 ]
