# Two entry points (see README.md):
#   make suite   run the whole suite on this kernel under kyua (builds the ATF programs first)
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
	qemu netbsd netbsd-lab netbsd-compare mutation tmp-before tmp-after man bench

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

check: tmp-before kyua fmt vet man test mutation cross suite kyua-unprivileged netbsd-lab tmp-after

# The manual pages lint clean (mandoc -Tlint: style messages too).
MANPAGES := cmd/picotrace/picotrace.1
man:
	@command -v mandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq mandoc; }
	mandoc -Tlint -Wstyle $(MANPAGES)

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
	rm -rf $(PROGS) $(OUT)
