import { type CompiledCatalogue, type CompiledModel, type Rates, componentPrice, findModel, ratesFor } from "../catalogue";
import type { Component } from "../catalogue/schema";
import { type Dec, MILLION, ZERO } from "../decimal";
import { TlError } from "../errors";
import { type ActualLine, ExactSum, MONEY_SCALE, type Problems } from "./line";

/**
 * Costing: lines are summed per day × model × team × variant (exact, integer sums while they
 * fit), then each sum is priced once per meter at the catalogue's rates on that day. Pricing is
 * linear in tokens, so this equals pricing every line and is what keeps a million lines cheap.
 */

export const METERS = ["uncached_input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "reasoning"] as const;
export type Meter = (typeof METERS)[number];

const COMPONENT: Record<Meter, Component> = {
  uncached_input: "input",
  cache_read: "cache_read",
  cache_write_5m: "cache_write",
  cache_write_1h: "cache_write_1h",
  output: "output",
  reasoning: "reasoning",
};

export type Tokens = Record<Meter, Dec>;

class Group {
  readonly requests = new ExactSum(0);
  readonly tokens = METERS.map(() => new ExactSum(0));
  readonly webSearches = new ExactSum(0);
  readonly billed = new ExactSum(MONEY_SCALE);
  billedSeen = false;
  lines = 0;

  constructor(
    readonly day: string,
    readonly provider: string,
    readonly model: string,
    readonly team: string,
    readonly variant: string,
  ) {}
}

/** Nested maps, one level per key: no key string is built per line, and readers' interned strings hash once. */
type Level<T> = Map<string, T>;

/** The sink the readers feed: one Group per provider × day × model × team × variant. */
export class Aggregator {
  private readonly groups: Level<Level<Level<Level<Level<Group>>>>> = new Map();
  private readonly all: Group[] = [];
  lines = 0;

  private group(line: ActualLine): Group {
    const byDay = child(this.groups, line.provider);
    const byModel = child(byDay, line.day);
    const byTeam = child(byModel, line.model);
    const byVariant = child(byTeam, line.team);
    let g = byVariant.get(line.variant);
    if (!g) {
      g = new Group(line.day, line.provider, line.model, line.team, line.variant);
      byVariant.set(line.variant, g);
      this.all.push(g);
    }
    return g;
  }

  readonly add = (line: ActualLine): void => {
    const g = this.group(line);
    g.lines++;
    this.lines++;
    g.requests.add(line.requests);
    // In METERS order, field by field: a keyed loop here costs a tenth of the whole.
    const t = g.tokens;
    t[0].add(line.uncached);
    t[1].add(line.cacheRead);
    t[2].add(line.cacheWrite5m);
    t[3].add(line.cacheWrite1h);
    t[4].add(line.output);
    t[5].add(line.reasoning);
    g.webSearches.add(line.webSearches);
    if (line.billed !== undefined) {
      g.billed.add(line.billed);
      g.billedSeen = true;
    }
  };

  values(): Iterable<Group> {
    return this.all;
  }
}

function child<T>(level: Level<Level<T>>, key: string): Level<T> {
  let next = level.get(key);
  if (!next) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}

/** One month × model × team: tokens by meter, what the catalogue says it cost, what was billed. */
export interface ActualRow {
  readonly month: string;
  /** The catalogue id, or the export's name when the catalogue has no such model. */
  readonly model: string;
  readonly team: string;
  readonly requests: Dec;
  readonly tokens: Tokens;
  readonly webSearches: Dec;
  /** USD at catalogue prices; null when some of its usage could not be priced (see the problems). */
  readonly cost: Dec | null;
  /** USD the export billed; null when it bills nothing for this row. */
  readonly billed: Dec | null;
}

/** Dated snapshot names ("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929"). */
const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * The catalogue model an export's name means. findModel first (the provider's prefix tried before
 * the bare name); then, until the catalogue maps dated snapshot names to canonical ids itself
 * (issue 12), the name without its trailing date.
 */
export function resolveModel(catalogue: CompiledCatalogue, provider: string, name: string): CompiledModel | TlError {
  const undated = name.replace(DATED, "");
  const names = undated === name ? [name] : [name, undated];
  let first: TlError | undefined;
  for (const n of names) {
    for (const candidate of provider && !n.includes("/") ? [`${provider}/${n}`, n] : [n]) {
      try {
        return findModel(catalogue, candidate);
      } catch (e) {
        if (!(e instanceof TlError)) throw e;
        if (candidate === name) first = e;
      }
    }
  }
  return first ?? new TlError("NA", `unknown model "${name}"`);
}

