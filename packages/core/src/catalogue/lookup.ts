import { notFound } from "../errors";
import { type CompiledCatalogue, type CompiledHardware, type CompiledModel, normalise } from "./compile";
import { MAKERS } from "./mapping";

/** Edit distance, for "did you mean": only on the error path. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function listed(ids: readonly string[]): string {
  return ids.length === 1 ? ids[0] : `${ids.slice(0, -1).join(", ")} or ${ids[ids.length - 1]}`;
}

/** Names are short: a pasted paragraph is compared by its first characters only. */
const NAME_CAP = 64;
/** At most this many ids are scored by edit distance, so "did you mean" stays fast on any catalogue. */
const CANDIDATE_CAP = 400;

/** A name as a message quotes it: a pasted paragraph by its start. */
const shown = (name: string) => (name.length > NAME_CAP ? `${name.slice(0, NAME_CAP)}…` : name);

/** Three-letter pieces of a name, for the prefilter. */
function trigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

/**
 * The closest ids to a name nobody knows, each scored by its best key (full id or bare name).
 * Only ids of a similar length are scored, those sharing a three-letter piece with the name first
 * (all of similar length when none does), at most CANDIDATE_CAP of them.
 */
export function closest(query: string, ids: readonly string[], count = 3): string[] {
  const q = normalise(query.slice(0, NAME_CAP));
  const grams = trigrams(q);
  const slack = Math.max(3, q.length >> 1);
  const keys = ids.map((id) => {
    const n = normalise(id.slice(0, NAME_CAP));
    return { id, n, bare: n.slice(n.indexOf("/") + 1) };
  });
  const near = keys.filter((k) => Math.abs(k.bare.length - q.length) <= slack || Math.abs(k.n.length - q.length) <= slack);
  const sharing = near.filter((k) => [...trigrams(k.n)].some((g) => grams.has(g)));
  const contained = keys.filter((k) => q && k.n.includes(q));
  const candidates = [...contained, ...(sharing.length >= count ? sharing : near)].slice(0, CANDIDATE_CAP);
  // A name that a known id contains ("8xh100" in "8xh100-sxm") is the likeliest meaning.
  const scored = candidates.map((k) => ({ id: k.id, d: q && k.n.includes(q) ? 0 : Math.min(distance(q, k.n), distance(q, k.bare)) }));
  return [...new Map(scored.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id)).map((x) => [x.id, x])).keys()].slice(0, count);
}

/** Whether `key` names the model itself (its id, bare name or display name) rather than one of its aliases. */
function namesItself(m: CompiledModel, key: string): boolean {
  return normalise(m.id) === key || normalise(m.id.slice(m.id.indexOf("/") + 1)) === key || normalise(m.entry.name) === key;
}

/**
 * The one model a name several entries answer to means: the model maker's own entry
 * (`gpt-4o` → `openai/gpt-4o`, not `azure/gpt-4o`), else among equals the one the name names
 * rather than aliases; undefined when that leaves more than one.
 */
function preferred(matches: readonly CompiledModel[], key: string): CompiledModel | undefined {
  const makers = matches.filter((m) => MAKERS.has(m.entry.provider));
  if (makers.length === 1) return makers[0];
  const direct = (makers.length ? makers : matches).filter((m) => namesItself(m, key));
  return direct.length === 1 ? direct[0] : undefined;
}

/**
 * A model by exact id, else by bare or display name or alias (case and `.`/`-`/`_`/space
 * alike), the maker's entry first. Ambiguous and unknown names are `#N/A` with the candidates or
 * the closest ids.
 */
export function findModel(catalogue: CompiledCatalogue, name: string): CompiledModel {
  const exact = catalogue.byId.get(name);
  if (exact) return exact;
  const key = normalise(name);
  const matches = catalogue.byName.get(key);
  if (matches?.length === 1) return matches[0];
  if (matches && matches.length > 1) {
    const pick = preferred(matches, key);
    if (pick) return pick;
    throw notFound(`model "${shown(name)}" is ambiguous: ${listed(matches.map((m) => m.id))}?`);
  }
  const near = closest(name, [...catalogue.byId.keys()]);
  throw notFound(`unknown model "${shown(name)}"${near.length ? `: did you mean ${listed(near)}?` : ""}`);
}

export function findHardware(catalogue: CompiledCatalogue, name: string): CompiledHardware {
  const hw = catalogue.hardwareById.get(name) ?? catalogue.hardwareById.get(normalise(name).replace(/×/g, "x"));
  if (hw) return hw;
  const near = closest(name, [...catalogue.hardwareById.keys()]);
  throw notFound(`unknown hardware "${name}"${near.length ? `: did you mean ${listed(near)}?` : ""}`);
}
