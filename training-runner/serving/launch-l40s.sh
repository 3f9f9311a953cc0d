#!/usr/bin/env bash
# Starts one model server on one NVIDIA L40S (48 GB): vLLM on loopback, serving
# the base model and, on demand, every reviewer's LoRA adapter from S3, behind
# nginx, the only thing that listens on the network. README.md explains the
# memory sizing, the keys, and how several replicas sit behind a load balancer.
#
#   python -m tlb_lora_resolver.proxy add-key acme/widgets --keys-file /etc/tech-lead-bot/proxy-keys.json
#   TLB_S3_URI=s3://my-bucket/tech-lead-bot HF_TOKEN=hf_... ./launch-l40s.sh
#
# Needs a CUDA vLLM (the `vllm` wheel, 0.32.x) with this package installed in
# the same environment (`pip install ./training-runner/serving`), nginx with its
# njs module (scripts/ensure-nginx.sh), and AWS credentials from boto3's
# default chain (instance profile, env, ...). Run it as an ordinary user, not
# root: nothing here needs more than port PORT.
#
# Environment (the plugin's own settings are listed in README.md):
#   TLB_S3_URI          required: s3://bucket/prefix, the action's s3-uri
#   TLB_PROXY_KEYS_FILE the repositories' keys (default /etc/tech-lead-bot/proxy-keys.json);
#                       nginx rereads it on SIGHUP to this script's nginx
#   TLB_MODEL           the base model: a local snapshot directory (`hf download
#                       <TLB_BASE_MODEL_ID> --local-dir DIR`) or a hub id
#                       (default: TLB_BASE_MODEL_ID)
#   HF_TOKEN            when TLB_MODEL is a hub id: a token of an account that accepted
#                       the Llama 3.1 Community License on huggingface.co (the model is gated)
#   TLB_BASE_MODEL_ID   the hub id adapters must have been trained on and the name
#                       the base model is served under (default: meta-llama/Llama-3.1-8B-Instruct)
#   TLB_MAX_LORA_RANK   the largest adapter rank served (default: the plugin's, 16,
#                       which is also the trainer's default lora-rank)
#   PORT                where nginx listens, default 8000 (vLLM takes VLLM_PORT, default 8001, on 127.0.0.1)
#   TLB_PROXY_STATE_DIR nginx's config and temp files (default ${XDG_RUNTIME_DIR:-/tmp}/tech-lead-bot-proxy)
#   TLB_MAX_MODEL_LEN   default 8192 tokens per request (prompt + answer)
set -euo pipefail

: "${TLB_S3_URI:?Set TLB_S3_URI to the s3-uri of the action, e.g. s3://my-bucket/tech-lead-bot}"
keys_file="${TLB_PROXY_KEYS_FILE:-/etc/tech-lead-bot/proxy-keys.json}"

export TLB_BASE_MODEL_ID="${TLB_BASE_MODEL_ID:-meta-llama/Llama-3.1-8B-Instruct}"
model="${TLB_MODEL:-$TLB_BASE_MODEL_ID}"
if [[ ! -d "$model" && -z "${HF_TOKEN:-}" && ! -f "${HF_HOME:-$HOME/.cache/huggingface}/token" ]]; then
  echo "launch-l40s: $model is a gated model on the Hugging Face hub. Accept its license on" \
    "https://huggingface.co/$model with the account of a token, then set HF_TOKEN to that token;" \
    "or set TLB_MODEL to a local snapshot directory." >&2
  exit 1
fi

# One setting: the plugin refuses adapters above it, vLLM reserves GPU memory
# for --max-loras adapters of this rank and pads every LoRA kernel to it.
TLB_MAX_LORA_RANK="${TLB_MAX_LORA_RANK:-$(python -c 'from tlb_lora_resolver.settings import DEFAULT_MAX_LORA_RANK as r; print(r)')}"
export TLB_MAX_LORA_RANK

# Our resolver, and only ours (not vLLM's filesystem or Hugging Face ones).
export VLLM_PLUGINS=tlb_lora_resolver
# vLLM consults resolvers only when adapters may be loaded at run time; that
# also opens its adapter-loading routes, which is why only nginx is reachable.
export VLLM_ALLOW_RUNTIME_LORA_UPDATING=1
export TLB_ADAPTER_CACHE_DIR="${TLB_ADAPTER_CACHE_DIR:-/var/cache/tech-lead-bot/adapters}"
export VLLM_NO_USAGE_STATS=1

# vLLM's own key, new at every start and known only to nginx: a client's key
# is checked by nginx and never reaches vLLM.
TLB_PROXY_UPSTREAM_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export TLB_PROXY_UPSTREAM_KEY VLLM_API_KEY="$TLB_PROXY_UPSTREAM_KEY"
export TLB_PROXY_BASE_MODEL="$TLB_BASE_MODEL_ID"
vllm_port="${VLLM_PORT:-8001}"
state_dir="${TLB_PROXY_STATE_DIR:-${XDG_RUNTIME_DIR:-/tmp}/tech-lead-bot-proxy}"
nginx_conf="$(python -m tlb_lora_resolver.proxy config --listen "0.0.0.0:${PORT:-8000}" \
  --upstream "127.0.0.1:$vllm_port" --keys-file "$keys_file" --state-dir "$state_dir")"

# Llama 3.1 Instruct's own template adds a "Cutting Knowledge Date" preamble
# that the trainer (TorchTune) never trains on; this one renders exactly the
# tokens the adapters were trained on.
chat_template="$(python -c 'import importlib.resources as r; print(r.files("tlb_lora_resolver") / "llama3_chat_template.jinja")')"

# -e: its log goes to stderr from the start, not to a system path this user cannot write.
nginx -e stderr -c "$nginx_conf" &
nginx_pid=$!
vllm serve "$model" \
  --served-model-name "$TLB_BASE_MODEL_ID" \
  --host 127.0.0.1 \
  --port "$vllm_port" \
  --dtype bfloat16 \
  --max-model-len "${TLB_MAX_MODEL_LEN:-8192}" \
  --gpu-memory-utilization 0.92 \
  --max-num-seqs 128 \
  --enable-prefix-caching \
  --enable-lora \
  --max-loras 8 \
  --max-lora-rank "$TLB_MAX_LORA_RANK" \
  --max-cpu-loras 32 \
  --chat-template "$chat_template" \
  --disable-uvicorn-access-log &
vllm_pid=$!

# One stops, both stop (a supervisor such as systemd then restarts the pair);
# SIGHUP makes nginx reread the keys file.
stop() { kill -TERM "$nginx_pid" "$vllm_pid" 2>/dev/null || true; }
trap 'stop; exit 143' TERM INT
trap stop EXIT
trap 'kill -HUP "$nginx_pid"' HUP
while kill -0 "$nginx_pid" 2>/dev/null && kill -0 "$vllm_pid" 2>/dev/null; do
  wait -n "$nginx_pid" "$vllm_pid" || true
done
echo "launch-l40s: $(kill -0 "$vllm_pid" 2>/dev/null && echo nginx || echo vLLM) stopped; stopping the other." >&2
exit 1
