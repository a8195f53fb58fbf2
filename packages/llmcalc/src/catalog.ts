import { readFile, rename, stat, writeFile } from "node:fs/promises";
import {
  type Catalogue,
  type CatalogueDiff,
  FEED_LIMIT_BYTES,
  FeedError,
  type ImportResult,
  type Proposal,
  SOURCES,
  type SourceKind,
  activeCatalogue,
  catalogueSql,
  diffCatalogues,
  failureSentence,
  fetchFeed,
  importFeed,
  propose,
  serialise,
  today,
} from "@tokenledger/core/catalogue";
import type { Dec } from "@tokenledger/core/decimal";
import { loadCatalogueFile } from "./catalogue-file";
import { httpsRedirectsOnly } from "./fetch";
import { printable, withoutBom } from "./text";

/**
 * `llmcalc catalog …`: the catalogue refresh pipeline of the task pane, from a terminal.
 *   refresh --source litellm|openrouter|genai-prices|llm-prices|url --from <file or https URL> --out <file>
 *   diff <old catalogue file> <new catalogue file>
 *   export --format sql [--catalog <file>]   the catalogue in force (or the file) as SQL, on standard output
 * Exit codes: 0 done, 1 refused (one sentence says why), 2 usage.
 */

const USAGE = [
  "usage: llmcalc catalog refresh --source litellm|openrouter|genai-prices|llm-prices|url --from <file or https URL> --out <file>",
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

function printImport(result: ImportResult, out: Out): void {
  const skipped = Object.entries(result.skipped);
  out(
    `imported ${count(result.catalogue.models.length)} models; ${count(result.rejected.length)} entries rejected; ` +
      `${count(skipped.reduce((n, [, k]) => n + k, 0))} not chat models skipped`,
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

/** Written beside the target, then renamed over it, so a crash never leaves half a file. */
async function writeCatalogue(file: string, catalogue: Catalogue): Promise<void> {
  const text = `${JSON.stringify(JSON.parse(serialise(catalogue)), null, 2)}\n`;
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

function usage(out: Out, problem?: string): number {
  if (problem) out(problem);
  for (const line of USAGE) out(line);
  return 2;
}

/** `--flag value` pairs, or the first thing that is not one. */
function options(args: string[]): Map<string, string> | string {
  const found = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (!flag.startsWith("--") || value === undefined) return `unexpected “${flag}”`;
    found.set(flag.slice(2), value);
  }
  return found;
}

async function refresh(args: string[], out: Out): Promise<number> {
  const opts = options(args);
  if (typeof opts === "string") return usage(out, opts);
  const kind = KINDS[opts.get("source") ?? ""];
  const from = opts.get("from");
  const file = opts.get("out");
  if (!kind || !from || !file)
    return usage(out, "refresh needs --source (litellm, openrouter, genai-prices, llm-prices or url), --from and --out");
  const active = activeCatalogue().data;
  let proposal: Proposal;
  try {
    proposal = propose(active, importFeed(kind, await readSource(from), { today: today() }));
  } catch (e) {
    out(failureSentence(kind, e));
    return 1;
  }
  out(`source: ${SOURCES[kind].label} (${from})`);
  printImport(proposal, out);
  out(`against the active catalogue (${active.source}, ${active.version}, ${count(active.models.length)} models):`);
  printDiff(proposal.diff, out);
  try {
    await writeCatalogue(file, { ...proposal.catalogue, overlay: proposal.overlay });
  } catch (e) {
    out(`Cannot write ${file}: ${e instanceof Error ? e.message : String(e)}.`);
    return 1;
  }
  out(`written ${file}`);
  return 0;
}

/** A catalogue file in our schema; entries that break it are reported and left out of the comparison. */
async function loadCatalogue(file: string, out: Out): Promise<Catalogue> {
  let result: ImportResult;
  try {
    result = importFeed("tokenledger", await readSource(file), { today: today() });
  } catch (e) {
    throw new FeedError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const r of result.rejected) out(`  left out of ${file}: ${r.entry}: ${r.reason}`);
  return result.catalogue;
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
