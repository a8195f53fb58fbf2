// Bundles the llmcalc CLI (src/cli.ts with core and HyperFormula) into dist/llmcalc.mjs, which
// bin/llmcalc.mjs runs. The root `prepare` script runs this on npm ci; dist/ is not committed.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: [join(here, "src/cli.ts")],
  outfile: join(here, "dist/llmcalc.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
});
