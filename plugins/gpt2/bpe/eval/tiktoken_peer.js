// The peer of the GPT-2 tokenizer's evaluation and benchmark: npm tiktoken (Rust compiled to
// WASM), encoding "gpt2". Reads documents (one JSON string a line), encodes each with special
// tokens allowed (<|endoftext|> -> 50256, as bpe_tokenizer does), and prints per run the seconds
// spent in encode() alone (loading and reading excluded), wall clock and this process's CPU time,
// like gpt2_bpe_encode.
//   node tiktoken_peer.js NODE_MODULES DOCS.jsonl [--ids OUT] [--runs N]
const fs = require("fs");
const path = require("path");
const [modules, docsPath, ...rest] = process.argv.slice(2);
let idsPath = "";
let runs = 1;
for (let i = 0; i + 1 < rest.length; i += 2) {
  if (rest[i] === "--ids") idsPath = rest[i + 1];
  if (rest[i] === "--runs") runs = Number(rest[i + 1]);
}
const { get_encoding } = require(path.resolve(modules, "tiktoken"));
const enc = get_encoding("gpt2");
const docs = fs.readFileSync(docsPath, "utf8").split("\n").filter((l) => l.length).map((l) => JSON.parse(l));
let bytes = 0;
for (const d of docs) bytes += Buffer.byteLength(d, "utf8");
let ids = [];
for (let run = 1; run <= runs; run++) {
  ids = new Array(docs.length);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let d = 0; d < docs.length; d++) ids[d] = enc.encode(docs[d], "all");
  const cpuUsed = process.cpuUsage(cpuStart);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  console.log(`run ${run}: ${seconds.toFixed(6)} s cpu ${cpu.toFixed(6)} s`);
}
let tokens = 0;
for (const v of ids) tokens += v.length;
console.log(`tokens ${tokens} bytes ${bytes} docs ${docs.length}`);
if (idsPath) fs.writeFileSync(idsPath, ids.map((v) => Array.from(v).join(" ")).join("\n") + "\n");
enc.free();
