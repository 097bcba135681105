# Two commands do all set-up on a fresh machine (see README):
#   make demo   create .venv, install actiontrack (the runtime only), run lint, tag and the sync demo
#   make test   create .venv, install with test tools, run ruff, mypy and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP  := $(VENV)/.installed

.PHONY: demo test check install clean bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The runtime only: what a user of actiontrack gets from `pip install .`.
$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME)

# The runtime and the test tools.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(RUNTIME) $(STAMP)

install: $(STAMP)

# lint exits 1 on the examples on purpose (they hold bad actions); any other code is a failure.
demo: $(RUNTIME)
	@echo "== actiontrack lint examples/postmortems  (exit 1: the examples hold bad actions on purpose)"
	@$(BIN)/actiontrack lint examples/postmortems; status=$$?; \
	if [ $$status -ne 0 ] && [ $$status -ne 1 ]; then exit $$status; fi
	@echo
	@echo "== actiontrack tag examples/postmortems"
	$(BIN)/actiontrack tag examples/postmortems
	@echo
	@echo "== actiontrack demo  (sync to a local Jira/GitHub emulator, a person closes issues, sync, status)"
	$(BIN)/actiontrack demo

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

# The CommonMark spec's examples, a peer's test suite for the block pass (tests/reader/
# test_blocks_commonmark.py), come from the npm registry; without npm those tests skip.
SPEC := .cache/commonmark-spec/spec.txt
$(SPEC):
	@mkdir -p .cache
	@cd .cache && { npm pack --silent commonmark-spec@0.31.2 >/dev/null 2>&1 \
	  && tar xzf commonmark-spec-0.31.2.tgz && rm -rf commonmark-spec && mv package commonmark-spec \
	  && rm -f commonmark-spec-0.31.2.tgz; } \
	  || echo "warning: could not fetch the CommonMark spec examples with npm; their tests will be skipped" >&2

# pytest exits 5 when it collected no tests; that is a failure for us, not a pass.
test: check $(SPEC)
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
