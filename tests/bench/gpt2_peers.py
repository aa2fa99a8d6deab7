#!/usr/bin/env python3
"""Helpers of gpt2_generate.sh for its peers (standard library only).

Converts a textkit GPT-2 model folder (config.json + model.safetensors, F32) into the files the
peers read, with the same weights:

  gpt2_peers.py llmc MODEL_DIR OUT.bin            llm.c's checkpoint (train_gpt2.c,
                                                  gpt2_build_from_checkpoint: version 3, fp32)
  gpt2_peers.py ggml MODEL_DIR VOCAB_DIR OUT.bin  ggml's examples/gpt-2 model (gpt2_model_load:
                                                  ftype 0, every tensor F32)

Both files store linear weights as [out, in]; Hugging Face's Conv1D tensors in model.safetensors
are [in, out] and are transposed here. VOCAB_DIR holds OpenAI's encoder.json (ggml's file carries
the vocabulary as raw token bytes).

Turns the peers' outputs into text comparable with textkit's samples:

  gpt2_peers.py text VOCAB_DIR IDS_FILE           token ids (one a line) as the text
                                                  gpt2.generate would make of them
  gpt2_peers.py ggml-text STDOUT_FILE PROMPT      the text ggml's gpt-2 printed after PROMPT,
                                                  made valid UTF-8 the same way
"""
import array
import json
import os
import struct
import sys


def fail(message):
    sys.exit("gpt2_convert: " + message)


