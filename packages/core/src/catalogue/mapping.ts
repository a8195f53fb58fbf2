import { z } from "zod";
import data from "./mapping.json";

/**
 * How each source's names map onto canonical ids, as data (mapping.json): a source's provider
 * renamed (`gemini` → `google`), and single entries whose names differ (dated snapshots, host
 * paths). Also per provider: who makes models (a bare name prefers the maker's entry), who bills
 * cache writes as input, and whose per-query search cost is charged on every request.
 */

const canonicalId = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[^\s/][^\s]*$/, "a canonical id written provider/model");

const SourceMapping = z.object({
  /** The source's provider name → the canonical provider. */
  providers: z.record(z.string(), z.string().regex(/^[a-z0-9][a-z0-9._-]*$/)),
  /** The source's own entry name (its key or id, as the importer names the entry) → a canonical id. */
  models: z.record(z.string(), canonicalId),
});

export const MAPPED_SOURCES = ["litellm", "openrouter", "genai-prices", "llm-prices"] as const;
export type MappedSource = (typeof MAPPED_SOURCES)[number];

export const IdMapping = z.object({
  format: z.literal("tokenledger-mapping/1"),
  makers: z.array(z.string()),
  cache_write_as_input: z.array(z.string()),
  search_fee_per_request: z.array(z.string()),
  sources: z.record(z.enum(MAPPED_SOURCES), SourceMapping),
});
export type IdMapping = z.infer<typeof IdMapping>;

export const MAPPING: IdMapping = IdMapping.parse(data);

export const MAKERS: ReadonlySet<string> = new Set(MAPPING.makers);

/** Lower-case, with `.`, `-`, `_` and spaces alike (as compile.ts's normalise; here to stay free of cycles). */
const same = (s: string) => s.toLowerCase().replace(/[\s._-]+/g, "-");

export interface Canonical {
  readonly id: string;
  readonly provider: string;
  /** The source's own name, kept as an alias when it differs from the id and its bare name. */
  readonly aliases: string[];
}

/**
 * The canonical id of a source's entry: the mapped id where the mapping names the entry, else
 * `rawId` (`provider/model`) with its provider renamed.
 */
export function canonical(source: MappedSource, entry: string, rawId: string): Canonical {
  const map = MAPPING.sources[source];
  const slash = rawId.indexOf("/");
  const rawProvider = rawId.slice(0, slash);
  const id = map?.models[entry] ?? `${map?.providers[rawProvider] ?? rawProvider}/${rawId.slice(slash + 1)}`;
  const provider = id.slice(0, id.indexOf("/"));
  const bare = id.slice(provider.length + 1);
  // Exact first: normalising is the slow part, and most names are the id or its bare name.
  const named = entry === id || entry === bare || [id, bare].map(same).includes(same(entry));
  return { id, provider, aliases: named ? [] : [entry] };
}
