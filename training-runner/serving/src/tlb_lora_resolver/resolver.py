"""The LoRAResolver vLLM asks about model names it does not know yet."""

from __future__ import annotations

import asyncio
import logging

from vllm.lora.request import LoRARequest
from vllm.lora.resolver import LoRAResolver

from tlb_lora_resolver.adapter_check import AdapterLimits, AdapterRejected
from tlb_lora_resolver.adapter_name import parse_adapter_name
from tlb_lora_resolver.adapter_store import AdapterNotFound, AdapterStore
from tlb_lora_resolver.settings import Settings

# Under "vllm." so that vLLM's logging configuration (handler, format,
# VLLM_LOGGING_LEVEL) applies to these lines as to its own.
logger = logging.getLogger("vllm.tlb_lora_resolver")


class S3AdapterResolver(LoRAResolver):
    """Resolves ``tlb/<owner>/<repo>/<reviewer>/<adapter-id>`` to an adapter under the S3 prefix.

    Anything else, and any adapter that fails a check, resolves to None:
    vLLM then answers 404 as for any unknown model.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store = AdapterStore(settings)

    async def resolve_lora(self, base_model_name: str, lora_name: str) -> LoRARequest | None:
        name = parse_adapter_name(lora_name)
        if name is None:
            logger.info("Not resolving %r: not of the form tlb/<owner>/<repo>/<reviewer>/<adapter-id>", lora_name)
            return None
        limits = AdapterLimits(
            base_model=self._settings.expected_base_model or base_model_name,
            max_lora_rank=self._settings.max_lora_rank,
            max_adapter_bytes=self._settings.max_adapter_bytes,
        )
        try:
            # boto3 blocks; the API server's event loop must keep serving meanwhile.
            path = await asyncio.to_thread(self._store.fetch, name, limits)
        except AdapterNotFound as error:
            logger.warning("Adapter %s not found: %s", lora_name, error)
            return None
        except AdapterRejected as error:
            logger.warning("Adapter %s at %s rejected: %s", lora_name, self._store.uri(name), error)
            return None
        except Exception as error:
            # S3 unreachable, access denied, disk full: the request gets a 404, the log the cause.
            logger.error("Adapter %s could not be fetched from %s: %r", lora_name, self._store.uri(name), error)
            return None
        logger.info("Adapter %s ready at %s", lora_name, path)
        # vLLM replaces the id with its own counter; it only has to be >= 1.
        return LoRARequest(lora_name=lora_name, lora_int_id=1, lora_path=str(path), base_model_name=base_model_name)
