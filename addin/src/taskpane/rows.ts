import {
  type CompiledCatalogue,
  type CompiledModel,
  type Component,
  type Kind,
  type Rates,
  normalise,
  toRates,
} from "@tokenledger/core/catalogue";
import { grouped, money } from "./dom";

/**
 * The pricing browser's data: one row per model of the active catalogue, with its display texts,
 * sort keys and search text worked out once per catalogue, so a keystroke only filters (a
 * substring test per row) and a click on a header only sorts.
 */

export interface Column {
  readonly key: string;
  readonly label: string;
  /** The unit, under the label. */
  readonly unit: string;
  /** What the column holds, for the header's tooltip. */
  readonly title: string;
  readonly numeric: boolean;
  /** The price component shown, for columns that show one. */
  readonly component?: Component;
}

const PER_M = "$ / 1M";

/** Model and the main prices first: they are what a narrow pane shows without scrolling sideways. */
export const COLUMNS: readonly Column[] = [
  { key: "id", label: "Model", unit: "", title: "The model, over who serves it", numeric: false },
  { key: "input", label: "Input", unit: PER_M, title: "US dollars per million input tokens", numeric: true, component: "input" },
  { key: "output", label: "Output", unit: PER_M, title: "US dollars per million output tokens", numeric: true, component: "output" },
  {
    key: "cache_read",
    label: "Cache read",
    unit: PER_M,
    title: "US dollars per million input tokens read from the cache",
    numeric: true,
    component: "cache_read",
  },
  {
    key: "cache_write",
    label: "Cache write",
    unit: PER_M,
    title: "US dollars per million tokens written to the cache",
    numeric: true,
    component: "cache_write",
  },
  { key: "context", label: "Context", unit: "tokens", title: "The most tokens a request can hold", numeric: true },
  { key: "provider", label: "Provider", unit: "", title: "Provider", numeric: false },
  { key: "as_of", label: "Price date", unit: "", title: "Date the price was published", numeric: false },
  {
    key: "kind",
    label: "Kind",
    unit: "",
    title: "What the model does: chat, embedding, image, speech, transcription, OCR, rerank",
    numeric: false,
  },
];

export interface Row {
  readonly id: string;
  readonly provider: string;
  readonly name: string;
  /** chat, embedding, image, speech, transcription, ocr or rerank. */
  readonly kind: Kind;
  /** Display text per column ("" where the catalogue has no value). */
  readonly cells: readonly string[];
  /** A price's exact value where the display rounds it, by column. */
  readonly exact: ReadonlyMap<number, string>;
  /** Sort key per column; null sorts last either way. */
  readonly keys: readonly (number | string | null)[];
  /** Normalised id, name, provider and aliases, one per line. */
  readonly haystack: string;
  readonly hasCache: boolean;
  readonly reasoning: boolean;
  readonly batch: boolean;
  /** Columns whose value is an organisation's price rather than the public one. */
  readonly overridden: ReadonlySet<number>;
}

/**
 * Today's list prices of a model: its entry's own list when it has no dated changes, read without
 * building the rate tables core builds on first pricing (a 5,000-model table would build them
 * all), with cache writes at the input rate where the provider bills them so, as core does; else
 * core's, which picks the list in force today.
 */
function listPrices(m: CompiledModel): Rates {
  if (m.entry.price_changes.length > 0) return m.rates[0].get("")!;
  const own = toRates(m.entry.prices);
  return m.writesAsInput && own.cache_write === undefined && own.input !== undefined ? { ...own, cache_write: own.input } : own;
}

/** A row's display texts, and the exact value of each price the display rounds. */
function display(catalogue: CompiledCatalogue, m: CompiledModel, rates: Rates): { cells: string[]; exact: Map<number, string> } {
  const cells = COLUMNS.map((c) => (c.component ? priceText(rates[c.component]) : plainText(catalogue, m, c.key)));
  const exact = new Map<number, string>();
  COLUMNS.forEach((c, i) => {
    const rate = c.component && rates[c.component];
    // Rounded when the text, less its groups and padding, is not the exact price.
    if (rate && cells[i].replace(/,/g, "").replace(/\.?0+$/, "") !== rate.toFixed()) exact.set(i, rate.toFixed());
  });
  return { cells, exact };
}

