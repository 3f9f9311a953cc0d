"""TorchTune's side of the ChatML chat format (SmolLM2, Qwen2.5, ...), on a ``tokenizer.json``.

A conversation renders as, per message::

    <|im_start|>{role}\\n{content}<|im_end|>\\n

which is what the model's own chat template (and the serving side's
``chatml_chat_template.jinja``) renders; no BOS token. Hugging Face splits a
rendered string at its special tokens first and encodes the text between them
on its own, so encoding the same pieces here gives the same ids as vLLM
computes for the same messages. Loss (with ``train_on_input: False``) falls on
the assistant's content and its ``<|im_end|>``: the model learns to say the
comment and to stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tokenizers import Tokenizer
from torchtune.data import Message, truncate
from torchtune.modules.transforms import Transform
from torchtune.modules.transforms.tokenizers import ModelTokenizer

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
# Padding only: a pad id that also occurs in prompts would hide those tokens from
# attention in batched generation (torchtune.generation masks every pad id).
PAD = "<|endoftext|>"


class ChatMLTokenizer(ModelTokenizer, Transform):
    def __init__(self, path: str, max_seq_len: int | None = None) -> None:
        self._tokenizer = Tokenizer.from_file(path)
        self.max_seq_len = max_seq_len
        self.im_start_id = self._token_id(IM_START)
        self.im_end_id = self._token_id(IM_END)
        self.pad_id = self._token_id(PAD)
        self.stop_tokens = [self.im_end_id]
        self.newline = self.encode("\n")

    def _token_id(self, token: str) -> int:
        token_id = self._tokenizer.token_to_id(token)
        if token_id is None:
            raise ValueError(f"The tokenizer has no {token} token: it is not a ChatML tokenizer.")
        return token_id

    def encode(self, text: str, add_bos: bool = False, add_eos: bool = False) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids

    def decode(self, token_ids: list[int], skip_special_tokens: bool = True) -> str:
        return self._tokenizer.decode(token_ids, skip_special_tokens=skip_special_tokens)

    def tokenize_messages(
        self, messages: list[Message], *, add_end_tokens: bool = True
    ) -> tuple[list[int], list[bool]]:
        """Ids and loss mask (True = no loss). ``add_end_tokens=False`` leaves the last message
        open, so that an empty assistant message is the generation prompt."""
        tokens: list[int] = []
        mask: list[bool] = []
        for index, message in enumerate(messages):
            header = self.encode(f"{message.role}\n")
            body = self.encode(f"{message.role}\n{_text(message)}")
            # Holds for ChatML's newline after the role: it is a word boundary of every
            # byte-level BPE; should a tokenizer merge across it, the mask would be wrong.
            if body[: len(header)] != header:
                raise ValueError(f"The tokenizer merges the role header into the text of a {message.role} message.")
            tokens += [self.im_start_id, *body]
            mask += [True] * (1 + len(header)) + [message.masked] * (len(body) - len(header))
            if add_end_tokens or index < len(messages) - 1:
                tokens += [self.im_end_id, *self.newline]
                mask += [message.masked] + [True] * len(self.newline)
        if self.max_seq_len:
            tokens = truncate(tokens, self.max_seq_len)
            mask = truncate(mask, self.max_seq_len)
        return tokens, mask

    def __call__(self, sample: Mapping[str, Any], inference: bool = False) -> Mapping[str, Any]:
        messages = sample.pop("messages")
        tokens, mask = self.tokenize_messages(messages, add_end_tokens=not inference)
        sample["tokens"] = tokens
        sample["mask"] = mask
        return sample


def _text(message: Message) -> str:
    return "".join(part["content"] for part in message.content if part["type"] == "text")


def chatml_tokenizer(path: str, max_seq_len: int | None = None) -> ChatMLTokenizer:
    """The recipe config's ``tokenizer._component_``: ``path`` is the model's tokenizer.json."""
    return ChatMLTokenizer(path, max_seq_len=max_seq_len)
