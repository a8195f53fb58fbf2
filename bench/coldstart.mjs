// Cold start of the functions bundle: a fresh V8 isolate evaluates the built runtime, core and
// functions scripts as the page would, then answers the first LLMCOST. Prints milliseconds.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const start = performance.now();
const associated = new Map();
globalThis.self = globalThis;
globalThis.CustomFunctions = {
  associate: (id, fn) => associated.set(id, fn),
  Error: class extends Error {},
  ErrorCode: {},
};
for (const file of ["runtime.js", "core.js", "functions.js"]) {
  vm.runInThisContext(readFileSync(`dist/${file}`, "utf8"), { filename: file });
}
const value = associated.get("LLMCOST")("anthropic/claude-sonnet-4-6", 1500, 300, null, null, null, null);
if (value !== 0.009) throw new Error(`LLMCOST answered ${value}`);
console.log(performance.now() - start);