const priceText = (rate: Rates[Component]) => (rate === undefined ? "" : money(rate));

/** The text of a column that shows no price. */
function plainText(catalogue: CompiledCatalogue, m: CompiledModel, key: string): string {
  const e = m.entry;
  if (key === "id") return m.id;
  if (key === "provider") return e.provider;
  if (key === "context") return e.context_window === null ? "" : grouped(String(e.context_window));
  if (key === "as_of") return e.as_of ?? catalogue.data.as_of;
  return e.kind ?? "chat";
}

/**
 * A row per model. Sort keys and search text are worked out here; display texts when a row is
 * first shown, since the grid shows a few dozen of 5,000 rows and formatting is most of a row's cost.
 */
export function rowsOf(catalogue: CompiledCatalogue, overridden: ReadonlyMap<string, readonly Component[]> = new Map()): Row[] {
  return catalogue.models.map((m) => {
    const e = m.entry;
    const rates = listPrices(m);
    const keys = COLUMNS.map((c) => {
      if (c.component) return rates[c.component]?.toNumber() ?? null;
      if (c.key === "context") return e.context_window;
      const text = plainText(catalogue, m, c.key);
      return text === "" ? null : text.toLowerCase();
    });
    const marked = overridden.get(m.id) ?? [];
    let shown: ReturnType<typeof display> | undefined;
    return {
      id: m.id,
      provider: e.provider,
      name: e.name,
      kind: e.kind ?? "chat",
      get cells() {
        shown ??= display(catalogue, m, rates);
        return shown.cells;
      },
      get exact() {
        shown ??= display(catalogue, m, rates);
        return shown.exact;
      },
      keys,
      haystack: [m.id, e.name, e.provider, ...e.aliases].map(normalise).join("\n"),
      hasCache: rates.cache_read !== undefined,
      reasoning: e.reasoning_effort !== undefined || e.prices.reasoning !== undefined,
      batch: m.variants.has("batch"),
      overridden: new Set(COLUMNS.flatMap((c, i) => (c.component && marked.includes(c.component) ? [i] : []))),
    };
  });
}

export interface Sort {
  readonly column: number;
  readonly descending: boolean;
}

/** Rows in column order; missing values last whichever the direction. Stable, so ties keep catalogue order. */
export function sorted(rows: readonly Row[], sort: Sort): Row[] {
  const dir = sort.descending ? -1 : 1;
  const i = sort.column;
  return [...rows].sort((a, b) => {
    const [x, y] = [a.keys[i], b.keys[i]];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  });
}

export interface Filter {
  /** As typed; matched against id, name, provider and aliases with `.`, `-`, `_` and spaces alike. */
  readonly text: string;
  /** Exact provider, or "" for all. */
  readonly provider: string;
  /** Exact kind, or "" for all. */
  readonly kind: string;
  readonly cache: boolean;
  readonly reasoning: boolean;
  readonly batch: boolean;
}

export const NO_FILTER: Filter = { text: "", provider: "", kind: "", cache: false, reasoning: false, batch: false };

export function filtered(rows: readonly Row[], f: Filter): Row[] {
  const q = normalise(f.text);
  return rows.filter(
    (r) =>
      (!q || r.haystack.includes(q)) &&
      (!f.provider || r.provider === f.provider) &&
      (!f.kind || r.kind === f.kind) &&
      (!f.cache || r.hasCache) &&
      (!f.reasoning || r.reasoning) &&
      (!f.batch || r.batch),
  );
}

/** Providers with their model counts, most models first. */
export function providers(rows: readonly Row[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.provider, (counts.get(r.provider) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
