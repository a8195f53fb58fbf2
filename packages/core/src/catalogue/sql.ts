import type { Dec } from "../decimal";
import { type Rates, compileCatalogue, rateTablesFor } from "./compile";
import type { Catalogue } from "./schema";

/**
 * The catalogue as SQL for a warehouse: a dated price table (USD per 1M tokens as DECIMAL, one row
 * per model × variant × price list, fallbacks resolved: reasoning at the output rate, 1-hour
 * cache writes at the write rate), a usage table and a view costing it. DuckDB runs it as is;
 * BigQuery and Spark SQL need only the type names changed (see the header it writes). Long-context
 * tiers are not exported: a usage row does not say each request's prompt size.
 */

const METERS = [
  ["input", "uncached_input_tokens"],
  ["cache_read", "cache_read_tokens"],
  ["cache_write", "cache_write_5m_tokens"],
  ["cache_write_1h", "cache_write_1h_tokens"],
  ["output", "output_tokens"],
  ["reasoning", "reasoning_tokens"],
] as const;

type Meter = (typeof METERS)[number][0];

/** A meter's rate with the catalogue's fallbacks, or undefined when the model does not price it. */
function rate(r: Rates, meter: Meter): Dec | undefined {
  if (meter === "reasoning") return r.reasoning ?? r.output;
  if (meter === "cache_write_1h") return r.cache_write_1h ?? r.cache_write;
  return r[meter];
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const date = (d: string | null) => (d === null ? "NULL" : `DATE '${d}'`);

interface PriceRow {
  model: string;
  variant: string;
  from: string | null;
  to: string | null;
  rates: (Dec | undefined)[];
  /** The entry's own source; null where it is the file's (named in the header). */
  source: string | null;
}

function priceRows(catalogue: Catalogue): PriceRow[] {
  const rows: PriceRow[] = [];
  // Compiled, so the rows are the rates the functions price with (variants, writes billed as input).
  for (const m of compileCatalogue(catalogue).models) {
    const lists = m.schedule;
    lists.forEach((list, i) => {
      const to = lists[i + 1]?.from ?? null;
      for (const [variant, r] of rateTablesFor(m, list)[0]) {
        rows.push({
          model: m.id,
          variant,
          from: list.from,
          to,
          rates: METERS.map(([meter]) => rate(r, meter)),
          source: m.entry.source ?? null,
        });
      }
    });
  }
  return rows;
}

/** INSERTs in batches, so no statement grows without bound. */
const BATCH = 500;

export function catalogueSql(catalogue: Catalogue): string {
  const rows = priceRows(catalogue);
  // Exact at the catalogue's finest price: as many places as its longest price, at least 2.
  const scale = Math.max(2, ...rows.flatMap((r) => r.rates.map((d) => d?.decimalPlaces() ?? 0)));
  const price = `DECIMAL(${scale + 10}, ${scale})`;
  const value = (d: Dec | undefined) => (d === undefined ? "NULL" : `CAST('${d.toFixed()}' AS ${price})`);
  const out = [
    `-- TokenLedger catalogue ${catalogue.version} (${catalogue.source.replace(/\n/g, " ")}), as of ${catalogue.as_of}.`,
    "-- Prices in USD per 1M tokens. DuckDB runs this file as is. Other engines need only the type names changed:",
    `--   BigQuery: VARCHAR -> STRING, BIGINT -> INT64, ${price} -> BIGNUMERIC(${scale + 10}, ${scale}), DECIMAL(7, 6) -> NUMERIC(7, 6)`,
    "--   Spark SQL: VARCHAR -> STRING (and spark.sql.decimalOperations.allowPrecisionLoss=false to keep every digit)",
    "-- variant: '' standard, 'batch', …; a price list is in force from effective_from (NULL: any earlier day)",
    "-- until the day before effective_to (NULL: still in force). NULL price: the model does not price that meter.",
    "-- source: the entry's own provenance where it differs from the catalogue's.",
    "CREATE TABLE tl_price (",
    "  model VARCHAR NOT NULL,",
    "  variant VARCHAR NOT NULL,",
    "  effective_from DATE,",
    "  effective_to DATE,",
    ...METERS.map(([meter]) => `  ${meter}_usd_per_mtok ${price},`),
    "  source VARCHAR",
    ");",
  ];
  for (let i = 0; i < rows.length; i += BATCH) {
    out.push("INSERT INTO tl_price VALUES");
    const batch = rows
      .slice(i, i + BATCH)
      .map(
        (r) =>
          `  (${[quote(r.model), quote(r.variant), date(r.from), date(r.to), ...r.rates.map(value), r.source === null ? "NULL" : quote(r.source)].join(", ")})`,
      );
    out.push(`${batch.join(",\n")};`);
  }
  const terms = METERS.map(([meter, tokens]) => `    CASE WHEN u.${tokens} = 0 THEN 0 ELSE u.${tokens} * p.${meter}_usd_per_mtok END`);
  out.push(
    "-- Usage to cost: one row per day × model (a catalogue id) × variant, with its tokens by meter.",
    "CREATE TABLE IF NOT EXISTS tl_usage (",
    "  day DATE NOT NULL,",
    "  model VARCHAR NOT NULL,",
    "  variant VARCHAR NOT NULL,",
    "  team VARCHAR,",
    ...METERS.map(([, tokens]) => `  ${tokens} BIGINT NOT NULL,`),
    "  requests BIGINT",
    ");",
    "-- Each usage row with its cost in USD, exact; NULL when the catalogue has no price for a meter it uses",
    "-- (an unknown model, a variant the model lacks, a day before its first price list).",
    "CREATE VIEW tl_cost AS",
    "SELECT u.*,",
    `  (\n${terms.join(" +\n")}\n  ) * CAST('0.000001' AS DECIMAL(7, 6)) AS cost_usd`,
    "FROM tl_usage u",
    "LEFT JOIN tl_price p",
    "  ON p.model = u.model AND p.variant = u.variant",
    "  AND (p.effective_from IS NULL OR u.day >= p.effective_from)",
    "  AND (p.effective_to IS NULL OR u.day < p.effective_to);",
  );
  return `${out.join("\n")}\n`;
}
