// `npm run bench`: builds the TypeScript cases with esbuild, runs them one after another on this
// core, prints a table and writes bench/results.json. Not a test: nothing here fails a build.
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, ".build", "cases.mjs");
mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: [join(here, "cases.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: out,
  // A native module: loaded from node_modules, not bundled.
  external: ["@duckdb/node-api"],
  logLevel: "warning",
});
const { cases: all } = await import(pathToFileURL(out).href);
// `npm run bench -- <text>` runs only the cases whose name contains the text, and writes nothing.
const only = process.argv[2];
const cases = only ? all.filter((c) => c.name.includes(only)) : all;

const results = [];
for (const c of cases) {
  process.stderr.write(`… ${c.name}\n`);
  try {
    const r = await c.run();
    const met = r.target === undefined ? null : c.better === "higher" ? r.value >= r.target : r.value <= r.target;
    results.push({ name: c.name, unit: c.unit, better: c.better, ...r, met });
  } catch (e) {
    results.push({ name: c.name, unit: c.unit, error: String(e instanceof Error ? e.message : e) });
  }
}

const fmt = (v) => (typeof v !== "number" ? "" : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toPrecision(3));
const rows = results.map((r) => [
  r.name,
  r.error ? `error: ${r.error}` : `${fmt(r.value)} ${r.unit}`,
  r.target === undefined ? "" : `${r.better === "higher" ? "≥" : "≤"} ${fmt(r.target)}`,
  r.met === null || r.met === undefined ? "" : r.met ? "met" : "MISSED",
  r.note ?? "",
]);
const head = ["measure", "value", "target", "", "note"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
for (const row of [head, ...rows])
  console.log(
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );

if (only) process.exit(0);

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
const taken = new Date().toISOString();
writeFileSync(join(here, "results.json"), JSON.stringify({ taken, machine, results }, null, 2) + "\n");

// The README keeps the latest figures, between its bench markers.
const readmePath = join(here, "..", "README.md");
const table = [
  `Latest \`npm run bench\` (${taken.slice(0, 10)}, ${machine}):`,
  "",
  "| measure | value | target | | note |",
  "|---|---|---|---|---|",
  ...rows.map(([name, value, target, met, note]) => `| ${name} | ${value} | ${target} | ${met} | ${note} |`),
].join("\n");
const readme = readFileSync(readmePath, "utf8");
const marked = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(<!-- bench:end -->)/;
if (marked.test(readme))
  writeFileSync(
    readmePath,
    readme.replace(marked, (_, start, end) => `${start}${table}\n${end}`),
  );
console.log(`\n${machine}\nwritten: bench/results.json${marked.test(readme) ? ", README.md" : ""}`);
