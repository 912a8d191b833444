#!/bin/sh
# tmp-check.sh before|after FILE: record what /tmp holds, then fail if
# anything appeared since (a file or directory a test, a tracee, the
# runners or the build left behind). CI's machine is otherwise idle.
set -eu
tmp=${TMPDIR:-/tmp}
case "$1" in
before)
	mkdir -p "$(dirname "$2")"
	ls -A "$tmp" | sort >"$2"
	;;
after)
	ls -A "$tmp" | sort >"$2.after"
	new=$(comm -13 "$2" "$2.after")
	rm -f "$2.after"
	if [ -n "$new" ]; then
		echo "left behind in $tmp:"; echo "$new" | sed 's/^/  /'
		exit 1
	fi
	echo "nothing left behind in $tmp"
	;;
*)
	echo "usage: tmp-check.sh before|after FILE" >&2; exit 2
	;;
esac
