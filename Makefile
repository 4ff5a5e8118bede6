# The two commands: `make demo` and `make test`. Everything else they need is installed here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

NODE_STAMP := node_modules/.installed

# Front-end libraries (viewer, SPARQL editor, map, axe-core) from the npm registry, never committed.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# Debian packages the tests need (headless Chromium for the browser tests).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }
	@ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null; }  # iiif-validator imports python-magic

demo: install
	$(VENV)/bin/meros demo

test: install system-deps
	$(PY) -m pytest

bench: install
	$(PY) bench/store.py
	$(PY) bench/iiif.py
	$(PY) bench/rights.py
	$(PY) bench/sparql.py
	$(PY) bench/search.py
	$(PY) bench/ingest.py

clean:
	rm -rf $(VENV) data