class safetensors:
    def __init__(self, path):
        with open(path, "rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            self.header = json.loads(f.read(length))
            self.data = f.read()
        self.header.pop("__metadata__", None)
        self.path = path

    def tensor(self, name):
        """The tensor's floats (array 'f') and its shape; accepts the "transformer." prefix."""
        info = self.header.get(name) or self.header.get("transformer." + name)
        if info is None:
            fail(f"{self.path}: no tensor {name}")
        if info["dtype"] != "F32":
            fail(f"{self.path}: {name} is {info['dtype']}; only F32 is converted")
        begin, end = info["data_offsets"]
        values = array.array("f")
        values.frombytes(self.data[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        return values, info["shape"]

    def linear(self, name):
        """A Conv1D weight [in, out] as bytes of [out, in]."""
        values, (rows, cols) = self.tensor(name)
        return b"".join(values[o::cols].tobytes() for o in range(cols))

    def raw(self, name):
        return self.tensor(name)[0].tobytes()


def read_model(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    return config, safetensors(os.path.join(folder, "model.safetensors"))


def write_llmc(folder, out_path):
    config, st = read_model(folder)
    L, C = config["n_layer"], config["n_embd"]
    V, maxT = config["vocab_size"], config["n_positions"]
    Vp = (V + 127) // 128 * 128  # llm.c pads the vocabulary to a multiple of 128 (50304)
    header = [20240326, 3, maxT, V, L, config["n_head"], C, Vp] + [0] * 248
    with open(out_path + ".tmp", "wb") as out:
        out.write(struct.pack("<256i", *header))
        out.write(st.raw("wte.weight"))
        out.write(bytes(4 * (Vp - V) * C))
        out.write(st.raw("wpe.weight"))

        def per_layer(suffix, transpose=False):
            for l in range(L):
                name = f"h.{l}.{suffix}"
                out.write(st.linear(name) if transpose else st.raw(name))

        per_layer("ln_1.weight")
        per_layer("ln_1.bias")
        per_layer("attn.c_attn.weight", True)
        per_layer("attn.c_attn.bias")
        per_layer("attn.c_proj.weight", True)
        per_layer("attn.c_proj.bias")
        per_layer("ln_2.weight")
        per_layer("ln_2.bias")
        per_layer("mlp.c_fc.weight", True)
        per_layer("mlp.c_fc.bias")
        per_layer("mlp.c_proj.weight", True)
        per_layer("mlp.c_proj.bias")
        out.write(st.raw("ln_f.weight"))
        out.write(st.raw("ln_f.bias"))
    os.replace(out_path + ".tmp", out_path)


def bytes_to_unicode():
    """GPT-2's byte <-> printable character table (OpenAI's encoder.py)."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) +
          list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def write_ggml(folder, vocab_dir, out_path):
    config, st = read_model(folder)
    L, C = config["n_layer"], config["n_embd"]
    V = config["vocab_size"]
    pieces = token_bytes(vocab_dir)
    if sorted(pieces) != list(range(V)):
        fail(f"{vocab_dir}/encoder.json does not hold ids 0 to {V - 1}, the model's vocabulary")
    tokens = [pieces[i] for i in range(V)]

    with open(out_path + ".tmp", "wb") as out:
        out.write(struct.pack("<I", 0x67676D6C))  # GGML_FILE_MAGIC
        out.write(struct.pack("<6i", V, config["n_positions"], C, config["n_head"], L, 0))
        out.write(struct.pack("<i", V))
        for token in tokens:
            out.write(struct.pack("<I", len(token)))
            out.write(token)

        def tensor(name, data, shape):
            # ggml order: dimensions innermost first, then the name, then the F32 data (type 0).
            encoded = name.encode()
            out.write(struct.pack("<3i", len(shape), len(encoded), 0))
            out.write(struct.pack(f"<{len(shape)}i", *reversed(shape)))
            out.write(encoded)
            out.write(data)

        tensor("model/ln_f/g", st.raw("ln_f.weight"), [C])
        tensor("model/ln_f/b", st.raw("ln_f.bias"), [C])
        tensor("model/wte", st.raw("wte.weight"), [V, C])
        tensor("model/wpe", st.raw("wpe.weight"), [config["n_positions"], C])
        for l in range(L):
            p, h = f"h.{l}.", f"model/h{l}/"
            tensor(h + "ln_1/g", st.raw(p + "ln_1.weight"), [C])
            tensor(h + "ln_1/b", st.raw(p + "ln_1.bias"), [C])
            tensor(h + "attn/c_attn/w", st.linear(p + "attn.c_attn.weight"), [3 * C, C])
            tensor(h + "attn/c_attn/b", st.raw(p + "attn.c_attn.bias"), [3 * C])
            tensor(h + "attn/c_proj/w", st.linear(p + "attn.c_proj.weight"), [C, C])
            tensor(h + "attn/c_proj/b", st.raw(p + "attn.c_proj.bias"), [C])
            tensor(h + "ln_2/g", st.raw(p + "ln_2.weight"), [C])
            tensor(h + "ln_2/b", st.raw(p + "ln_2.bias"), [C])
            tensor(h + "mlp/c_fc/w", st.linear(p + "mlp.c_fc.weight"), [4 * C, C])
            tensor(h + "mlp/c_fc/b", st.raw(p + "mlp.c_fc.bias"), [4 * C])
            tensor(h + "mlp/c_proj/w", st.linear(p + "mlp.c_proj.weight"), [C, 4 * C])
            tensor(h + "mlp/c_proj/b", st.raw(p + "mlp.c_proj.bias"), [C])
    os.replace(out_path + ".tmp", out_path)


def token_bytes(vocab_dir):
    with open(os.path.join(vocab_dir, "encoder.json"), encoding="utf-8") as f:
        encoder = json.load(f)
    byte_of = {c: b for b, c in bytes_to_unicode().items()}
    return {token_id: bytes(byte_of[c] for c in text) for text, token_id in encoder.items()}


def as_valid_utf8(data):
    """gpt2.generate's as_valid_utf8: a character cut off at the very end is dropped, any other
    byte that does not start a valid UTF-8 character becomes U+FFFD."""
    out = bytearray()
    i = 0
    while i < len(data):
        lead = data[i]
        needed = 4 if lead >= 0xF0 else 3 if lead >= 0xE0 else 2 if lead >= 0xC0 else 1
        try:
            data[i:i + needed].decode("utf-8")
            out += data[i:i + needed]
            i += needed
            continue
        except UnicodeDecodeError:
            pass
        rest = data[i + 1:]
        if needed > 1 and len(data) - i < needed and all(b & 0xC0 == 0x80 for b in rest):
            break
        out += "\ufffd".encode()
        i += 1
    return out.decode("utf-8")


def main(argv):
    if len(argv) == 4 and argv[1] == "llmc":
        write_llmc(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "ggml":
        write_ggml(argv[2], argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "text":
        pieces = token_bytes(argv[2])
        with open(argv[3]) as f:
            ids = [int(line) for line in f if line.strip()]
        sys.stdout.write(as_valid_utf8(b"".join(pieces[i] for i in ids)))
    elif len(argv) == 4 and argv[1] == "ggml-text":
        with open(argv[2], "rb") as f:
            printed = f.read()
        # main prints "... first 8 tokens: ... \n\n", the prompt's and the new tokens' bytes,
        # then "\n\nmain:     load time".
        start = printed.index(b"\n\n", printed.index(b"first 8 tokens:")) + 2
        end = printed.rindex(b"\n\nmain:     load time")
        text = printed[start:end]
        prompt = argv[3].encode()
        if not text.startswith(prompt):
            fail(f"{argv[2]}: ggml's output does not start with the prompt")
        sys.stdout.write(as_valid_utf8(text[len(prompt):]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
