import { createInterface } from "node:readline";
import { loadCatalogueFile } from "./catalogue-file";
import { evaluate } from "./evaluator";
import { errs, jsonOf, textOf } from "./format";
import { printable } from "./text";
import { registerTlFunctions } from "./plugin";

/** `llmcalc`: TokenLedger's worksheet formulas from a terminal. Exit 0, 1 (--strict), 2 (cannot run). */

function help(): string {
  const shadowed = registerTlFunctions();
  return `usage: llmcalc [--exact] [--json] [--strict] [--catalog FILE] [formula …]
       llmcalc catalog refresh|diff|export …
       llmcalc actuals FILE… [--format F] [--catalog FILE] [--json]

Evaluates TokenLedger formulas with a spreadsheet formula engine (HyperFormula), so arithmetic,
array constants {…;…} and built-ins (SUM, INDEX, ROWS, …) work around the TL functions:
  llmcalc '=TL.LLMCOST("anthropic/claude-sonnet-4-6",1500,300)'      prints 0.009
One result per formula argument or, with none, per non-blank line of standard input. The "="
and the "TL." prefix are optional${shadowed.length ? `; a bare name means the TL function even where Excel has its own (${shadowed.join(", ")})` : ""}.

Output: a number as its shortest round-trip decimal, text as is (tab and line breaks written
\\t \\n \\r), TRUE/FALSE, a spilled result as tab-separated rows, an error as its Excel error and
message (#N/A unknown model "…": did you mean …?).

  --exact          Numbers as the exact decimals TokenLedger computed, before rounding to a
                   double: =TL.TOKENCOST(0.3,0,1,0) prints 0.0000003. Exact digits exist when the
                   whole formula is one TL call (in parentheses or not), spilled cells included;
                   any other formula (=2*TL.LLMCOST(…), =SUM(TL.FORECAST(…))) prints the double.
  --json           One JSON object per formula: {"formula", "value"} (a number, text, boolean or
                   rows) or {"formula", "error", "message"}; a single number adds "exact", its
                   decimal text by the rule of --exact (with or without --exact).
  --strict         Exit 1 when any formula, or any cell of its spill, is an error.
  --catalog FILE   Price with this catalogue (TokenLedger's catalogue JSON) instead of the bundled one.
  -h, --help       This text.
  llmcalc catalog  Refresh a catalogue from a public price feed, compare two, or export one as SQL.
  llmcalc actuals  Cost provider usage exports (OpenAI, Anthropic, OpenRouter, CSV) at catalogue
                   prices and reconcile them with what was billed, by month and model.

Exit status: 0; 1 with --strict when a formula errs; 2 when llmcalc cannot run (a bad option or catalogue).`;
}

interface Options {
  readonly exact: boolean;
  readonly json: boolean;
  readonly strict: boolean;
  readonly catalog?: string;
  readonly help: boolean;
  readonly formulas: string[];
}

/** Options start with "--" (or are -h); anything else, and everything after "--", is a formula. */
function parseOptions(argv: readonly string[]): Options | string {
  let exact = false;
  let json = false;
  let strict = false;
  let catalog: string | undefined;
  let showHelp = false;
  const formulas: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      formulas.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") showHelp = true;
    else if (arg === "--strict") strict = true;
    else if (arg === "--exact") exact = true;
    else if (arg === "--json") json = true;
    else if (arg === "--catalog" || arg.startsWith("--catalog=")) {
      catalog = arg === "--catalog" ? argv[++i] : arg.slice("--catalog=".length);
      if (!catalog) return "--catalog needs a file";
    } else if (arg.startsWith("--")) return `unknown option ${arg} (see llmcalc --help)`;
    else formulas.push(arg);
  }
  return { exact, json, strict, catalog, help: showHelp, formulas };
}

function writeLine(line: string): void {
  process.stdout.write(`${printable(line)}\n`);
}

async function* formulasOf(options: Options): AsyncIterable<string> {
  if (options.formulas.length > 0) {
    yield* options.formulas;
    return;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== "") yield line;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "catalog") {
    const { runCatalogCommand } = await import("./catalog");
    return runCatalogCommand(argv.slice(1), writeLine);
  }
  if (argv[0] === "actuals") {
    const { runActualsCommand } = await import("./actuals");
    return runActualsCommand(argv.slice(1), writeLine);
  }
  const options = parseOptions(argv);
  if (typeof options === "string") {
    process.stderr.write(`llmcalc: ${printable(options)}\n`);
    return 2;
  }
  if (options.help) {
    writeLine(help());
    return 0;
  }
  if (options.catalog !== undefined) {
    const problem = loadCatalogueFile(options.catalog);
    if (problem) {
      process.stderr.write(`llmcalc: ${printable(problem)}\n`);
      return 2;
    }
  }
  let failed = false;
  for await (const formula of formulasOf(options)) {
    const outcome = evaluate(formula);
    writeLine(options.json ? jsonOf(outcome) : textOf(outcome, options.exact));
    failed ||= errs(outcome);
  }
  return options.strict && failed ? 1 : 0;
}

function fail(e: unknown): void {
  process.stderr.write(`llmcalc: ${printable(e instanceof Error ? e.message : String(e))}\n`);
  process.exit(2);
}

// A reader that stops early (llmcalc … | head) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" ? process.exit(0) : fail(e)));

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, fail);
