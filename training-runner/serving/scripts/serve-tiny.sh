#!/usr/bin/env bash
# Serves a tiny model (made by tech_lead_trainer.testing.tiny_model) with
# vLLM's CPU build and the adapter resolver, for end-to-end tests:
#
#   training-runner/serving/scripts/serve-tiny.sh --model-dir DIR --port PORT \
#     --s3-uri s3://bucket/prefix --s3-endpoint http://127.0.0.1:MOTO_PORT
#
# Prints one JSON line ({"base_url", "model", "startup_s"}) on stdout once the
# server answers, then runs until SIGTERM/SIGINT/SIGHUP and stops the server
# with it. vLLM's log goes to stderr unless --log-file is given. Options:
# python -m tlb_lora_resolver.testing.tiny_server --help.
set -euo pipefail

serving_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$("$serving_dir/scripts/ensure-venv.sh" | tail -n 1)"
exec "$venv/bin/python" -m tlb_lora_resolver.testing.tiny_server "$@"
