"""Fine-tunes a reviewer's LoRA adapter with TorchTune (the `train` job of tech-lead-bot)."""
