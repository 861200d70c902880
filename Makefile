# connex: `make run` starts the explorer, `make test` runs every test.
GO ?= go
BIN := bin/connex
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test cross bench lint golden fmt clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/connex

run: build
	./$(BIN)

# Every test runs under -race, except the full-data ones: the race detector
# makes them 5-10 times slower and they exercise no code the small tests
# miss, so they skip under -race (internal/realdata) and run in a second
# pass without it, in the packages that have them. go test's own vet step
# is off: go vet ./... has just run.
REALDATA_PKGS = $(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | grep 'internal/realdata' | cut -d' ' -f1

test: cross
	$(GO) vet ./...
	$(GO) test -race -vet=off -timeout 30m ./...
	$(GO) test -vet=off -timeout 30m $$($(REALDATA_PKGS))

# cross builds the binary and vets every package, tests included, for each
# other OS/architecture connex supports, so a Unix-only call cannot land
# unnoticed: go vet type-checks the test files as well, which is what catches
# a missing syscall or an os-specific name. Test binaries are not linked for
# these targets (linking about 30 test binaries per target was most of make
# test's time from a cold cache; what linking alone would add is missing
# assembly or cgo symbols, which connex does not use). windows/arm64 is left out: it shares every
# os-specific file with windows/amd64, and linux/arm64 already covers the
# arm64 differences of the syscall package (no syscall.Dup2, for one).
CROSS_TARGETS ?= windows/amd64 darwin/arm64 linux/arm64
cross:
	@set -e; for t in $(CROSS_TARGETS); do \
	  echo "cross: $$t"; \
	  export GOOS=$${t%/*} GOARCH=$${t#*/}; \
	  $(GO) build -o /dev/null ./cmd/connex; \
	  $(GO) vet ./...; \
	done

# Each benchmark prints its own figures (ms, p50/p99, MiB...). The query
# benchmarks take 30 rounds of their typing set for a steady p99; the rest
# 5 rounds. internal/procbench runs whole connex processes (search,
# show, call, --version) next to the bare process each is compared with. Figures are recorded in docs/benchmarks.md.
bench:
	{ $(GO) test -run '^$$' -bench . -benchtime 5x -timeout 60m $$($(GO) list ./... | grep -v '/index$$') && \
	  $(GO) test -run '^$$' -bench . -benchtime 30x -timeout 30m ./index; } 2>&1 | tee bench.out

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...

golden:
	$(GO) test ./tui/... -update

fmt:
	gofmt -w .

clean:
	rm -rf bin bench.out
