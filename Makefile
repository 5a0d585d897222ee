# make serve — set everything up, build the site and serve it at http://127.0.0.1:8000
# make trainer — build the trainer edition (teaching notes) and serve it at http://127.0.0.1:8001
# make test  — set everything up (Python, Debian and npm packages) and run the whole suite
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
APT    := chromium fonts-noto-cjk default-jre-headless

.PHONY: serve build trainer test check system-deps node-deps bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

build: $(STAMP)
	$(VENV)/bin/mkdocs build

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve -a 127.0.0.1:8000  # builds first, then serves

# The trainer edition (mkdocs.trainer.yml): site-trainer/, never inside site/.
trainer: $(STAMP)
	$(VENV)/bin/mkdocs build -f mkdocs.trainer.yml
	$(VENV)/bin/mkdocs serve -f mkdocs.trainer.yml -a 127.0.0.1:8001

check: $(STAMP)
	$(VENV)/bin/casebook check

# Browser, Japanese fonts and Java (for the HTML validator) come from Debian.
system-deps:
	@missing=""; for p in $(APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

node-deps: package-lock.json
	@test -d node_modules/axe-core || npm ci --no-audit --no-fund --silent

test: $(STAMP) system-deps node-deps
	$(VENV)/bin/ruff check .
	NO_MKDOCS_2_WARNING=1 $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/build.py
	$(PY) bench/search.py

clean:
	rm -rf site site-trainer .casebook-index .casebook-index-trainer .pytest_cache
