#!/usr/bin/env bash
# Starts one vLLM replica on one NVIDIA L40S (48 GB) that serves the base model
# and, on demand, every reviewer's LoRA adapter from S3. README.md explains the
# memory sizing and how several replicas sit behind a load balancer.
#
#   TLB_S3_URI=s3://my-bucket/tech-lead-bot VLLM_API_KEY=... ./launch-l40s.sh
#
# Needs a CUDA vLLM (the `vllm` wheel, 0.32.x) with this package installed in
# the same environment (`pip install ./training-runner/serving`), and AWS
# credentials from boto3's default chain (instance profile, env, ...).
#
# Environment (the plugin's own settings are listed in README.md):
#   TLB_S3_URI        required: s3://bucket/prefix, the action's s3-uri
#   VLLM_API_KEY      required: the key clients send as a Bearer token (vLLM
#                     reads it from the environment, so it never shows in ps)
#   TLB_MODEL         the base model: a local snapshot directory or a hub id
#                     (default: meta-llama/Llama-3.1-8B-Instruct)
#   TLB_BASE_MODEL_ID the hub id adapters must have been trained on
#                     (default: meta-llama/Llama-3.1-8B-Instruct)
#   PORT              default 8000
#   TLB_MAX_MODEL_LEN default 8192 tokens per request (prompt + answer)
set -euo pipefail

: "${TLB_S3_URI:?Set TLB_S3_URI to the s3-uri of the action, e.g. s3://my-bucket/tech-lead-bot}"
: "${VLLM_API_KEY:?Set VLLM_API_KEY: without it the server answers anyone}"

export TLB_BASE_MODEL_ID="${TLB_BASE_MODEL_ID:-meta-llama/Llama-3.1-8B-Instruct}"
model="${TLB_MODEL:-$TLB_BASE_MODEL_ID}"

# The training-runner's lora-rank input goes up to 64; vLLM reserves GPU
# memory for --max-loras adapters of this rank, and the plugin refuses any
# adapter above it (one setting, two consumers).
max_lora_rank=64
export TLB_MAX_LORA_RANK="$max_lora_rank"

# Our resolver, and only ours (not vLLM's filesystem or Hugging Face ones).
export VLLM_PLUGINS=tlb_lora_resolver
# vLLM consults resolvers only when adapters may be loaded at run time.
export VLLM_ALLOW_RUNTIME_LORA_UPDATING=1
export TLB_ADAPTER_CACHE_DIR="${TLB_ADAPTER_CACHE_DIR:-/var/cache/tech-lead-bot/adapters}"
export VLLM_NO_USAGE_STATS=1

# Llama 3.1 Instruct's own template adds a "Cutting Knowledge Date" preamble
# that the trainer (TorchTune) never trains on; this one renders exactly the
# tokens the adapters were trained on.
chat_template="$(python -c 'import importlib.resources as r; print(r.files("tlb_lora_resolver") / "llama3_chat_template.jinja")')"

exec vllm serve "$model" \
  --served-model-name "$TLB_BASE_MODEL_ID" \
  --host 0.0.0.0 \
  --port "${PORT:-8000}" \
  --dtype bfloat16 \
  --max-model-len "${TLB_MAX_MODEL_LEN:-8192}" \
  --gpu-memory-utilization 0.92 \
  --max-num-seqs 128 \
  --enable-prefix-caching \
  --enable-lora \
  --max-loras 8 \
  --max-lora-rank "$max_lora_rank" \
  --max-cpu-loras 32 \
  --chat-template "$chat_template" \
  --disable-uvicorn-access-log
