# clipjury — the two commands a fresh Debian 12 machine needs:
#   make run    install what is missing, build, and serve on http://127.0.0.1:8080 (SQLite + ./data)
#   make test   install what is missing, then formatting, lints and every test suite (SQLite and PostgreSQL)

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo

.PHONY: help deps run build test lint test-sqlite test-postgres openapi

help:
	@echo "make run   - build and serve clipjury on http://127.0.0.1:8080"
	@echo "make test  - run formatting checks, clippy and all tests"

deps:
	@scripts/install-deps.sh

build: deps
	$(CARGO) build --release

run: build
	./target/release/clipjury serve

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

test-sqlite:
	$(CARGO) test --workspace

test-postgres:
	scripts/with-postgres.sh $(CARGO) test --test api

test: deps lint test-sqlite test-postgres
	@echo "all test suites passed"

# Regenerates the committed OpenAPI document (a test fails when it is stale).
openapi:
	$(CARGO) run --quiet -- openapi > docs/openapi.json
