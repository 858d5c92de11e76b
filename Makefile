# kaohe — two commands do everything on a fresh machine:
#   make run    create .venv, install, migrate, load the demo, serve on 127.0.0.1:$(PORT)
#               with one background worker (Ctrl-C stops both)
#   make test   install test tools and run every test (browser tests skip without Chromium)
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: run test install lint bench clean messages rehearse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements/base.txt requirements/dev.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: export KAOHE_DEMO = 1
run: $(STAMP)
	DEBUG=1 $(BIN)/kaohe migrate --no-input -v 0
	DEBUG=1 $(BIN)/kaohe demo
	@echo "打开 http://$(HOST):$(PORT)/ 用上面的演示账号登录 / open http://$(HOST):$(PORT)/ and sign in"
	@# one worker beside the web server (background tasks, reminders); Ctrl-C stops both
	DEBUG=1 $(BIN)/kaohe worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/kaohe runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; DEBUG=1 $(BIN)/python $$f || exit 1; done

# nginx → 2 app servers, 2 workers, PostgreSQL, Redis on loopback; kills and restarts one of each
rehearse: $(STAMP)
	PYTHON=$(BIN)/python deploy/rehearse.sh

messages: $(STAMP)
	cd kaohe && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l en --ignore=static
	cd kaohe && DEBUG=1 ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
