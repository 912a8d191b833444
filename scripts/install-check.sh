#!/bin/sh
# install-check.sh: `make install` into temporary DESTDIRs (removed at the
# end), checked file by file, run there under kyua as root and as nobody,
# then `make uninstall`, checked to leave nothing of the suite behind.
# Run by `make install-check` (part of `make check`), as root, from the top
# of the tree, with the ATF programs buildable.
#
#  1. The Atffiles list exactly what the Kyuafiles list.
#  2. PREFIX=/usr/local: exactly the tree's files and ptrace-tests(7), each
#     identical to its source, programs 0755, the rest 0644, every
#     directory 0755 (under umask 077 here).
#  3. There, as root and as nobody (HOME a fresh directory): `kyua list`
#     loads every installed Kyuafile and runs every installed program (-l),
#     and must list every case; `kyua test` runs one area's program
#     ($KYUA_AREA, default fork, ~3 s) with 0 broken and 0 failed. One
#     area only: `make suite` and `make kyua-unprivileged` run every
#     program under kyua already; what the installed tree adds (its
#     layout, its Kyuafiles, its modes) is what `kyua list` proves for all.
#  4. uninstall leaves no file and none of the suite's directories, only
#     the shared directories above them.
#  5. TESTSDIR=/usr/tests/kernel/ptrace under NetBSD-style parents
#     (/usr/tests/Kyuafile and kernel/Kyuafile with test_suite("NetBSD"),
#     each including its subdirectory, as bsd.test.mk's TESTS_SUBDIRS
#     writes them): `kyua list` from /usr/tests reaches every case, the
#     suite keeps its name (test_suites.ptrace.racy=maybe fails a case,
#     test_suites.NetBSD.racy=maybe does not), and uninstall leaves the
#     parents' Kyuafiles as they were.
#  6. The pkgsrc package: its PLIST is exactly what make install puts
#     (relative to PREFIX), its PTRACE_AREAS the tree's areas, its
#     go-modules.mk the modules of go.sum, and its distinfo names exactly
#     its DISTFILES, with each module file's Size, SHA512 and BLAKE2s
#     those of the file in the module cache.
set -eu
make=${MAKE:-make}
area=${KYUA_AREA:-fork}
root=$(pwd)
fail() { echo "install-check: $*"; exit 1; }
note() { echo "install-check: $*"; }
[ "$(id -u)" = 0 ] || { echo "install-check: run as root (kyua runs as root and as nobody)"; exit 2; }
[ -f tests/Kyuafile ] || { echo "install-check: run from the top of the tree"; exit 2; }
command -v kyua >/dev/null || { echo "install-check: kyua not found (make kyua)"; exit 2; }
[ -f "tests/$area/Kyuafile" ] || { echo "install-check: KYUA_AREA=$area: no tests/$area/Kyuafile"; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptrace-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$tmp"
start=$(date +%s)
umask 077

areas=$(for k in tests/*/Kyuafile; do k=${k#tests/}; echo "${k%/Kyuafile}"; done | LC_ALL=C sort)
narea=$(echo "$areas" | wc -w)

# want TESTSDIR MANDIR (relative): the files install puts, sorted.
want() {
	{ echo "$1/Kyuafile"; echo "$1/Atffile"
	  for a in $areas; do echo "$1/$a/Kyuafile"; echo "$1/$a/Atffile"; echo "$1/$a/t_$a"; done
	  echo "$2/man7/ptrace-tests.7"; } | LC_ALL=C sort
}
# files DIR: every non-directory under DIR, relative, sorted.
files() { (cd "$1" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort); }
# left DIR: every directory under DIR, then every other entry, relative,
# each sorted.
left() {
	(cd "$1" && find . -mindepth 1 -type d | sed 's|^\./||' | LC_ALL=C sort)
	files "$1"
}
# same WHAT WANT GOT: fail with the difference unless the lists agree.
same() {
	[ "$2" = "$3" ] && return
	echo "install-check: $1: want (<) / got (>):"
	printf '%s\n' "$2" >"$tmp/want.txt"; printf '%s\n' "$3" >"$tmp/got.txt"
	diff "$tmp/want.txt" "$tmp/got.txt" | grep '^[<>]' | sed 's/^/  /'
	exit 1
}

# 1. Atffiles (for atf-run) and Kyuafiles (for kyua) describe one tree.
tps() { sed -n 's/^tp: *//p' "$1" | LC_ALL=C sort; }
header='Content-Type: application/X-atf-atffile; version="1"'
for f in tests/Atffile tests/*/Atffile; do
	[ "$(head -n 1 "$f")" = "$header" ] || fail "$f: first line is not $header"
	grep -qx 'prop: test-suite = "ptrace"' "$f" || fail "$f: no prop: test-suite = \"ptrace\""
done
for f in tests/Kyuafile tests/*/Kyuafile; do
	grep -qx "test_suite('ptrace')" "$f" || fail "$f: no test_suite('ptrace')"
done
same "tests/Atffile's tp: against tests/Kyuafile's include()s" \
	"$(sed -n "s|^include('\([^/]*\)/Kyuafile')\$|\1|p" tests/Kyuafile | LC_ALL=C sort)" "$(tps tests/Atffile)"
same "tests/Kyuafile's include()s against tests/*/Kyuafile" "$areas" \
	"$(sed -n "s|^include('\([^/]*\)/Kyuafile')\$|\1|p" tests/Kyuafile | LC_ALL=C sort)"
for a in $areas; do
	[ -f "tests/$a/Atffile" ] || fail "tests/$a has a Kyuafile and no Atffile"
	same "tests/$a/Atffile's tp: against its Kyuafile" \
		"$(sed -n "s|^atf_test_program{name='\([^']*\)'}\$|\1|p" "tests/$a/Kyuafile" | LC_ALL=C sort)" "$(tps "tests/$a/Atffile")"
done
note "Atffiles list what the Kyuafiles list ($narea areas)"

# install DESTDIR [VAR=value ...]
install() { d=$1; shift; "$make" --no-print-directory -s install DESTDIR="$d" "$@" | sed 's/^/  /'; }
uninstall() { d=$1; shift; "$make" --no-print-directory -s uninstall DESTDIR="$d" "$@" | sed 's/^/  /'; }

# 2. The default layout, file by file.
a=$tmp/a
install "$a"
same "files installed under DESTDIR" "$(want usr/local/tests/ptrace usr/local/man)" "$(files "$a")"
bad=$(cd "$a" && find . \( -type d ! -perm 755 \) -o \( -type f -name 't_*' ! -perm 755 \) \
	-o \( -type f ! -name 't_*' ! -perm 644 \) -o \( ! -type f ! -type d \))
[ -z "$bad" ] || fail "wrong mode or type (want directories and t_* 0755, files 0644): $(echo $bad)"
t=$a/usr/local/tests/ptrace
cmp -s tests/Kyuafile "$t/Kyuafile" && cmp -s tests/Atffile "$t/Atffile" || fail "the tree's root is not tests/Kyuafile, tests/Atffile"
for a1 in $areas; do
	for f in Kyuafile Atffile "t_$a1"; do cmp -s "tests/$a1/$f" "$t/$a1/$f" || fail "$t/$a1/$f differs from tests/$a1/$f"; done
done
cmp -s man/ptrace-tests.7 "$a/usr/local/man/man7/ptrace-tests.7" || fail "the installed ptrace-tests.7 differs from man/ptrace-tests.7"
note "PREFIX=/usr/local: $(want x y | wc -l) files, each its source, modes 0755/0644"

# 3. kyua on the installed tree, as root and as nobody.
ncases=0
for a1 in $areas; do
	n=$("$t/$a1/t_$a1" -l | grep -c '^ident: ') || fail "$t/$a1/t_$a1 -l failed"
	ncases=$((ncases + n))
done
# kyua_as USER DIR ARGS...: kyua in DIR as USER, HOME, log and results in
# $tmp/home-USER.
kyua_as() {
	u=$1 dir=$2; shift 2
	h=$tmp/home-$u
	[ -d "$h" ] || { mkdir "$h"; [ "$u" = root ] || chown "$u" "$h"; }
	if [ "$u" = root ]; then
		(cd "$dir" && env HOME="$h" kyua --config=none --logfile="$h/kyua.log" "$@")
	else
		(cd "$dir" && runuser -u "$u" -- env HOME="$h" kyua --config=none --logfile="$h/kyua.log" "$@")
	fi
}
# summary USER DIR DB: kyua report's "Test cases:" line.
summary() { kyua_as "$1" "$2" report --results-file="$3" | sed -n 's/^Test cases: //p'; }
for u in root nobody; do
	list=$(kyua_as "$u" "$t" list) || fail "kyua list as $u in $t failed"
	n=$(printf '%s\n' "$list" | grep -c ':')
	[ "$n" = "$ncases" ] || fail "kyua list as $u: $n cases, the programs list $ncases"
	for a1 in $areas; do
		printf '%s\n' "$list" | grep -q "^$a1/t_$a1:" || fail "kyua list as $u: no case of $a1/t_$a1"
	done
	db=$tmp/home-$u/results.db
	kyua_as "$u" "$t" test --results-file="$db" "$area/t_$area" >/dev/null || true
	s=$(summary "$u" "$t" "$db")
	case "$s" in
	*" 0 broken, 0 failed") ;;
	*)
		kyua_as "$u" "$t" report --verbose --results-file="$db" --results-filter=broken,failed || true
		fail "kyua test $area/t_$area as $u in the installed tree: ${s:-no summary}" ;;
	esac
	case "$s" in 0\ total*) fail "kyua test $area/t_$area as $u: no case ran" ;; esac
	note "as $u: kyua list: $n cases of $narea programs; kyua test $area/t_$area: $s"
