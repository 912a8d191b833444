#!/bin/sh
# kyua-run.sh OUTDIR [USER]: run the root Kyuafile under the real kyua and
# fail on any broken or failed case. With USER, the ATF programs and
# Kyuafiles are copied to a world-readable directory and kyua runs as that
# user (the suite must pass unprivileged too). kyua reads kyua.conf (its
# parallelism); KYUA_CONF=none runs without it (serially), KYUAFILE names
# another Kyuafile (tests/Kyuafile.matrix: the wait-flavour matrix).
set -eu
out=$1
user=${2:-}
kyuafile=${KYUAFILE:-Kyuafile}
conf=${KYUA_CONF:-kyua.conf}
root=$(pwd)
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$root
run() { "$@"; }
if [ -n "$user" ]; then
	tree=$(mktemp -d /tmp/ptrace-suite.XXXXXX)
	# The copy goes however the script ends: an error, an interrupt, or
	# a reader of its output that went away (SIGPIPE).
	trap 'rm -rf "$tree"' EXIT
	trap 'exit 130' INT TERM HUP PIPE
	chmod 755 "$tree"
	(cd "$root" && tar cf - Kyuafile kyua.conf tests/Kyuafile* tests/*/Kyuafile tests/*/t_* \
		$( [ ! -d tests/matrix ] || echo tests/matrix )) | (cd "$tree" && tar xf -)
	chmod -R a+rX "$tree"
	chown "$user" "$out"
	run() { runuser -u "$user" -- env HOME="$out" "$@"; }
fi
start=$(date +%s)
status=0
(cd "$tree" && run kyua --config="$conf" --logfile="$out/kyua.log" test --kyuafile="$kyuafile" \
	--results-file="$out/results.db") || status=$?
end=$(date +%s)
summary=$(cd "$tree" && run kyua --config="$conf" report --results-file="$out/results.db" | tail -n 3)
if [ "$status" != 0 ] || echo "$summary" | grep -Eq '[1-9][0-9]* (broken|failed)'; then
	status=1
	(cd "$tree" && run kyua --config="$conf" report --verbose --results-file="$out/results.db" \
		--results-filter=broken,failed) || true
fi
echo "$summary"
echo "kyua wall time: $((end - start)) s${user:+ (as $user)} ($kyuafile, config $conf: parallelism $(cd "$tree" && run kyua --config="$conf" config parallelism | sed 's/.*= //'))"
exit $status
