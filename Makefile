# Two entry points (see README.md):
#   make suite   run the whole suite on this kernel under kyua (builds the ATF programs first)
#   make check   the project's full check, what CI runs (.ci/run)

GO      ?= go
AREAS   := $(patsubst tests/%/Kyuafile,%,$(wildcard tests/*/Kyuafile))
PROGS   := $(foreach a,$(AREAS),tests/$(a)/t_$(a))
NETBSD  := amd64 arm64 386 arm
OUT     := .out

.PHONY: suite programs check kyua fmt vet test cross kyua-unprivileged stress clean FORCE

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

check: kyua fmt vet test cross suite kyua-unprivileged

# 20 runs of one area (AREA=fork) in a row under go test; fails on the first failure
# or on any process of ours left behind.
AREA ?= fork
stress:
	@scripts/stress.sh $(AREA) 20

clean:
	rm -rf $(PROGS) $(OUT)
