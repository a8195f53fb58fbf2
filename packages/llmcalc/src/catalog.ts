import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import {
  Catalogue,
  type CatalogueDiff,
  FEED_LIMIT_BYTES,
  FeedError,
  type ImportResult,
  type Kept,
  type Proposal,
  SOURCES,
  type SourceKind,
  activeCatalogue,
  catalogueSql,
  bundledCatalogue,
  diffCatalogues,
  failureSentence,
  fetchFeed,
  ECB_LABEL,
  importFeed,
  propose,
  proposeRates,
  ratesFailure,
  serialise,
  today,
} from "@tokenledger/core/catalogue";
import type { Dec } from "@tokenledger/core/decimal";
import { loadCatalogueFile } from "./catalogue-file";
import { httpsRedirectsOnly } from "./fetch";
import { printable, withoutBom } from "./text";

/**
 * `llmcalc catalog …`: the catalogue refresh pipeline of the task pane, from a terminal.
 *   refresh --source S --from <file or https URL> [--catalog CURRENT] --out <file> [--prune]
 *   refresh --source ecb --from <file or https URL> [--catalog CURRENT] --out <file>   exchange rates, prices untouched
 *   diff <old catalogue file> <new catalogue file>
 * A refresh merges the source into CURRENT (default: the bundled catalogue), which may be the same
 * file as --out: it is written atomically, and left as it was when the source is refused.
 *   export --format sql [--catalog <file>]   the catalogue in force (or the file) as SQL, on standard output
 * Exit codes: 0 done, 1 refused (one sentence says why), 2 usage.
 */

const USAGE = [
  "usage: llmcalc catalog refresh --source litellm|openrouter|genai-prices|llm-prices|url --from <file or https URL> [--catalog <current catalogue file>] --out <file> [--prune]",
  "       llmcalc catalog refresh --source ecb --from <file or https URL> [--catalog <current catalogue file>] --out <file>",
  "       llmcalc catalog diff <old catalogue file> <new catalogue file>",
  "       llmcalc catalog export --format sql [--catalog <file>]",
];

/** `url` on the command line: a catalogue in TokenLedger's own schema (an organisation's). */
const KINDS: Record<string, SourceKind> = {
  litellm: "litellm",
  openrouter: "openrouter",
  "genai-prices": "genai-prices",
  "llm-prices": "llm-prices",
  url: "tokenledger",
};

type Out = (line: string) => void;

const count = (n: number) => n.toLocaleString("en-US");

function percent(p: Dec | null): string {
  if (p === null) return "";
  const rounded = p.toDecimalPlaces(2);
  return ` (${rounded.gt(0) ? "+" : ""}${rounded.toString()}%)`;
}

function printDiff(diff: CatalogueDiff, out: Out): void {
  out(
    `${count(diff.added.length)} added, ${count(diff.removed.length)} removed, ${count(diff.changed.length)} changed` +
      (diff.flagged ? ` (${count(diff.flagged)} by more than ×10)` : "") +
      `, ${count(diff.unchanged)} unchanged`,
  );
  for (const m of diff.changed) {
    const values = m.changes.map(
      (c) =>
        `${c.from ? `from ${c.from} ` : ""}${c.field} ${c.old ?? "—"} → ${c.new ?? "—"}${percent(c.percent)}${c.flagged ? " ⚠ beyond ×10" : ""}`,
    );
    out(`  changed ${m.id}: ${values.join(", ")}`);
  }
  for (const m of diff.added) out(`  added ${m.id}`);
  for (const m of diff.removed) out(`  removed ${m.id}`);
}

function printKept(kept: readonly Kept[], out: Out): void {
  out(`${count(kept.filter((k) => k.fields === null).length)} models the source does not list kept`);
  for (const k of kept) out(k.fields ? `  kept ${k.id}: ${k.fields.join(", ")}` : `  kept ${k.id} (not listed by the source)`);
}

function printImport(result: ImportResult, out: Out): void {
  const skipped = Object.entries(result.skipped);
  out(
    `imported ${count(result.catalogue.models.length)} models; ${count(result.rejected.length)} entries rejected; ` +
      `${count(skipped.reduce((n, [, k]) => n + k, 0))} skipped (no meter prices them)`,
  );
  for (const r of result.rejected) out(`  rejected ${r.entry}: ${r.reason}`);
  for (const [kind, n] of skipped) out(`  skipped ${count(n)} × ${kind}`);
  for (const r of result.notes) out(`  note ${r.entry}: ${r.reason}`);
  const { overlay } = result;
  if (overlay) {
    const n = overlay.rules.length;
    out(`organisation prices: ${overlay.name} (${count(n)} ${n === 1 ? "rule" : "rules"}), kept in the written catalogue`);
  }
}

