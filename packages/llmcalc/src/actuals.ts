import { stat, readFile } from "node:fs/promises";
import {
  ACTUALS_LIMIT_CHARS,
  type Actuals,
  FORMATS,
  type Format,
  METERS,
  type Reconciled,
  computeActuals,
} from "@tokenledger/core/actuals";
import { activeCatalogue } from "@tokenledger/core/catalogue";
import type { Dec } from "@tokenledger/core/decimal";
import { TlError } from "@tokenledger/core/errors";
import { loadCatalogueFile } from "./catalogue-file";
import { printable } from "./text";

/**
 * `llmcalc actuals FILE… [--format F] [--catalog FILE] [--json]`: provider usage exports costed at
 * catalogue prices and reconciled with what they billed, by month and model. Several files are
 * read together, so a usage export and its costs export reconcile against each other.
 * Exit codes: 0 done, 1 a file cannot be read, 2 usage.
 */

const USAGE = `usage: llmcalc actuals FILE… [--format ${FORMATS.join("|")}] [--catalog FILE] [--json]`;

type Out = (line: string) => void;

interface Options {
  readonly files: string[];
  readonly format?: Format;
  readonly catalog?: string;
  readonly json: boolean;
}

function parse(args: readonly string[]): Options | string {
  const files: string[] = [];
  let format: Format | undefined;
  let catalog: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--json") json = true;
    else if (arg === "--format") {
      const f = args[++i];
      if (!FORMATS.includes(f as Format)) return `--format must be one of ${FORMATS.join(", ")}`;
      format = f as Format;
    } else if (arg === "--catalog") {
      catalog = args[++i];
      if (!catalog) return "--catalog needs a file";
    } else if (arg.startsWith("--")) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length === 0) return "name at least one export file";
  return { files, format, catalog, json };
}

async function readText(file: string): Promise<string> {
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new TlError("VALUE", `${file}: no such file`);
    },
  );
  if (size > ACTUALS_LIMIT_CHARS) throw new TlError("VALUE", `${file}: larger than the ${ACTUALS_LIMIT_CHARS / 1_000_000} MB limit`);
  return readFile(file, "utf8");
}

/** A count as a JSON number written from its exact decimal (JSON numbers have no precision limit). */
const countJson = (d: Dec) => d.toString();
const moneyJson = (d: Dec | null) => (d === null ? "null" : JSON.stringify(d.toString()));

function rowJson(r: Reconciled, head: string): string {
  const tokens = METERS.map((m) => `${JSON.stringify(m)}:${countJson(r.tokens[m])}`).join(",");
  return (
    `{${head}"requests":${countJson(r.requests)},"tokens":{${tokens}},"web_search_requests":${countJson(r.webSearches)},` +
    `"cost":${moneyJson(r.cost)},"billed":${moneyJson(r.billed)},"difference":${moneyJson(r.difference)},"percent":${moneyJson(r.percent)}}`
  );
}

function printJson(a: Actuals, out: Out): void {
  for (const r of a.reconciled) out(rowJson(r, `"month":${JSON.stringify(r.month)},"model":${JSON.stringify(r.model)},`));
  const total = rowJson(a.total, "");
  out(
    `{"total":${total},"lines":${a.lines},"files":${JSON.stringify(a.files)},"problems":${JSON.stringify(a.problems)},"more_problems":${a.moreProblems}}`,
  );
}

const grouped = (d: Dec) => {
  const [whole, frac] = d.toFixed().split(".");
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac ? `.${frac}` : "");
};
const usd = (d: Dec | null) => (d === null ? "—" : d.toFixed());
const pct = (d: Dec | null) => (d === null ? "" : `${d.toDecimalPlaces(2).toFixed()}%`);

function printTable(a: Actuals, out: Out): void {
  for (const f of a.files) {
    const mapping = f.mapping
      ? ` (columns: ${Object.entries(f.mapping)
          .map(([k, v]) => `${k}=${v}`)
          .join(", ")})`
      : "";
    out(`${f.name}: ${f.format}${mapping}`);
  }
  const head = [
    "month",
    "model",
    "requests",
    "uncached in",
    "cache read",
    "cache write",
    "output",
    "reasoning",
    "cost USD",
    "billed USD",
    "difference",
    "%",
  ];
  const line = (r: Reconciled, month: string, model: string) => [
    month,
    model,
    grouped(r.requests),
    grouped(r.tokens.uncached_input),
    grouped(r.tokens.cache_read),
    grouped(r.tokens.cache_write_5m.plus(r.tokens.cache_write_1h)),
    grouped(r.tokens.output),
    grouped(r.tokens.reasoning),
    usd(r.cost),
    usd(r.billed),
    usd(r.difference),
    pct(r.percent),
  ];
  const rows = [head, ...a.reconciled.map((r) => line(r, r.month, r.model)), line(a.total, "total", "")];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    out(
      r
        .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join("  ")
        .trimEnd(),
    );
  out(`${a.lines.toLocaleString("en-US")} lines read`);
  for (const p of a.problems) out(`  ${p.where}: ${p.reason}`);
  if (a.moreProblems) out(`  … and ${a.moreProblems.toLocaleString("en-US")} more problems`);
}

export async function runActualsCommand(args: readonly string[], print: Out): Promise<number> {
  // Model names and problems come from the files: they must not drive the terminal.
  const out: Out = (line) => print(printable(line));
  const options = parse(args);
  if (typeof options === "string") {
    out(options);
    out(USAGE);
    return 2;
  }
  if (options.catalog !== undefined) {
    const problem = loadCatalogueFile(options.catalog);
    if (problem) {
      out(problem);
      return 2;
    }
  }
  try {
    const files = await Promise.all(options.files.map(async (name) => ({ name, text: await readText(name), format: options.format })));
    const actuals = computeActuals(files, activeCatalogue());
    (options.json ? printJson : printTable)(actuals, out);
    return 0;
  } catch (e) {
    if (!(e instanceof TlError)) throw e;
    out(`Cannot read: ${e.message}.`);
    return 1;
  }
}
