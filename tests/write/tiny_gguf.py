"""Builds a tiny random-weight llama-architecture GGUF model for testing a real LLM server.

No weights are downloaded: a 2-layer, 64-wide llama with a byte-level SentencePiece-style
vocabulary (<unk>, <s>, </s> and the 256 byte tokens <0x00>..<0xFF>) is written with the
``gguf`` package from numpy arrays made with a fixed seed. Every byte is a token, so a
grammar-constrained server can spell any JSON its grammar asks for.

Purely random weights would ramble inside a JSON string until the token budget runs out and
the answer would never close. So the embedding and output matrices also carry a small
hand-set bigram table ("after this kind of byte, prefer that kind"): strings never start
empty and close after about ten characters, arrays get one item, whitespace outside strings is
rare. The transformer layers stay random and add context-dependent noise, so the text is
nonsense that varies: exactly what a model that ignores its sources would write.
"""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np

N_EMBD = 64
N_LAYERS = 2
N_HEADS = 4
N_FF = 128
CONTEXT = 16384
SPECIAL = ["<unk>", "<s>", "</s>"]  # ids 0, 1, 2
UNK, BOS, EOS = 0, 1, 2
BYTE0 = len(SPECIAL)  # token id of byte 0x00

# Kinds of previous byte; each owns one hidden dimension that carries the bigram table.
KINDS = ["quote", "text", "digit", "open", "close_item", "close_list", "sep", "colon", "other"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}<|assistant|>\n"
)


def _kind(byte: int) -> str:
    char = chr(byte)
    if char == '"':
        return "quote"
    if char.isdigit():
        return "digit"
    if char in "[{":
        return "open"
    if char == "}":
        return "close_item"
    if char == "]":
        return "close_list"
    if char == ",":
        return "sep"
    if char == ":":
        return "colon"
    if byte < 0x80 and (char.isalpha() or char in " .'-"):
        return "text"
    return "other"


def _preferences() -> np.ndarray:
    """Log-odds of the next byte given the kind of the previous one: (kinds, 256)."""
    prefs = np.zeros((len(KINDS), 256), dtype=np.float32)
    letters = [ord(c) for c in string.ascii_letters + " "]
    digits = [ord(c) for c in string.digits]
    for byte in range(256):
        if byte >= 0x7F or byte < 0x20 or chr(byte) in "\\\t\n\r":
            prefs[:, byte] = -10.0  # no escapes, control bytes or partial UTF-8
        elif byte not in letters and byte not in digits:
            prefs[:, byte] = -2.0  # punctuation is possible in text but rare
    k = {name: i for i, name in enumerate(KINDS)}
    q, o, c, s = ord('"'), ord("["), ord("]"), ord(",")
    space = ord(" ")
    # After a quote: a string starts (never empty) or has just closed (then , or }).
    prefs[k["quote"], q] = -10.0
    prefs[k["quote"], space] = -8.0
    prefs[k["quote"], [s, ord("}")]] = 0.0
    # Inside text: close the string now and then (about one byte in ten).
    prefs[k["text"], q] = 1.5
    prefs[k["digit"], q] = 1.5
    # Structure: open items rather than close empty lists, cite a source, keep lists short.
    for kind in ("open", "sep", "colon"):
        prefs[k[kind], [q, o, ord("{")]] = 6.0
        prefs[k[kind], digits] = 3.0
        prefs[k[kind], c] = 2.0
        prefs[k[kind], space] = -8.0
    prefs[k["digit"], c] = 5.0
    prefs[k["digit"], s] = 1.0
    for kind in ("close_item", "close_list"):
        prefs[k[kind], c] = 3.0
        prefs[k[kind], [s, ord("}")]] = 0.0
        prefs[k[kind], space] = -8.0
    return prefs


def build_tiny_gguf(path: Path, *, seed: int = 0, temperature: float = 0.2) -> Path:
    """Write the model to ``path``; the bigram table is scaled for sampling at ``temperature``."""
    import gguf

    rng = np.random.default_rng(seed)
    n_vocab = BYTE0 + 256

    def noise(*shape: int, std: float = 0.02) -> np.ndarray:
        return (rng.standard_normal(shape) * std).astype(np.float32)

    # Embedding: the previous byte's kind as a unit on its own dimension, plus random noise.
    embed = noise(n_vocab, N_EMBD)
    kinds = [KINDS.index("other")] * BYTE0 + [KINDS.index(_kind(b)) for b in range(256)]
    embed[np.arange(n_vocab), kinds] += 1.0
    # Output: RMS norm scales that unit to sqrt(N_EMBD); divide it back out and multiply by the
    # temperature so the sampled odds are the table's. Other dimensions stay random.
    output = noise(n_vocab, N_EMBD, std=0.1)
    output[:, : len(KINDS)] = 0.0
    output[BYTE0:, : len(KINDS)] = _preferences().T * temperature / np.sqrt(N_EMBD)

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("newsdesk-tiny-random")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYERS)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEADS)
    writer.add_head_count_kv(N_HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(N_EMBD // N_HEADS)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)

    writer.add_tokenizer_model("llama")
    writer.add_token_list(SPECIAL + [f"<0x{b:02X}>" for b in range(256)])
    writer.add_token_scores([0.0] * n_vocab)
    writer.add_token_types(
        [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
        + [gguf.TokenType.BYTE] * 256
    )
    writer.add_bos_token_id(BOS)
    writer.add_eos_token_id(EOS)
    writer.add_unk_token_id(UNK)
    writer.add_chat_template(CHAT_TEMPLATE)

    writer.add_tensor("token_embd.weight", embed)
    writer.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    writer.add_tensor("output.weight", output)
    for layer in range(N_LAYERS):
        block = f"blk.{layer}"
        writer.add_tensor(f"{block}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{block}.{name}.weight", noise(N_EMBD, N_EMBD))
        writer.add_tensor(f"{block}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"{block}.ffn_gate.weight", noise(N_FF, N_EMBD))
        writer.add_tensor(f"{block}.ffn_up.weight", noise(N_FF, N_EMBD))
        writer.add_tensor(f"{block}.ffn_down.weight", noise(N_EMBD, N_FF))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