/** A feed's text from a file or an https address, within the size limit. */
async function readSource(from: string): Promise<string> {
  if (/^[a-z]+:\/\//i.test(from)) return fetchFeed(from, { fetch: httpsRedirectsOnly() });
  const size = await stat(from).then(
    (s) => s.size,
    () => {
      throw new FeedError(`there is no file “${from}”`);
    },
  );
  if (size > FEED_LIMIT_BYTES) throw new FeedError(`“${from}” is larger than the ${FEED_LIMIT_BYTES / 1_000_000} MB limit`);
  return withoutBom(await readFile(from, "utf8"));
}

/** Written beside the target, then renamed over it, so a crash never leaves half a file (and the target may be the file read). */
async function writeCatalogue(file: string, catalogue: Catalogue): Promise<void> {
  const text = `${JSON.stringify(JSON.parse(serialise(catalogue)), null, 2)}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
}

function usage(out: Out, problem?: string): number {
  if (problem) out(problem);
  for (const line of USAGE) out(line);
  return 2;
}

const VALUED = new Set(["source", "from", "out", "catalog", "format"]);
const SWITCHES = new Set(["prune"]);

/** `--flag value` pairs and `--switch`es, or the first thing that is neither. */
function options(args: string[]): Map<string, string> | string {
  const found = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : "";
    if (SWITCHES.has(name)) found.set(name, "");
    else if (VALUED.has(name) && args[i + 1] !== undefined) found.set(name, args[++i]);
    else return `unexpected “${args[i]}”`;
  }
  return found;
}

/** The catalogue to merge into: a file in our schema, whole (a broken one refuses the refresh), or the bundled one. */
async function currentCatalogue(file: string | undefined): Promise<Catalogue> {
  if (file === undefined) return bundledCatalogue().data;
  let json: unknown;
  try {
    json = JSON.parse(await readSource(file));
  } catch (e) {
    throw new FeedError(`the catalogue ${file} cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = Catalogue.safeParse(json);
  if (!parsed.success) throw new FeedError(`the catalogue ${file} does not fit TokenLedger's catalogue schema`);
  return parsed.data;
}

/**
 * `--source ecb`: the ECB's euro reference rates (daily, 90-day or full-history XML) merged into
 * a catalogue, the one in force or `--catalog`'s, keeping the rates it holds; prices untouched.
 */
async function refreshRates(opts: Map<string, string>, out: Out): Promise<number> {
  const from = opts.get("from");
  const file = opts.get("out");
  if (!from || !file) return usage(out, "refresh --source ecb needs --from and --out");
  const current = opts.get("catalog");
  try {
    const base = current ? await loadCatalogue(current, out) : activeCatalogue().data;
    const proposal = proposeRates(base, await readSource(from));
    out(`source: ${ECB_LABEL} (${from})`);
    for (const r of proposal.rejected) out(`  rejected ${r.entry}: ${r.reason}`);
    out(proposal.summary);
    await writeCatalogue(file, proposal.catalogue);
  } catch (e) {
    out(ratesFailure(e));
    return 1;
  }
  out(`written ${file}`);
  return 0;
}

async function refresh(args: string[], out: Out): Promise<number> {
  const opts = options(args);
  if (typeof opts === "string") return usage(out, opts);
  if (opts.get("source") === "ecb") return refreshRates(opts, out);
  const kind = KINDS[opts.get("source") ?? ""];
  const from = opts.get("from");
  const file = opts.get("out");
  if (!kind || !from || !file)
    return usage(out, "refresh needs --source (litellm, openrouter, genai-prices, llm-prices or url), --from and --out");
  const current = opts.get("catalog");
  let active: Catalogue;
  let imported: ImportResult;
  let proposal: Proposal;
  try {
    active = await currentCatalogue(current);
    imported = importFeed(kind, await readSource(from), { today: today() });
    proposal = propose(active, imported, { prune: opts.has("prune") });
  } catch (e) {
    out(failureSentence(kind, e));
    return 1;
  }
  out(`source: ${SOURCES[kind].label} (${from})`);
  printImport(imported, out);
  out(
    `merged into ${current ?? "the bundled catalogue"} (${active.source}, ${active.version}, ${count(active.models.length)} models): ${count(proposal.updated)} updated`,
  );
  printDiff(proposal.diff, out);
  printKept(proposal.kept, out);
  try {
    await writeCatalogue(file, { ...proposal.catalogue, overlay: proposal.overlay ?? active.overlay });
  } catch (e) {
    out(`Cannot write ${file}: ${e instanceof Error ? e.message : String(e)}.`);
    return 1;
  }
  out(`written ${file}`);
  return 0;
}

/** A catalogue file in our schema, its overlay kept; entries that break it are reported and left out. */
async function loadCatalogue(file: string, out: Out): Promise<Catalogue> {
  let result: ImportResult;
  try {
    result = importFeed("tokenledger", await readSource(file), { today: today() });
  } catch (e) {
    throw new FeedError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const r of result.rejected) out(`  left out of ${file}: ${r.entry}: ${r.reason}`);
  return { ...result.catalogue, overlay: result.overlay };
}

async function diff(args: string[], out: Out): Promise<number> {
  if (args.length !== 2) return usage(out);
  try {
    const old = await loadCatalogue(args[0], out);
    const next = await loadCatalogue(args[1], out);
    out(
      `${old.source} ${old.version} (${count(old.models.length)} models) → ${next.source} ${next.version} (${count(next.models.length)} models)`,
    );
    printDiff(diffCatalogues(old, next), out);
    return 0;
  } catch (e) {
    out(`Cannot compare: ${e instanceof Error ? e.message : String(e)}.`);
    return 1;
  }
}

/** The active catalogue, or the file named, as SQL for a warehouse (core's catalogueSql). */
async function exportSql(args: string[], out: Out): Promise<number> {
  const opts = options(args);
  if (typeof opts === "string") return usage(out, opts);
  if (opts.get("format") !== "sql") return usage(out, "export needs --format sql");
  const file = opts.get("catalog");
  if (file !== undefined) {
    const problem = loadCatalogueFile(file);
    if (problem) {
      out(problem);
      return 1;
    }
  }
  out(catalogueSql(activeCatalogue().data).trimEnd());
  return 0;
}

export async function runCatalogCommand(args: string[], print: (line: string) => void): Promise<number> {
  const out: Out = (line) => print(printable(line));
  const [command, ...rest] = args;
  if (command === "refresh") return refresh(rest, out);
  if (command === "diff") return diff(rest, out);
  if (command === "export") return exportSql(rest, out);
  return usage(out);
}
