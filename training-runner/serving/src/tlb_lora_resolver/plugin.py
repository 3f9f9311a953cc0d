"""The ``vllm.general_plugins`` entry point.

vLLM calls ``register`` in each of its processes (API server, engine core,
workers), possibly more than once: it only builds the resolver (cheap; S3 is
contacted on the first request) and registers it once per process.
"""

from __future__ import annotations

import logging

from tlb_lora_resolver.settings import Settings

RESOLVER_NAME = "tech-lead-bot S3 adapters"

logger = logging.getLogger("vllm.tlb_lora_resolver")


def register() -> None:
    import vllm.envs
    from vllm.lora.resolver import LoRAResolverRegistry

    from tlb_lora_resolver.resolver import S3AdapterResolver

    if RESOLVER_NAME in LoRAResolverRegistry.get_supported_resolvers():
        return
    # A bad setting raises here, so the server fails at startup, not on the first review.
    settings = Settings.from_env()
    if settings is None:
        logger.warning("TLB_S3_URI is not set: reviewers' adapters will not be resolved")
        return
    if not vllm.envs.VLLM_ALLOW_RUNTIME_LORA_UPDATING:
        logger.warning("VLLM_ALLOW_RUNTIME_LORA_UPDATING is not set: vLLM will never ask for reviewers' adapters")
    LoRAResolverRegistry.register_resolver(RESOLVER_NAME, S3AdapterResolver(settings))
