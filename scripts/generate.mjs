import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * npm run generate: rewrites the add-in's wrapper files and the README's function reference from
 * the declarations in core (scripts/generated.ts says what is derived). Core is TypeScript, so
 * esbuild bundles the generator with it first, as llmcalc's build does.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = path.join(root, "node_modules/.cache/tokenledger/generate.mjs");
await build({
  stdin: {
    contents: 'export { DOMAINS } from "./packages/core/src/functions.ts"; export { generatedFiles } from "./scripts/generated.ts";',
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile,
  logLevel: "warning",
});
const { DOMAINS, generatedFiles } = await import(pathToFileURL(outfile).href);
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
let changed = 0;
for (const [file, content] of generatedFiles(DOMAINS, readme)) {
  const target = path.join(root, file);
  if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === content) continue;
  fs.writeFileSync(target, content);
  changed++;
  console.log(`wrote ${file}`);
}
console.log(changed ? `${changed} file(s) regenerated` : "generated files are up to date");