done

# 4. uninstall: only the shared directories above the tree are left.
uninstall "$a"
same "left under DESTDIR after uninstall (no file, none of the suite's directories)" \
	"$(printf '%s\n' usr usr/local usr/local/man usr/local/man/man7 usr/local/tests)" "$(left "$a")"
note "uninstall: nothing left but usr/local/man/man7 and usr/local/tests"

# 5. NetBSD's base-system layout, inside NetBSD-style parents.
b=$tmp/b
mkdir -p "$b/usr/tests/kernel"
kf() { printf -- '-- as bsd.test.mk writes it for TESTS_SUBDIRS=%s\n\nsyntax(2)\n\ntest_suite("NetBSD")\n\ninclude("%s/Kyuafile")\n' "$1" "$1"; }
kf kernel >"$b/usr/tests/Kyuafile"
kf ptrace >"$b/usr/tests/kernel/Kyuafile"
cp "$b/usr/tests/Kyuafile" "$tmp/parent.kf"
cp "$b/usr/tests/kernel/Kyuafile" "$tmp/kernel.kf"
install "$b" PREFIX=/usr TESTSDIR=/usr/tests/kernel/ptrace MANDIR=/usr/share/man
same "files installed under DESTDIR (TESTSDIR=/usr/tests/kernel/ptrace)" \
	"$({ want usr/tests/kernel/ptrace usr/share/man; echo usr/tests/Kyuafile; echo usr/tests/kernel/Kyuafile; } | LC_ALL=C sort)" \
	"$(files "$b")"
