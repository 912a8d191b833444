#!/bin/sh
# stress.sh AREA N: run one area's tests N times in a row; fail on the first
# failure, and on any process of ours (a test binary or tracee) left behind.
set -eu
area=$1
n=$2
mkdir -p .out
go test -c -o ".out/stress.t_$area" "./tests/$area"
scripts/tmp-check.sh before ".out/stress.tmp-before"
i=1
start=$(date +%s)
while [ "$i" -le "$n" ]; do
	if ! ".out/stress.t_$area" -test.count=1 >".out/stress.$area.log" 2>&1; then
		echo "run $i of $n FAILED:"; tail -n 40 ".out/stress.$area.log"; exit 1
	fi
	left=$(pgrep -f "stress.t_$area" || true)
	if [ -n "$left" ]; then
		echo "run $i of $n left processes behind:"; ps -o pid,ppid,stat,args -p "$(echo $left | tr ' ' ,)"; exit 1
	fi
	i=$((i + 1))
done
scripts/tmp-check.sh after ".out/stress.tmp-before"
echo "$n runs of tests/$area passed in $(( $(date +%s) - start )) s; no process left behind"
