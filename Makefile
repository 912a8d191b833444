# Two entry points (see README.md):
#   make suite   run the whole suite on this kernel under kyua (builds the ATF programs first)
#   make matrix  every case under every wait flavour (kyua, as root and as nobody)
#   make check   the project's full check, what CI runs (.ci/run)
# NetBSD under qemu (docs/NETBSD-QEMU.md):
#   make netbsd KERNEL=/path/to/netbsd      the suite on one NetBSD/amd64 kernel
#   make check LAB=DIR                      also the lab kernels' regression proof (DIR holds
#                                           netbsd-fixed.gz and netbsd-buggy.gz); CI sets LAB
#   make netbsd-compare LAB=DIR             every case on both lab kernels, compared

GO      ?= go
AREAS   := $(patsubst tests/%/Kyuafile,%,$(wildcard tests/*/Kyuafile))
PROGS   := $(foreach a,$(AREAS),tests/$(a)/t_$(a))
NETBSD  := amd64 arm64 386 arm
OUT     := .out

.PHONY: suite programs check kyua fmt vet test cross kyua-unprivileged stress clean FORCE \
	qemu netbsd netbsd-lab netbsd-compare mutation tmp-before tmp-after
.PHONY: mandoc man-lint install uninstall install-vars install-check
.PHONY: semantics semantics-check netbsd-cases netbsd-cases-check
.PHONY: qualify check-steps man bench matrix matrix-tree mutation-cover

# Each area's ATF program is its test package built with go test -c.
programs: $(PROGS)
tests/%: FORCE
	$(GO) test -c -o $@ ./$(dir $@)

kyua:
	@command -v kyua >/dev/null || { apt-get update -qq && apt-get install -y -qq kyua; }

suite: kyua programs
	@scripts/kyua-run.sh "$(OUT)/root"

fmt:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# docs/SEMANTICS.md, the cross-kernel semantics table, is generated from the
# suite's own data (cmd/semantics); semantics-check regenerates it aside and
# fails when the page in the tree differs.
semantics:
	$(GO) run ./cmd/semantics -o docs/SEMANTICS.md

semantics-check:
	@mkdir -p $(OUT) && $(GO) run ./cmd/semantics -o $(OUT)/SEMANTICS.md.new && \
	  if cmp -s $(OUT)/SEMANTICS.md.new docs/SEMANTICS.md; then rm -f $(OUT)/SEMANTICS.md.new; \
	  else rm -f $(OUT)/SEMANTICS.md.new; echo "docs/SEMANTICS.md is stale: run make semantics"; exit 1; fi

# docs/NETBSD-CASES.md, every case of NetBSD's own ptrace(2) suite and its
# counterpart here (cmd/netbsd-cases: the NetBSD inventory, the mapping
# rules, the built programs' case lists); the check regenerates it aside.
netbsd-cases:
	$(GO) run ./cmd/netbsd-cases -o docs/NETBSD-CASES.md
netbsd-cases-check:
	@mkdir -p $(OUT) && $(GO) run ./cmd/netbsd-cases -o $(OUT)/NETBSD-CASES.md.new && \
	  if cmp -s $(OUT)/NETBSD-CASES.md.new docs/NETBSD-CASES.md; then rm -f $(OUT)/NETBSD-CASES.md.new; \
	  else rm -f $(OUT)/NETBSD-CASES.md.new; echo "docs/NETBSD-CASES.md is stale: run make netbsd-cases"; exit 1; fi

vet:
	$(GO) vet ./...
	@for a in $(NETBSD); do echo "go vet (netbsd/$$a)"; GOOS=netbsd GOARCH=$$a $(GO) vet ./... || exit 1; done

test:
	$(GO) test -count=1 ./...
	GOARCH=386 $(GO) test -count=1 ./internal/nbabi/

# Every test package cross-compiles for every NetBSD target.
cross:
	@for a in $(NETBSD); do for p in $$($(GO) list ./...); do \
	  echo "go test -c netbsd/$$a $$p"; GOOS=netbsd GOARCH=$$a $(GO) test -c -o /dev/null $$p || exit 1; done; done

kyua-unprivileged: kyua programs
	@scripts/kyua-run.sh "$(OUT)/nobody" nobody

# The wait-flavour matrix (README "Wait-flavour matrix"): every case of
# every area under each wait flavour (picotrace, which waits as picotrace
# does, apart), t_<area>_<flavour> in tests/matrix
# (scripts/matrix-tree.sh), one kyua run of tests/Kyuafile.matrix, as root
# and as nobody.
matrix-tree: programs
	@scripts/matrix-tree.sh $(filter-out picotrace,$(AREAS))

matrix: kyua matrix-tree
	@KYUAFILE=tests/Kyuafile.matrix scripts/kyua-run.sh "$(OUT)/matrix"
	@KYUAFILE=tests/Kyuafile.matrix scripts/kyua-run.sh "$(OUT)/matrix-nobody" nobody

# Release qualification (cmd/ptrace-qualify, README "Release qualification"):
# the tree, the wait-flavour matrix (make matrix-tree), every racy case with racy_repeat (-repeat N in
# QUALIFY_FLAGS); kyua's results, JUnit, HTML and summary.md/.json in
# $(OUT)/qualify. Fails when a case failed or broke (make's "Error N" is the
# command's status: 1 a case, 2 bad input, 3 kyua did not run or interrupted).
QUALIFY_FLAGS ?=
qualify: kyua matrix-tree
	@$(GO) build -o $(OUT)/ptrace-qualify ./cmd/ptrace-qualify
	$(OUT)/ptrace-qualify -o $(OUT)/qualify $(QUALIFY_FLAGS)

# check ends in one verdict line, whatever step failed (the steps' own
# output above it says why).
check:
	@start=$$(date +%s); \
	if $(MAKE) --no-print-directory check-steps; then \
	  echo "check: PASSED in $$(( $$(date +%s) - start )) s (every step of the Makefile's check-steps)"; \
	else \
	  echo "check: FAILED after $$(( $$(date +%s) - start )) s: the first error above names the step"; exit 1; \
	fi
check-steps: tmp-before kyua fmt semantics-check netbsd-cases-check vet test mutation cross suite kyua-unprivileged man-lint install-check netbsd-lab tmp-after

# Nothing the check runs may leave a file or directory in /tmp.
tmp-before:
	@scripts/tmp-check.sh before $(OUT)/tmp-before
tmp-after:
	@scripts/tmp-check.sh after $(OUT)/tmp-before

# Every kernel bug of cmd/mutation's table, injected one at a time at the
# tracer's boundary with the kernel, is caught by its case within 5 s with
# a reason naming it (docs/MUTATION.md).
mutation:
	@mkdir -p $(OUT)
	$(GO) run ./cmd/mutation -md $(OUT)/mutation.md

# Every case can fail: each one that passes here fails under one of the
# mutants the table names for these areas (docs/MUTATION-COVER.md; about
# 20 minutes on 2 CPUs, not part of check). COVER_AREAS=tests/regs,... for some.
COVER_AREAS ?= tests/fork,tests/vfork,tests/clone,tests/ptio,tests/siginfo,tests/lwp,tests/kill,tests/regs,tests/step,tests/topology
mutation-cover:
	$(GO) run ./cmd/mutation -cover $(COVER_AREAS) -j 2 -md docs/MUTATION-COVER.md

# The core and picotrace against references in the same run (cmd/bench):
# the core syscall-stepping 100,000 getpid calls against a C
# PTRACE_SYSCALL/waitpid loop, picotrace -i against strace -f.
bench:
	@command -v cc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc; }
	@command -v strace >/dev/null || { apt-get update -qq && apt-get install -y -qq strace; }
	$(GO) run ./cmd/bench

# NetBSD/amd64 under qemu (TCG): the runner and its Debian packages.
NETBSD_QEMU := $(GO) run ./cmd/netbsd-qemu
SEED_FIXES  := .ci/netbsd-seed-fixes.txt
LAB         ?=

qemu:
	@command -v qemu-system-x86_64 >/dev/null && command -v grub-mkrescue >/dev/null && command -v xorriso >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq qemu-system-x86 grub-pc-bin grub-common xorriso mtools; }

netbsd: qemu
	@test -n "$(KERNEL)" || { echo "make netbsd: set KERNEL=/path/to/netbsd (a NetBSD/amd64 kernel, ELF or gzip)"; exit 2; }
	$(NETBSD_QEMU) -kernel $(KERNEL) $(NETBSD_FLAGS)

# The regression proof on the lab's two kernels (the same 8.99.25 tree, with
# and without the seed report's three fixes): netbsd-fixed runs every case
# with nothing failed or broken; on netbsd-buggy exactly the seed-fix cases
# fail.
netbsd-lab:
	@if [ -z "$(LAB)" ]; then echo "netbsd-lab: LAB is not set (a directory with netbsd-fixed.gz and netbsd-buggy.gz): NetBSD part not run"; exit 0; fi; \
	$(MAKE) --no-print-directory qemu && \
	echo "== netbsd-fixed: every case" && \
	$(NETBSD_QEMU) -kernel $(LAB)/netbsd-fixed.gz -o $(OUT)/netbsd/fixed && \
	echo "== netbsd-buggy: the seed-fix cases must fail, and only they" && \
	$(NETBSD_QEMU) -kernel $(LAB)/netbsd-buggy.gz -o $(OUT)/netbsd/buggy -cases @$(SEED_FIXES) -want-failed @$(SEED_FIXES)

# Every case on both lab kernels with one clone-stress seed: the buggy kernel
# fails exactly the seed-fix cases, the fixed one none, and every other case
# has the same outcome on both.
netbsd-compare: qemu
	@test -n "$(LAB)" || { echo "make netbsd-compare: set LAB=DIR (netbsd-fixed.gz, netbsd-buggy.gz)"; exit 2; }
	$(NETBSD_QEMU) -kernel $(LAB)/netbsd-fixed.gz -o $(OUT)/compare/fixed -v clone_stress_seed=1
	$(NETBSD_QEMU) -kernel $(LAB)/netbsd-buggy.gz -o $(OUT)/compare/buggy -v clone_stress_seed=1 -want-failed @$(SEED_FIXES)
	$(NETBSD_QEMU) -compare $(OUT)/compare/fixed/results.json $(OUT)/compare/buggy/results.json -allow-diff @$(SEED_FIXES)

# 20 runs of one area (AREA=fork) in a row under go test; fails on the first failure
# or on any process of ours left behind.
AREA ?= fork
stress:
	@scripts/stress.sh $(AREA) 20

clean:
	rm -rf $(PROGS) $(OUT) tests/matrix

# The manual, ptrace-tests(7): mandoc -Tlint must report nothing about the
# page. Only its look-ups of the manuals it cross-references are left out:
# they check the machine (Debian has no atf-test-program(1) or atf-run(1),
# and no mandoc.db), not the page.
MANPAGE := man/ptrace-tests.7

mandoc:
	@command -v mandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq mandoc; }

man-lint: mandoc
	@st=0; out=$$(mandoc -Tlint $(MANPAGE) 2>&1) || st=$$?; \
	out=$$(printf '%s\n' "$$out" | grep -v -e 'STYLE: referenced manual not found: ' -e 'outdated mandoc.db lacks ') || true; \
	if [ -n "$$out" ] || [ $$st -gt 1 ]; then printf '%s\n' "$$out"; echo "man-lint: $(MANPAGE): mandoc -Tlint exit $$st"; exit 1; fi; \
	echo "man-lint: $(MANPAGE): mandoc -Tlint clean"
	@mandoc -Tlint -Wstyle cmd/picotrace/picotrace.1 && echo "man-lint: cmd/picotrace/picotrace.1: mandoc -Tlint -Wstyle clean"

# man is man-lint (picotrace's own target name on its branch).
man: man-lint

# Install (README "Install, manual, pkgsrc"): the kyua tree rooted at
# TESTSDIR (tests/Kyuafile and tests/Atffile as its root, each area's
# t_<area>, Kyuafile and Atffile in <area>/), and ptrace-tests(7) in
# MANDIR/man7; programs 0755, the rest 0644, the suite's directories 0755,
# whatever the umask. uninstall removes those files and the suite's
# directories; the shared ones above them (PREFIX/tests, MANDIR/man7)
# stay, as GNU's uninstall conventions have it.
# The NetBSD base-system layout (/usr/tests/<subdir>):
#   make install PREFIX=/usr TESTSDIR=/usr/tests/kernel/ptrace MANDIR=/usr/share/man
PREFIX   ?= /usr/local
TESTSDIR ?= $(PREFIX)/tests/ptrace
MANDIR   ?= $(PREFIX)/man
DESTDIR  ?=
INSTALL  ?= install

# The tree's files, relative to TESTSDIR (scripts/install-check.sh and the
# pkgsrc PLIST are checked against what install puts).
TREE_FILES := Kyuafile Atffile $(foreach a,$(AREAS),$(a)/Kyuafile $(a)/Atffile $(a)/t_$(a))

# A bad directory variable is one line and exit 2 (make's $(error)),
# before anything is built or touched.
bad-dir = $(or $(filter-out 1,$(words $($(1)))),$(filter-out /%,$($(1))),$(findstring ',$($(1))),$(findstring ",$($(1))))
install-vars:
	@:$(foreach v,PREFIX TESTSDIR MANDIR,$(if $(call bad-dir,$(v)),$(error make $(MAKECMDGOALS): $(v)="$($(v))": want one absolute path, without blanks or quotes)))
	@:$(if $(or $(filter-out 0 1,$(words $(DESTDIR))),$(findstring ',$(DESTDIR)),$(findstring ",$(DESTDIR))),$(error make $(MAKECMDGOALS): DESTDIR="$(DESTDIR)": want a path without blanks or quotes))

install: install-vars programs
	@set -e; umask 022; t='$(DESTDIR)$(TESTSDIR)'; m='$(DESTDIR)$(MANDIR)/man7'; \
	$(INSTALL) -d -m 0755 "$$t" $(foreach a,$(AREAS),"$$t/$(a)"); \
	[ -d "$$m" ] || $(INSTALL) -d "$$m"; \
	$(INSTALL) -m 0644 tests/Kyuafile tests/Atffile "$$t/"; \
	for a in $(AREAS); do \
	  $(INSTALL) -m 0755 "tests/$$a/t_$$a" "$$t/$$a/"; \
	  $(INSTALL) -m 0644 "tests/$$a/Kyuafile" "tests/$$a/Atffile" "$$t/$$a/"; \
	done; \
	$(INSTALL) -m 0644 $(MANPAGE) "$$m/"; \
	echo "installed $(words $(TREE_FILES)) files in $$t and $$m/$(notdir $(MANPAGE))"

uninstall: install-vars
	@t='$(DESTDIR)$(TESTSDIR)'; \
	for f in $(TREE_FILES); do rm -f "$$t/$$f"; done; \
	rm -f '$(DESTDIR)$(MANDIR)/man7/$(notdir $(MANPAGE))'; \
	for d in $(foreach a,$(AREAS),"$$t/$(a)") "$$t"; do \
	  [ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || echo "uninstall: $$d: not empty, left in place"; \
	done; \
	echo "uninstalled from $$t and $(DESTDIR)$(MANDIR)/man7"

# make install into temporary DESTDIRs (both layouts), kyua there as root
# and as nobody, make uninstall: scripts/install-check.sh says what it checks.
install-check: kyua programs
	@MAKE='$(MAKE)' scripts/install-check.sh