list=$(kyua_as root "$b/usr/tests" list) || fail "kyua list in the NetBSD-style /usr/tests failed"
n=$(printf '%s\n' "$list" | grep -c '^kernel/ptrace/')
[ "$n" = "$ncases" ] || fail "kyua list from /usr/tests: $n cases under kernel/ptrace/, the programs list $ncases"
c=$(printf '%s\n' "$list" | grep "^kernel/ptrace/$area/" | head -n 1)
db=$tmp/home-root/netbsd-ptrace.db
kyua_as root "$b/usr/tests" -v test_suites.ptrace.racy=maybe test --results-file="$db" "$c" >/dev/null || true
s=$(summary root "$b/usr/tests" "$db")
case "$s" in
*" 0 broken, 1 failed") ;;
*) fail "$c with test_suites.ptrace.racy=maybe under /usr/tests: want 1 failed, got ${s:-no summary}" ;;
esac
r=$(kyua_as root "$b/usr/tests" report --results-file="$db")
case "$r" in
*'config variable racy="maybe"'*) ;;
*) fail "$c with test_suites.ptrace.racy=maybe: failed, but not naming config variable racy" ;;
esac
db=$tmp/home-root/netbsd-netbsd.db
kyua_as root "$b/usr/tests" -v test_suites.NetBSD.racy=maybe test --results-file="$db" "$c" >/dev/null || true
s=$(summary root "$b/usr/tests" "$db")
case "$s" in
*" 0 broken, 0 failed") ;;
*) fail "$c with test_suites.NetBSD.racy=maybe: want not failed (the suite is ptrace), got ${s:-no summary}" ;;
esac
uninstall "$b" PREFIX=/usr TESTSDIR=/usr/tests/kernel/ptrace MANDIR=/usr/share/man
cmp -s "$tmp/parent.kf" "$b/usr/tests/Kyuafile" && cmp -s "$tmp/kernel.kf" "$b/usr/tests/kernel/Kyuafile" ||
	fail "uninstall changed the NetBSD-style parents' Kyuafiles"
