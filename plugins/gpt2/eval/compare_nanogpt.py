#!/usr/bin/env python3
"""Compares textkit's GPT-2 logits with an independent implementation on the same weights.

The independent implementation is karpathy/nanoGPT's model.py (MIT), run on Debian's python3-torch.
It is not part of textkit: fetch it yourself and pass its path (git clone
https://github.com/karpathy/nanoGPT, or any copy of model.py).

    python3 plugins/gpt2/eval/compare_nanogpt.py --build build --nanogpt /path/to/nanoGPT/model.py \
        [--model FOLDER] [--tokens 64] [--seed 1]

Without --model it makes a random model of the 124M shape with build/bin/gpt2_random_model. The
weights are read from model.safetensors here with the standard library (the format is 8 bytes of
header length, a JSON header, raw tensors), transposing Hugging Face's Conv1D weights into
nanoGPT's nn.Linear. nanoGPT's MLP uses the exact erf GELU, GPT-2 (and textkit, and Hugging Face's
"gelu_new") the tanh approximation: the script sets nanoGPT's GELU modules to approximate="tanh"
on the instance, without changing nanoGPT's code. textkit's logits come from its cached decoder fed
one token at a time (build/bin/gpt2_logits), nanoGPT's from one full forward pass.
Prints the largest |difference| of any logit at any position; the target is <= 1e-4.
"""
import argparse
import importlib.util
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: {entry['dtype']}"
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return tensors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--nanogpt", required=True, help="path of nanoGPT's model.py")
    parser.add_argument("--model")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)

    work = tempfile.mkdtemp(prefix="textkit-nanogpt-")
    model_dir = args.model
    if not model_dir:
        model_dir = os.path.join(work, "model")
        subprocess.run([os.path.join(args.build, "bin", "gpt2_random_model"), model_dir], check=True)
    config = json.load(open(os.path.join(model_dir, "config.json")))
    weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    weights = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in weights.items()}

    spec = importlib.util.spec_from_file_location("nanogpt_model", args.nanogpt)
    nanogpt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nanogpt)
    gpt_config = nanogpt.GPTConfig(block_size=config["n_positions"], vocab_size=config["vocab_size"],
                                   n_layer=config["n_layer"], n_head=config["n_head"],
                                   n_embd=config["n_embd"], dropout=0.0, bias=True)
    model = nanogpt.GPT(gpt_config)
    model.eval()
    conv1d = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
    state = {}
    for name, tensor in weights.items():
        if name.endswith(".attn.bias") or name.endswith(".attn.masked_bias"):
            continue
        state["transformer." + name] = tensor.t().contiguous() if name.endswith(conv1d) else tensor
    state["lm_head.weight"] = state["transformer.wte.weight"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith(".attn.bias")]
    assert not missing and not unexpected, (missing, unexpected)
    for block in model.transformer.h:
        block.mlp.gelu = torch.nn.GELU(approximate="tanh")

    rng = random.Random(args.seed)
    ids = [rng.randrange(config["vocab_size"]) for _ in range(args.tokens)]
    with torch.no_grad():
        idx = torch.tensor([ids])
        reference, _ = model(idx, targets=idx)  # with targets: logits at every position
    reference = reference[0]

    out = subprocess.run([os.path.join(args.build, "bin", "gpt2_logits"), model_dir] + [str(i) for i in ids],
                         check=True, stdout=subprocess.PIPE).stdout
    ours = torch.frombuffer(bytearray(out), dtype=torch.float32).reshape(len(ids), config["vocab_size"])
    difference = (ours - reference).abs()
    worst = difference.max().item()
    print(f"model: {model_dir} ({config['n_layer']} layers, n_embd {config['n_embd']}, vocab {config['vocab_size']})")
    print(f"positions: {len(ids)}, logits compared: {difference.numel()}")
    print(f"max |logit difference|: {worst:.3g} (mean {difference.mean().item():.3g}); "
          f"logit scale: max |logit| {reference.abs().max().item():.3g}")
    print(f"same argmax at {(ours.argmax(-1) == reference.argmax(-1)).sum().item()} of {len(ids)} positions")
    print("PASS" if worst <= 1e-4 else "FAIL: above 1e-4")
    return 0 if worst <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
