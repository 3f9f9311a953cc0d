"""Helpers for serving the trainer's tiny model with vLLM's CPU build, in tests only."""
