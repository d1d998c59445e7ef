// Run a juris policy module with Node's built-in WebAssembly API (Node 20+), no
// npm dependency: node run.mjs policies.wasm inventory.json
//
// Prints the report (the same bytes `juris check --format json` prints) and exits
// 0; on an input error prints the module's error object and exits 2.

import { readFile } from "node:fs/promises";

const ABI_VERSION = 1;

const [wasmPath, inputPath] = process.argv.slice(2);
if (!wasmPath || !inputPath) {
  console.error("usage: node run.mjs POLICIES.wasm INVENTORY.json");
  process.exit(2);
}

const module = await WebAssembly.compile(await readFile(wasmPath));

// The custom section `juris.meta` says which ABI the module speaks.
const [metaSection] = WebAssembly.Module.customSections(module, "juris.meta");
if (!metaSection) {
  console.error(`${wasmPath} is not a juris policy module (no juris.meta section)`);
  process.exit(2);
}
const meta = JSON.parse(new TextDecoder().decode(metaSection));
if (meta.abi !== ABI_VERSION) {
  console.error(`${wasmPath} uses juris ABI ${meta.abi}; this script speaks ${ABI_VERSION}`);
  process.exit(2);
}

// No imports: the module is self-contained.
const instance = await WebAssembly.instantiate(module, {});
const { memory, juris_alloc, juris_eval, juris_result_ptr, juris_result_len } = instance.exports;

const input = await readFile(inputPath);
const ptr = juris_alloc(input.length);
if (ptr === 0) {
  console.error("the module could not allocate memory for the input");
  process.exit(2);
}
// Views of `memory.buffer` go stale when memory grows: take them after each call.
new Uint8Array(memory.buffer, ptr, input.length).set(input);
const code = juris_eval(ptr, input.length);
const result = new Uint8Array(memory.buffer, juris_result_ptr(), juris_result_len());

if (code === 0) {
  process.stdout.write(result);
} else {
  process.stderr.write(result);
  process.exitCode = 2;
}
