// Tokenizes .juris files with the extension's TextMate grammar, as VS Code does
// (vscode-textmate + the Oniguruma regex engine), and fails when a character that
// is not whitespace gets no scope beyond `source.juris`, or an `invalid` one.
//
//   node test/grammar.mjs PATH...   (files, or folders searched for *.juris)

import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = path.dirname(fileURLToPath(import.meta.url));
const grammarPath = path.join(here, "..", "syntaxes", "juris.tmLanguage.json");

function files(p) {
  if (statSync(p).isDirectory()) {
    return readdirSync(p)
      .sort()
      .flatMap((name) => files(path.join(p, name)));
  }
  return p.endsWith(".juris") ? [p] : [];
}

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scope) =>
    scope === "source.juris"
      ? vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath)
      : null,
});
const grammar = await registry.loadGrammar("source.juris");

const targets = process.argv.slice(2).flatMap(files);
if (targets.length === 0) {
  console.error("no .juris files given");
  process.exit(2);
}
let problems = 0;
let tokens = 0;
for (const file of targets) {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  let stack = vsctm.INITIAL;
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      const text = line.slice(t.startIndex, t.endIndex);
      if (text.trim() === "") continue;
      tokens += 1;
      const unscoped = t.scopes.length < 2;
      const invalid = t.scopes.some((s) => s.startsWith("invalid"));
      if (unscoped || invalid) {
        problems += 1;
        const what = unscoped ? "no scope" : t.scopes.join(" ");
        console.error(`${file}:${i + 1}:${t.startIndex + 1}: ${JSON.stringify(text)}: ${what}`);
      }
    }
  });
}
console.log(`${targets.length} files, ${tokens} tokens, ${problems} without a proper scope`);
process.exit(problems === 0 ? 0 : 1);
