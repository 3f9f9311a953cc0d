#!/usr/bin/env bash
# Installs nginx and its JavaScript module (njs) from the distribution's
# packages when they are missing: the proxy in front of vLLM needs both
# (src/tlb_lora_resolver/proxy/nginx.conf). Debian and Ubuntu only; elsewhere
# it says what to install.
set -euo pipefail

njs_modules=(/usr/lib/nginx/modules/ngx_http_js_module.so /etc/nginx/modules/ngx_http_js_module.so)
have_njs() {
  local module
  for module in "${njs_modules[@]}"; do [[ -f "$module" ]] && return 0; done
  return 1
}

if command -v nginx >/dev/null && have_njs; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "ensure-nginx: install nginx and its njs module (nginx.org's nginx-module-njs)." >&2
  exit 1
fi
sudo=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || {
    echo "ensure-nginx: run as root, or: apt-get install nginx-light libnginx-mod-http-js" >&2
    exit 1
  }
  sudo=(sudo)
fi
echo "ensure-nginx: installing nginx-light and libnginx-mod-http-js" >&2
"${sudo[@]}" apt-get update -qq >&2
# RUNLEVEL=1: the package's install script must not start a system nginx on port 80; the
# proxy runs its own, with its own configuration.
"${sudo[@]}" env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends nginx-light libnginx-mod-http-js >&2
