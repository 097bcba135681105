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
	$(BIN)/ruff check src tests bench corpus
	$(BIN)/mypy src

# pytest exits 5 when it collected no tests; that is a failure for us, not a pass.
test: check
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