same "left after uninstall (TESTSDIR=/usr/tests/kernel/ptrace)" \
	"$(printf '%s\n' usr usr/share usr/share/man usr/share/man/man7 usr/tests usr/tests/kernel usr/tests/Kyuafile usr/tests/kernel/Kyuafile)" \
	"$(left "$b")"
note "TESTSDIR=/usr/tests/kernel/ptrace: kyua list from /usr/tests: $n cases; test_suites.ptrace.* reaches them, test_suites.NetBSD.* does not; uninstall leaves the parents"

# 6. The pkgsrc package (pkgsrc/devel/ptrace-tests) against the tree.
pkg=pkgsrc/devel/ptrace-tests
[ "$(head -n 1 "$pkg/PLIST")" = '@comment $NetBSD$' ] || fail "$pkg/PLIST: first line is not @comment \$NetBSD\$"
same "$pkg/PLIST against what make install puts (relative to PREFIX)" \
	"$(want tests/ptrace man)" "$(grep -v '^@' "$pkg/PLIST")"
same "$pkg/Makefile PTRACE_AREAS against tests/*/Kyuafile" "$areas" \
	"$(sed -n 's/^PTRACE_AREAS=[[:space:]]*//p' "$pkg/Makefile" | tr ' \t' '\n\n' | grep . | LC_ALL=C sort)"
# go.sum's "MOD VER h1:" is the module's zip, "MOD VER/go.mod h1:" its
# go.mod; the proxy path escapes upper case as !lower.
esc() { sed 's/[A-Z]/!&/g' | tr 'A-Z' 'a-z'; }
mods=$(awk '{ v = $2; if (sub(/\/go\.mod$/, "", v)) print $1 "/@v/" v ".mod"; else print $1 "/@v/" v ".zip" }' go.sum | esc | LC_ALL=C sort -u)
same "$pkg/go-modules.mk against go.sum" "$mods" \
	"$(sed -n 's/^GO_MODULE_FILES+=[[:space:]]*//p' "$pkg/go-modules.mk" | LC_ALL=C sort)"
distname=$(sed -n 's/^DISTNAME=[[:space:]]*//p' "$pkg/Makefile")
distfiles=$({ echo "$distname.tar.gz"; echo "$mods" | tr '/!' '__'; } | LC_ALL=C sort)
same "$pkg/distinfo: the files it names, against DISTFILES" "$distfiles" \
	"$(sed -n 's/^[A-Za-z0-9]* (\(.*\)) = .*/\1/p' "$pkg/distinfo" | LC_ALL=C sort -u)"
for f in $distfiles; do
	for alg in BLAKE2s SHA512 Size; do
		[ "$(grep -c "^$alg ($f) = " "$pkg/distinfo")" = 1 ] || fail "$pkg/distinfo: want one $alg line for $f"
	done
done
# The module files' checksums, against the files in the module cache (go
# verified them against go.sum when it downloaded them).
cache=$(go env GOMODCACHE 2>/dev/null)/cache/download
checked=0
for m in $mods; do
	f=$(echo "$m" | tr '/!' '__')
	[ -f "$cache/$m" ] || { note "$pkg/distinfo: $m is not in the module cache: its checksums not checked"; continue; }
	val() { sed -n "s/^$1 ($f) = //p" "$pkg/distinfo"; }
	[ "$(val Size)" = "$(wc -c <"$cache/$m" | tr -d ' ') bytes" ] || fail "$pkg/distinfo: Size of $f is not that of $cache/$m"
	[ "$(val SHA512)" = "$(sha512sum <"$cache/$m" | cut -d' ' -f1)" ] || fail "$pkg/distinfo: SHA512 of $f is not that of $cache/$m"
	if command -v python3 >/dev/null; then
		b=$(python3 -c 'import hashlib, sys; print(hashlib.blake2s(open(sys.argv[1], "rb").read()).hexdigest())' "$cache/$m")
		[ "$(val BLAKE2s)" = "$b" ] || fail "$pkg/distinfo: BLAKE2s of $f is not that of $cache/$m"
	fi
	checked=$((checked + 1))
done
command -v python3 >/dev/null || note "$pkg/distinfo: no python3: BLAKE2s not checked"
grep -q "^SHA512 ($distname.tar.gz) = PLACEHOLDER" "$pkg/distinfo" && placeholder=" (its own distfile's: placeholders)" || placeholder=
note "pkgsrc: PLIST is what make install puts; go-modules.mk is go.sum; distinfo names DISTFILES, $checked module files' checksums match$placeholder"

note "passed in $(($(date +%s) - start)) s"
