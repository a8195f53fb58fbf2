import type { CompiledCatalogue } from "../catalogue";
import { valueError } from "../errors";
import { readAnthropicCost, readAnthropicUsage } from "./anthropic";
import { type ActualRow, Aggregator, costGroups } from "./cost";
import { type CsvMapping, readCsv } from "./csv";
import { type Format, detectFormat } from "./detect";
import type { Sink } from "./export-json";
import { type Problem, Problems } from "./line";
import { readOpenAiCosts, readOpenAiUsage } from "./openai";
import { readOpenRouter } from "./openrouter";
import { type Reconciled, reconcile } from "./reconcile";

export { CSV_FIELDS, type CsvField, type CsvMapping, guessMapping } from "./csv";
export { FORMATS, type Format, detectFormat } from "./detect";
export { type ActualRow, METERS, type Meter, type Tokens, resolveModel } from "./cost";
export type { Problem } from "./line";
export type { Reconciled } from "./reconcile";

/**
 * Actuals: provider usage exports in, cost at catalogue prices and the gap to what was billed
 * out. Readers turn each export into lines (line.ts), the aggregator sums them per day, model,
 * team and variant, costing prices the sums (cost.ts), reconciliation compares by month and
 * model (reconcile.ts). Nothing a file holds is dropped without a listed reason.
 */

/** Exports larger than this are refused: a JavaScript string cannot hold much more. */
export const ACTUALS_LIMIT_CHARS = 400_000_000;

/** A JSON export becomes objects in memory, several times its text: a tighter limit. */
export const JSON_LIMIT_CHARS = 100_000_000;

export interface ActualsFile {
  /** Shown in messages: the file's name. */
  readonly name: string;
  readonly text: string;
  /** Detected when absent. */
  readonly format?: Format;
  /** For CSV: guessed from the header when absent. */
  readonly mapping?: CsvMapping;
}

export interface FileRead {
  readonly name: string;
  readonly format: Format;
  readonly mapping?: CsvMapping;
}

export interface Actuals {
  readonly files: readonly FileRead[];
  readonly lines: number;
  /** Month × model × team. */
  readonly rows: readonly ActualRow[];
  /** Month × model, with the difference to billed. */
  readonly reconciled: readonly Reconciled[];
  readonly total: Reconciled;
  readonly problems: readonly Problem[];
  /** Problems beyond the ones listed (MAX_PROBLEMS). */
  readonly moreProblems: number;
}

/** Reads one file into the sink; answers what it was read as. */
export function readFile(file: ActualsFile, sink: Sink, problems: Problems): FileRead {
  if (file.text.length > ACTUALS_LIMIT_CHARS) {
    throw valueError(file.name, `larger than the ${ACTUALS_LIMIT_CHARS / 1_000_000} million character limit`);
  }
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const format = file.format ?? detectFormat(text);
  if (format !== "csv" && text.length > JSON_LIMIT_CHARS) {
    throw valueError(file.name, `larger than the ${JSON_LIMIT_CHARS / 1_000_000} million character limit of a JSON export`);
  }
  const scoped = new Problems();
  let mapping: CsvMapping | undefined;
  if (format === "openai-usage") readOpenAiUsage(text, sink, scoped);
  else if (format === "openai-costs") readOpenAiCosts(text, sink, scoped);
  else if (format === "anthropic-usage") readAnthropicUsage(text, sink, scoped);
  else if (format === "anthropic-cost") readAnthropicCost(text, sink, scoped);
  else if (format === "openrouter") readOpenRouter(text, sink, scoped);
  else mapping = readCsv(text, sink, scoped, file.mapping);
  for (const p of scoped.list) problems.add(`${file.name}: ${p.where}`, p.reason);
  problems.more += scoped.more;
  return { name: file.name, format, mapping };
}

/** Reads, costs and reconciles the files against the catalogue. Throws a TlError for a file it cannot read at all. */
export function computeActuals(files: readonly ActualsFile[], catalogue: CompiledCatalogue): Actuals {
  const problems = new Problems();
  const aggregator = new Aggregator();
  const read = files.map((f) => readFile(f, aggregator.add, problems));
  const rows = costGroups(aggregator.values(), catalogue, problems);
  const { rows: reconciled, total } = reconcile(rows, problems);
  return { files: read, lines: aggregator.lines, rows, reconciled, total, problems: problems.list, moreProblems: problems.more };
}
