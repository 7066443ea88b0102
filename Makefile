# clipjury — the two commands a fresh Debian 12 machine needs:
#   make run    install what is missing, build, and serve on http://127.0.0.1:8080 (SQLite + ./data)
#   make test   install what is missing, then formatting, lints and every test suite (SQLite and PostgreSQL)

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo

.PHONY: help deps web run lan build test lint test-sqlite test-postgres test-s3 test-scale test-compose test-docker test-web test-interop test-e2e test-schemathesis openapi screenshots check-macos

help:
	@echo "make run   - build and serve clipjury on http://127.0.0.1:8080"
	@echo "make lan   - the same in room mode: phones on this computer's Wi-Fi open the links it prints"
	@echo "make test  - run formatting checks, clippy and all tests"

deps:
	@scripts/install-deps.sh

# The web app, built to web/dist (served by `clipjury serve`). Its API types are generated from docs/openapi.json.
web: deps
	cd web && npm ci --no-audit --no-fund && npm run build

build: deps web
	$(CARGO) build --release

run: build
	./target/release/clipjury serve

# Room mode: listens on every interface and builds every link from this computer's address on the local network
# (LAN_INTERFACE=wlan0 or an address chooses another than the default route's).
lan: build
	./target/release/clipjury serve --lan $(if $(LAN_INTERFACE),--lan-interface $(LAN_INTERFACE))

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-sqlite:
	$(CARGO) test --workspace

test-postgres:
	scripts/with-postgres.sh $(CARGO) test --test api

# The storage, upload and media suites against a real S3-compatible server (s3s-fs, installed once) on PostgreSQL;
# then backup/restore of SQLite with the media in an S3 prefix (clipjury backup copies SQLite databases only).
test-s3:
	scripts/with-postgres.sh scripts/with-s3.sh bash -c '$(CARGO) test -p clipjury-storage && \
	  $(CARGO) test --test api -- uploads:: upload_rules:: media:: delivery:: retention:: && \
	  env -u CLIPJURY_TEST_DATABASE_URL $(CARGO) test --test api -- backup::'

# Several `serve` and `worker` processes of the debug binary on one PostgreSQL and one S3 bucket.
test-scale:
	scripts/with-postgres.sh scripts/with-s3.sh $(CARGO) test --test scale -- --ignored --test-threads=1

# docker-compose.yml is valid (offline: no daemon, no image pulls), and refuses to start without the instance secret.
# Uses the compose plugin when present, else the standalone docker-compose that install-deps.sh installs.
test-compose:
	@compose="docker-compose"; docker compose version >/dev/null 2>&1 && compose="docker compose"; \
	  CLIPJURY_SECRET=only-for-validation $$compose config -q && \
	  if env -u CLIPJURY_SECRET $$compose config -q 2>/dev/null; then echo "compose starts without CLIPJURY_SECRET"; exit 1; fi
	@echo "docker-compose.yml is valid"

# The Dockerfile and the Caddyfile, without a daemon or network: hadolint; Caddy's own parser and validation (with a
# throwaway data folder); tests/deploy.rs (COPY sources exist, every shared library of the debug binaries comes from a
# package the runtime stage installs, compose and Caddyfile agree). Tools from scripts/install-deps.sh.
TOOLS := $(CURDIR)/target/tools
test-docker:
	$(TOOLS)/venv/bin/hadolint Dockerfile
	@tmp=$$(mktemp -d) && XDG_DATA_HOME=$$tmp XDG_CONFIG_HOME=$$tmp CLIPJURY_DOMAIN=clipjury.example.org \
	  $(TOOLS)/caddy adapt --config Caddyfile --validate >/dev/null; rc=$$?; rm -rf $$tmp; exit $$rc
	@$(TOOLS)/caddy fmt Caddyfile | diff -u Caddyfile - || { echo "Caddyfile is not formatted (caddy fmt)"; exit 1; }
	$(CARGO) test --test deploy
	@echo "Dockerfile and Caddyfile are valid"

# Type-checks and builds the web app.
test-web:
	cd web && npm ci --no-audit --no-fund && npm run build

# The official tus-js-client against the debug binary that test-sqlite built.
test-interop:
	cd tests/interop && npm ci --no-audit --no-fund && CLIPJURY_BIN=$(CURDIR)/target/debug/clipjury node --test

# Browser tests: Debian's chromium driven by playwright-core against the debug binary and the built web app.
test-e2e: web
	$(CARGO) build
	cd tests/e2e && npm ci --no-audit --no-fund && CLIPJURY_BIN=$(CURDIR)/target/debug/clipjury node --test --test-concurrency=1

# The README's screenshots (docs/screenshots/), taken as the browser tests see the app: no Khmer system font in sight.
screenshots: web
	$(CARGO) build
	cd tests/e2e && npm ci --no-audit --no-fund && CLIPJURY_BIN=$(CURDIR)/target/debug/clipjury node readme-screenshots.mjs

# schemathesis (PyPI, in target/tools/venv) against the debug server's own OpenAPI document, as anonymous, group,
# juror and admin: no answer may be a 5xx or break its documented schema.
test-schemathesis:
	$(CARGO) build
	@[ -x target/tools/venv/bin/schemathesis ] || target/tools/venv/bin/pip install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
	python3 tests/schemathesis/run.py target/debug/clipjury 10

test: deps lint test-compose test-docker test-sqlite test-postgres test-s3 test-scale test-web test-interop test-e2e test-schemathesis
	@echo "all test suites passed"

# Everything but FFmpeg checked for macOS from Linux (every crate but clipjury-media; the root package without its
# `media` feature, i.e. without the clipjury-media binary): cargo-zigbuild runs the build scripts with zig's C compiler
# and its macOS headers (both from PyPI, in target/tools/venv), which compile the C of ring, aws-lc-sys and SQLite;
# nothing is linked. Needs the target's standard library (`rustup target add x86_64-apple-darwin`, from rustup's own
# server). Not in `make test`: ~450 MB of tools, and 2.5-10 minutes on a fresh target folder (docs/operations.md).
check-macos:
	@rustup target list --installed 2>/dev/null | grep -qx x86_64-apple-darwin || \
	  { echo "check-macos needs the target's standard library: rustup target add x86_64-apple-darwin"; exit 1; }
	@[ -x target/tools/venv/bin/cargo-zigbuild ] || { [ -x target/tools/venv/bin/pip ] || python3 -m venv target/tools/venv; \
	  target/tools/venv/bin/pip install --quiet --disable-pip-version-check 'cargo-zigbuild==0.24.1' 'ziglang==0.17.1'; }
	PATH="$(CURDIR)/target/tools/venv/bin:$$PATH" cargo-zigbuild check --target x86_64-apple-darwin --workspace \
	  --exclude clipjury-media --no-default-features

# Regenerates the committed OpenAPI document (a test fails when it is stale).
openapi:
	$(CARGO) run --quiet -- openapi > docs/openapi.json
