# connex: `make run` starts the explorer, `make test` runs every test.
GO ?= go
BIN := bin/connex
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test bench lint golden fmt clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/connex

run: build
	./$(BIN)

test:
	$(GO) vet ./...
	$(GO) test -race -timeout 30m ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./... | tee bench.out

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...

golden:
	$(GO) test ./tui/... -update

fmt:
	gofmt -w .

clean:
	rm -rf bin bench.out
