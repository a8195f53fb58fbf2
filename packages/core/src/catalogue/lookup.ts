import { notFound } from "../errors";
import { type CompiledCatalogue, type CompiledHardware, type CompiledModel, normalise } from "./compile";

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

/** The closest ids to a name nobody knows, each scored by its best key (full id or bare name). */
export function closest(query: string, ids: readonly string[], count = 3): string[] {
  // Names are short; comparing a pasted paragraph against every id would stall recalculation.
  const q = normalise(query.slice(0, 64));
  return ids
    .map((id) => {
      const n = normalise(id);
      const bare = n.slice(n.indexOf("/") + 1);
      // A name that a known id contains ("8xh100" in "8xh100-sxm") is the likeliest meaning.
      return { id, d: n.includes(q) ? 0 : Math.min(distance(q, n), distance(q, bare)) };
    })
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, count)
    .map((x) => x.id);
}

/**
 * A model by exact id, else by bare or display name or alias (case and `.`/`-`/`_`/space
 * alike). Ambiguous and unknown names are `#N/A` with the candidates or the closest ids.
 */
export function findModel(catalogue: CompiledCatalogue, name: string): CompiledModel {
  const exact = catalogue.byId.get(name);
  if (exact) return exact;
  const matches = catalogue.byName.get(normalise(name));
  if (matches?.length === 1) return matches[0];
  if (matches && matches.length > 1) {
    throw notFound(`model "${name}" is ambiguous: ${listed(matches.map((m) => m.id))}?`);
  }
  const near = closest(name, [...catalogue.byId.keys()]);
  throw notFound(`unknown model "${name}"${near.length ? `: did you mean ${listed(near)}?` : ""}`);
}

export function findHardware(catalogue: CompiledCatalogue, name: string): CompiledHardware {
  const hw = catalogue.hardwareById.get(name) ?? catalogue.hardwareById.get(normalise(name).replace(/×/g, "x"));
  if (hw) return hw;
  const near = closest(name, [...catalogue.hardwareById.keys()]);
  throw notFound(`unknown hardware "${name}"${near.length ? `: did you mean ${listed(near)}?` : ""}`);
}
