# Trợ lý ảo TTHC: the two commands are `make run` and `make test`.
# Both build what they need first (the two Python environments, the model).
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP := .venvs/app/bin
ENGINE := .venvs/engine/bin
export RASA_TELEMETRY_ENABLED := false
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export GATEWAY_PORT ?= 8080
export RASA_URL ?= http://127.0.0.1:$(RASA_PORT)
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export PYTHONDONTWRITEBYTECODE := 1
# matplotlib (dashboard charts) keeps its font cache with the rest of what runs write.
export MPLCONFIGDIR ?= $(CURDIR)/var/matplotlib
# The knowledge-base tests run a second time on this PostgreSQL (see `test`); the
# production-configuration tests (tests/production) use it and this Redis database.
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

SEED := $(wildcard knowledge/data/*.jsonl.xz knowledge/data/aliases.yml)

.PHONY: help envs browser db train run test lint typecheck evaluate bench lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

envs: ## create or refresh .venvs/engine and .venvs/app from their lock files
	@scripts/ensure_env.sh engine
	@scripts/ensure_env.sh app

browser: ## Debian's chromium for the browser tests (installed with apt if missing)
	@scripts/ensure_chromium.sh

db: envs ## migrate the knowledge base and import the seed when it is new or changed
	@$(APP)/python -m knowledge migrate
	@if [ -n "$$DATABASE_URL" ] || [ ! -f var/tthc.db ] || [ ! -f var/seed.stamp ] || \
	    [ -n "$$(find $(SEED) -newer var/seed.stamp)" ]; then \
	  $(APP)/python -m knowledge import && \
	  { [ "$${SEED_DEMO:-1}" = 0 ] || $(APP)/python -m knowledge seed-demo; } && touch var/seed.stamp; \
	else echo "==> knowledge base up to date with knowledge/data/"; fi

train: envs ## train var/models/tthc.tar.gz if it is missing or stale
	@$(APP)/python -m nlu.engine train

run: envs db train ## start every process (Rasa, action server, gateway) under one supervisor
	@echo "==> the assistant: http://127.0.0.1:$(GATEWAY_PORT)/ (demo portal page with the chat widget); API http://127.0.0.1:$(GATEWAY_PORT)/api/docs"
	@echo "==> Rasa on 127.0.0.1:$(RASA_PORT), actions on 127.0.0.1:$(ACTIONS_PORT) (loopback only); Ctrl-C stops all"
	@RASA_TOKEN="$$($(APP)/python -m nlu.engine token)" $(APP)/honcho start -f Procfile; status=$$?; \
	  if [ $$status -ne 0 ] && [ $$status -ne 130 ]; then \
	    echo "==> a process stopped unexpectedly (exit $$status), so every process was stopped; see its log above"; \
	  else echo "==> every process stopped"; fi; exit $$status

lint: envs ## ruff lint and format check
	@$(APP)/ruff check .
	@$(APP)/ruff format --check .

typecheck: envs ## mypy over the app environment's packages
	@$(APP)/mypy

test: envs browser lint typecheck train ## lint, types, unit and integration tests, the NLU and search gates
	@TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)" TEST_REDIS_URL="$(TEST_REDIS_URL)" scripts/run_tests.sh

evaluate: envs db train ## NLU report: make evaluate DATA=file.jsonl [JSON=report.json] [CONFIG=config.yml]
	@test -n "$(DATA)" || { echo "usage: make evaluate DATA=path.jsonl [JSON=report.json] [CONFIG=nlu/config_baseline.yml]"; exit 2; }
	@$(APP)/python -m nlu.evaluate "$(DATA)" $(if $(JSON),--json "$(JSON)") $(if $(CONFIG),--config "$(CONFIG)")

bench: envs train ## run the benchmarks in bench/ and update docs/benchmarks.md
	@$(APP)/python -m bench.search
	@$(APP)/python -m bench.refresh
	@$(APP)/python -m bench.actions
	@$(APP)/python -m bench.nlu
	@$(APP)/python -m bench.load

lock: ## re-resolve both lock files from requirements/*.in (needs the network)
	@scripts/lock.sh

clean: ## remove what runs wrote (var/) but keep the environments
	rm -rf var