/** Problems that repeat per day are said once per model, with how many days they touch. */
class Notes {
  private readonly counts = new Map<string, number>();
  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
  flush(problems: Problems): void {
    for (const [reason, n] of this.counts) problems.add("costing", n === 1 ? reason : `${reason} (${n} days)`);
  }
}

interface RowSum {
  month: string;
  model: string;
  team: string;
  requests: Dec;
  tokens: Dec[];
  webSearches: Dec;
  cost: Dec | null;
  billed: Dec | null;
}

const UNATTRIBUTED = "(unattributed)";

/** Prices every group and sums them into month × model × team rows, sorted. */
export function costGroups(groups: Iterable<Group>, catalogue: CompiledCatalogue, problems: Problems): ActualRow[] {
  const models = new Map<string, CompiledModel | TlError>();
  const rates = new Map<string, Rates | TlError>();
  const notes = new Notes();
  const rows = new Map<string, RowSum>();
  for (const g of groups) {
    const tokens = g.tokens.map((t) => t.value());
    const webSearches = g.webSearches.value();
    const used = tokens.some((t) => !t.isZero());
    let label = g.model || UNATTRIBUTED;
    let cost: Dec | null = ZERO;
    if (g.model === "") {
      if (used) {
        notes.add("usage without a model is not costed");
        cost = null;
      }
    } else {
      const mkey = `${g.provider}\u0000${g.model}`;
      let model = models.get(mkey);
      if (!model) {
        model = resolveModel(catalogue, g.provider, g.model);
        models.set(mkey, model);
      }
      if (model instanceof TlError) {
        notes.add(`${model.message}; its usage is not costed${g.billedSeen ? " and its billed amount not reconciled" : ""}`);
        if (used) cost = null;
      } else {
        label = model.id;
        cost = used ? priceGroup(g, model, tokens, rates, notes) : ZERO;
        if (!webSearches.isZero()) notes.add(`${model.id}: web search requests not costed (the catalogue has no web search price)`);
      }
    }
    const rkey = `${g.day.slice(0, 7)}\u0000${label}\u0000${g.team}`;
    let row = rows.get(rkey);
    if (!row) {
      row = {
        month: g.day.slice(0, 7),
        model: label,
        team: g.team,
        requests: ZERO,
        tokens: METERS.map(() => ZERO),
        webSearches: ZERO,
        cost: ZERO,
        billed: null,
      };
      rows.set(rkey, row);
    }
    row.requests = row.requests.plus(g.requests.value());
    row.tokens = row.tokens.map((t, i) => t.plus(tokens[i]));
    row.webSearches = row.webSearches.plus(webSearches);
    row.cost = row.cost === null || cost === null ? null : row.cost.plus(cost);
    if (g.billedSeen) row.billed = (row.billed ?? ZERO).plus(g.billed.value());
  }
  notes.flush(problems);
  return [...rows.values()]
    .sort((a, b) => a.month.localeCompare(b.month) || a.model.localeCompare(b.model) || a.team.localeCompare(b.team))
    .map((r) => ({ ...r, tokens: Object.fromEntries(METERS.map((m, i) => [m, r.tokens[i]])) as Tokens }));
}

/** USD of one group, or null with the reason noted. */
function priceGroup(g: Group, model: CompiledModel, tokens: Dec[], cache: Map<string, Rates | TlError>, notes: Notes): Dec | null {
  const key = `${model.id}\u0000${g.variant}\u0000${g.day}`;
  let rates = cache.get(key);
  if (!rates) {
    try {
      rates = ratesFor(model, 0, g.variant, g.day, "variant");
    } catch (e) {
      if (!(e instanceof TlError)) throw e;
      rates = e;
    }
    cache.set(key, rates);
  }
  if (rates instanceof TlError) {
    notes.add(`${rates.message.replace(/^(variant|as_of): /, "")}: not costed`);
    return null;
  }
  let perMillion = ZERO;
  for (let m = 0; m < METERS.length; m++) {
    if (tokens[m].isZero()) continue;
    try {
      perMillion = perMillion.plus(tokens[m].times(componentPrice(model, rates, COMPONENT[METERS[m]], METERS[m])));
    } catch (e) {
      if (!(e instanceof TlError)) throw e;
      notes.add(`${e.message.replace(/^[a-z_0-9]+: /, "")}: its ${METERS[m]} tokens are not costed`);
      return null;
    }
  }
  return perMillion.div(MILLION);
}
