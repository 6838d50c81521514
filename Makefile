# steampipe-plugin-defender

GO          ?= go
PLUGIN_DIR  ?= $(HOME)/.steampipe/plugins/local/defender
CONFIG_DIR  ?= $(HOME)/.steampipe/config
BIN         := bin
TEST_FLAGS  ?= -timeout 20m
FUZZ_TIME   ?= 30s
FUZZ_MINIMIZE ?= 2s

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
KUSTO_DIR   := tools/kustocheck

.PHONY: all build install test kusto-deps vet lint fmt-check bench soak fuzz docs demo clean

all: build

## build: compile the plugin and the command-line tools into ./bin
build:
	$(GO) build -o $(BIN)/defender.plugin .
	$(GO) build -o $(BIN)/ ./cmd/...

## install: install the plugin for Steampipe (plugin = "local/defender") and a starter config
install:
	mkdir -p $(PLUGIN_DIR) $(CONFIG_DIR)
	$(GO) build -o $(PLUGIN_DIR)/defender.plugin .
	@if [ -e $(CONFIG_DIR)/defender.spc ]; then \
		echo "kept existing $(CONFIG_DIR)/defender.spc"; \
	else \
		cp config/defender.spc $(CONFIG_DIR)/defender.spc && echo "installed $(CONFIG_DIR)/defender.spc"; \
	fi
	@echo "installed $(PLUGIN_DIR)/defender.plugin"

## test: formatting, vet, staticcheck, unit, fuzz seed corpora and end-to-end tests
# The packages with 250,000-row scans (the end-to-end tests, and
# defender-sql's peak-memory test) run one at a time after the others, so
# that no other test binary shares the two cores with them: a starved
# garbage collector lets memory run far past its soft limit.
# The tests check the KQL they emit with Microsoft's Kusto parser, which
# runs under Node (kusto-deps).
SERIAL_PKGS := ./internal/e2e ./cmd/defender-sql
test: fmt-check vet lint kusto-deps
	$(GO) test $(TEST_FLAGS) $$($(GO) list ./... | grep -v -e /internal/e2e$$ -e /cmd/defender-sql$$)
	$(GO) test -p 1 $(TEST_FLAGS) $(SERIAL_PKGS)

## kusto-deps: install Microsoft's Kusto parser (npm) for the tests' KQL check
kusto-deps: $(KUSTO_DIR)/node_modules/.package-lock.json

# npm writes node_modules/.package-lock.json on every install; it is
# touched so that it is newer than the files it was installed from.
$(KUSTO_DIR)/node_modules/.package-lock.json: $(KUSTO_DIR)/package.json $(KUSTO_DIR)/package-lock.json
	npm ci --prefix $(KUSTO_DIR) --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

vet:
	$(GO) vet ./...

## lint: staticcheck, fetched through the module proxy at a pinned version
lint:
	$(GO) run $(STATICCHECK) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## bench: benchmarks that print figures (not part of make test); BENCH=regexp selects some
# BenchmarkThroughput (internal/e2e) prints the plugin against the SDK floor
# (cmd/sdkfloor) and the API floor (cmd/huntfloor); `make bench
# BENCH=Throughput` runs only that. THROUGHPUT_ROUNDS sets its rounds (3),
# THROUGHPUT_PPROF=dir saves the plugin's CPU and allocation profiles.
bench:
	$(GO) test -run '^$$' -bench '$(or $(BENCH),.)' -benchmem -timeout 60m ./...

## soak: the 250,000-row scan 10 times in a row while another test binary loads both cores
# Not part of make test. Two copies of the simulator engine's benchmarks
# keep both cores busy, each in its own process group, which is stopped
# by its id at the end.
SOAK_COUNT ?= 10
soak: SHELL := /bin/bash
soak:
	$(GO) test -c -o $(BIN)/engine.test ./internal/sim/engine
	$(GO) test -c -o $(BIN)/e2e.test ./internal/e2e
	@burn='while :; do $(BIN)/engine.test -test.run XXX -test.bench . -test.benchtime 60s >/dev/null 2>&1; done'; \
	setsid bash -c "$$burn" & b1=$$!; setsid bash -c "$$burn" & b2=$$!; \
	trap 'kill -- -$$b1 -$$b2 2>/dev/null' EXIT; \
	sleep 5; echo "load with the burners: $$(cat /proc/loadavg)"; \
	cd internal/e2e && ../../$(BIN)/e2e.test -test.run '^TestQuotaRowCapComplete$$' -test.count $(SOAK_COUNT) \
		-test.failfast -test.timeout 120m -test.v 2>&1 | grep -E '^(=== RUN|--- |PASS|FAIL|ok)|quota_test'; \
	status=$${PIPESTATUS[0]}; echo "load at the end: $$(cat /proc/loadavg)"; exit $$status

## fuzz: run each fuzzer for FUZZ_TIME
# Go spends up to -fuzzminimizetime (60 s by default) shrinking every input
# that finds new coverage, during which no new input runs; on this 2-core
# machine that left most fuzzers idle after their first seconds. Shrinking
# only makes a failing input shorter; it is written to testdata/fuzz either way.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZ_TIME) -fuzzminimizetime $(FUZZ_MINIMIZE) $$pkg || exit 1; \
		done; \
	done

## docs: regenerate docs/tables from the schema
docs:
	$(GO) run ./cmd/gendocs

## demo: run five example hunts through SQL against the in-process simulator
# Inlining is off for this build: the demo's queries take well under a
# second either way, and on a fresh 2-core machine it cuts the first
# compile (SDK, SQLite and the standard library) by about a fifth.
demo:
	$(GO) build -gcflags=all=-l -o $(BIN)/defender-demo ./cmd/defender-demo
	$(BIN)/defender-demo

clean:
	rm -rf $(BIN)
