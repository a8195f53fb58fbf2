import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { computeActuals } from "@tokenledger/core/actuals";
import { compileCatalogue } from "@tokenledger/core/catalogue";
import { Dec } from "@tokenledger/core/decimal";
import { beforeAll, describe, expect, it } from "vitest";
import { withPriceChange } from "../../core/test/fixtures/actuals/dated";

/**
 * `llmcalc catalog export --format sql` run in DuckDB, as written, on generated usage: every
 * row's cost equals what llmcalc's actuals pipeline computes for the same usage, digit for digit.
 */

const pkg = fileURLToPath(new URL("..", import.meta.url));
// The reference fixture with a price change, so the warehouse must pick each day's price list.
const data = withPriceChange();
const CATALOGUE = join(mkdtempSync(join(tmpdir(), "llmcalc-sql-")), "dated.json");
writeFileSync(CATALOGUE, JSON.stringify(data));
const catalogue = compileCatalogue(data, "2026-06-15");

beforeAll(() => {
  execFileSync(process.execPath, [`${pkg}build.mjs`]);
});

/** A deterministic generator (mulberry32): the same usage on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Usage {
  day: string;
  model: string;
  variant: string;
  team: string;
  tokens: number[]; // uncached, cache read, write 5m, write 1h, output, reasoning
}

function generate(n: number): Usage[] {
  const next = random(17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  // gpt-4o-mini changes price on 2026-01-01; mistral has no batch variant nor cache prices; acme is unknown.
  const models = [
    "openai/gpt-4o",
    "openai/gpt-4o-mini",
    "anthropic/claude-sonnet-4-6",
    "anthropic/claude-haiku-4-5",
    "mistral/mistral-large-2",
    "acme/unknown",
  ];
  const days = ["2025-11-30", "2025-12-31", "2026-01-01", "2026-03-15", "2026-06-01"];
  const count = () => (next() < 0.3 ? 0 : Math.floor(next() * 10 ** Math.floor(next() * 10)));
  return Array.from({ length: n }, (_, i) => {
    const model = pick(models);
    const cacheless = model.startsWith("mistral") && next() < 0.8;
    return {
      day: pick(days),
      model,
      variant: next() < 0.3 ? "batch" : "",
      team: `r${i}`,
      tokens: [count(), cacheless ? 0 : count(), cacheless ? 0 : count(), cacheless ? 0 : count(), count(), count()],
    };
  });
}

/** The same usage as the CSV llmcalc actuals reads: input is the whole prompt. */
function csvOf(rows: Usage[]): string {
  const lines = rows.map(({ day, model, variant, team, tokens: [u, r, w5, w1, o, t] }) =>
    [day, model, team, u + r + w5 + w1, r, w5, w1, o, t, variant === "batch"].join(","),
  );
  return `date,model,team,input_tokens,cached_tokens,cache_write_5m,cache_write_1h,output_tokens,reasoning_tokens,batch\n${lines.join("\n")}\n`;
}

describe("catalog export --format sql", () => {
  it("runs in DuckDB as written and costs generated usage exactly as llmcalc does", async () => {
    const sql = spawnSync(process.execPath, [`${pkg}bin/llmcalc.mjs`, "catalog", "export", "--format", "sql", "--catalog", CATALOGUE], {
      encoding: "utf8",
    });
    expect(sql.status).toBe(0);
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    await connection.run(sql.stdout);

    const usage = generate(2000);
    const values = usage.map((u) => `(DATE '${u.day}', '${u.model}', '${u.variant}', '${u.team}', ${u.tokens.join(", ")}, 1)`);
    await connection.run(`INSERT INTO tl_usage VALUES ${values.join(",\n")}`);
    const reader = await connection.runAndReadAll("SELECT team, CAST(cost_usd AS VARCHAR) AS cost FROM tl_cost");
    const warehouse = new Map(reader.getRowObjectsJS().map((r) => [r.team as string, r.cost as string | null]));

    // One team per usage row, so each actuals row is one usage row.
    const actuals = computeActuals([{ name: "usage.csv", text: csvOf(usage) }], catalogue);
    expect(actuals.rows).toHaveLength(usage.length);
    let priced = 0;
    for (const row of actuals.rows) {
      const cost = warehouse.get(row.team);
      expect(cost === null ? null : new Dec(cost as string).toString(), row.team).toBe(row.cost === null ? null : row.cost.toString());
      if (row.cost !== null) priced++;
    }
    // Both sides leave out the same rows (unknown model, mistral's batch and cache meters); most are priced.
    expect(priced).toBeGreaterThan(1000);
    connection.closeSync();
  });
});
