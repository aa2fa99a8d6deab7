#!/usr/bin/env python3
"""What a gpt2.train model folder holds, for tests/faults/kill-during-train.sh.

  checkpoints.py watch FOLDER STOP_FILE TABLE
      while a run trains into FOLDER, records the weights of every checkpoint it writes (step ->
      digest) into TABLE, until STOP_FILE exists.
  checkpoints.py inspect FOLDER SAVE_EVERY TOTAL TABLE
      prints "model none|step M; state none|step S" when FOLDER holds no model or a complete one
      of a checkpoint in TABLE, and a training state that fits it; otherwise says what is wrong on
      stderr and exits with status 1.

A digest identifies a set of weights whichever file holds them: model.safetensors stores the
Conv1D matrices transposed, training_state.safetensors every tensor flat, so each tensor counts as
its name and its sorted values.
"""
import hashlib
import json
import os
import struct
import sys
import time


class Broken(Exception):
    pass


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise Broken(f"{os.path.basename(path)}: {len(data)} bytes, not a safetensors file")
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    body = data[8 + size:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            count *= d
        if info["dtype"] != "F32" or end - begin != 4 * count or end > len(body):
            raise Broken(f"{os.path.basename(path)}: tensor {name} is cut short or malformed")
        tensors[name] = body[begin:end]
    return header.get("__metadata__", {}), tensors


def digest(tensors, prefix=""):
    h = hashlib.sha256()
    for name in sorted(n for n in tensors if n.startswith(prefix)):
        raw = tensors[name]
        count = len(raw) // 4
        h.update(name[len(prefix):].encode())
        h.update(struct.pack(f"<{count}f", *sorted(struct.unpack(f"<{count}f", raw))))
    return h.hexdigest()


def watch(folder, stop_file, table_file):
    # Each new training state is hard-linked as soon as it is seen (the link keeps that version
    # after the next rename replaces it) and read once the run is over, so that a loaded machine
    # does not miss a checkpoint while this reads the last one.
    snapshots, seen = [], None
    state = os.path.join(folder, "training_state.safetensors")
    while True:
        stopping = os.path.exists(stop_file)
        try:
            st = os.stat(state)
            if (st.st_ino, st.st_mtime_ns) != seen:
                seen = (st.st_ino, st.st_mtime_ns)
                snapshot = f"{table_file}.{len(snapshots)}"
                os.link(state, snapshot)
                snapshots.append(snapshot)
        except FileNotFoundError:
            pass
        if stopping:
            break
        time.sleep(0.001)
    table = {}
    for snapshot in snapshots:
        meta, tensors = load(snapshot)
        table[int(meta["step"])] = digest(tensors, "param/")
        os.remove(snapshot)
    with open(table_file, "w") as f:
        json.dump(table, f)


def inspect(folder, save_every, total, table_file):
    with open(table_file) as f:
        table = {int(k): v for k, v in json.load(f).items()}
    first = min(save_every, total)
    visible = set()
    if os.path.isdir(folder):
        visible = {n for n in os.listdir(folder) if not n.startswith(".")}
    allowed = {"config.json", "model.safetensors", "vocab.json", "merges.txt",
               "training_state.safetensors"}
    if visible - allowed:
        raise Broken(f"unexpected files {sorted(visible - allowed)}")

    state_step = None
    if "training_state.safetensors" in visible:
        meta, state = load(os.path.join(folder, "training_state.safetensors"))
        state_step = int(meta["step"])
        if table.get(state_step) != digest(state, "param/"):
            raise Broken(f"the training state of step {state_step} does not hold the weights the "
                         "uninterrupted run had at that step")

    model_step = None
    if "model.safetensors" in visible:
        for name in ("config.json", "vocab.json", "merges.txt"):
            if name not in visible:
                raise Broken(f"a model without {name}")
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        _, weights = load(os.path.join(folder, "model.safetensors"))
        if len(weights.get("wte.weight", b"")) != 4 * config["vocab_size"] * config["n_embd"]:
            raise Broken("model.safetensors does not have config.json's shape")
        mine = digest(weights)
        steps = [step for step, d in table.items() if d == mine]
        if not steps:
            raise Broken("model.safetensors holds the weights of no checkpoint")
        model_step = max(steps)
        # The state is written first, then the model: a kill between the two leaves the model one
        # checkpoint behind the state, never further, never ahead, never without a state.
        if state_step is None or model_step not in (state_step, state_step - save_every):
            raise Broken(f"a model of step {model_step} beside a training state of step "
                         f"{state_step}")
    elif state_step is not None and state_step != first:
        raise Broken(f"a training state of step {state_step} but no model")

    def shown(step):
        return "none" if step is None else f"step {step}"
    print(f"model {shown(model_step)}; state {shown(state_step)}")


def main():
    try:
        if sys.argv[1] == "watch":
            watch(sys.argv[2], sys.argv[3], sys.argv[4])
        else:
            inspect(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    except Broken as e:
        print(f"{sys.argv[2]}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
