"""Offline stand-ins for what production downloads: a tiny model and its tokenizer."""
