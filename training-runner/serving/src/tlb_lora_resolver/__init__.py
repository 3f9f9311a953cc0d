"""tech-lead-bot's vLLM plugin: serve any reviewer's LoRA adapter from S3 by name.

A request whose ``model`` is ``tlb/<owner>/<repo>/<reviewer>/<adapter-id>``
makes vLLM ask the resolver registered here; it downloads that adapter from
the configured S3 prefix into a local cache, checks it, and hands it to vLLM.
"""
