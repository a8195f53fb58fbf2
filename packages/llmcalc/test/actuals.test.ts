import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { REFERENCE_CATALOGUE } from "../../../test/reference";

/** `llmcalc actuals` as users run it, on core's export fixtures priced with the reference fixture. */

const pkg = fileURLToPath(new URL("..", import.meta.url));
const BIN = `${pkg}bin/llmcalc.mjs`;
const FIXTURES = fileURLToPath(new URL("../../core/test/fixtures/actuals/", import.meta.url));
const CATALOG = ["--catalog", REFERENCE_CATALOGUE];

function llmcalc(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, "actuals", ...args], { encoding: "utf8" });
  return { code: r.status, lines: r.stdout.split("\n").slice(0, -1), stderr: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [`${pkg}build.mjs`]);
});

describe("llmcalc actuals", () => {
  it("--json prints one object per month × model, money as exact decimal text, then the total", () => {
    const r = llmcalc(`${FIXTURES}openai-usage.json`, `${FIXTURES}openai-costs.json`, ...CATALOG, "--json");
    expect(r.code).toBe(0);
    const objects = r.lines.map((l) => JSON.parse(l));
    expect(objects.slice(0, 3).map((o) => [o.month, o.model, o.requests, o.cost, o.billed, o.difference, o.percent])).toEqual([
      // Worked in core's actuals.test.ts: 3.25, 0.27 and 1.625 at catalogue prices; June billed 10 % less.
      ["2026-05", "openai/gpt-4o", 500, "3.25", "3.25", "0", "0"],
      ["2026-05", "openai/gpt-4o-mini", 1000, "0.27", "0.27", "0", "0"],
      ["2026-06", "openai/gpt-4o", 250, "1.625", "1.4625", "-0.1625", "-10"],
    ]);
    expect(objects[0].tokens).toEqual({
      uncached_input: 800000,
      cache_read: 200000,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 100000,
      reasoning: 0,
    });
    const last = objects[3];
    expect([last.total.cost, last.total.billed, last.lines, last.problems]).toEqual(["5.145", "4.9825", 9, []]);
    expect(last.files.map((f: { format: string }) => f.format)).toEqual(["openai-usage", "openai-costs"]);
  });

  it("prints a table with the detected mapping and the problems", () => {
    const r = llmcalc(`${FIXTURES}openrouter-activity.json`, ...CATALOG);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/openrouter-activity\.json: openrouter$/);
    expect(r.lines[1].split(/\s{2,}/)).toEqual([
      "month",
      "model",
      "requests",
      "uncached in",
      "cache read",
      "cache write",
      "output",
      "reasoning",
      "cost USD",
      "billed USD",
      "difference",
      "%",
    ]);
    // 0.105 + 0.45 computed; the unknown model's 0.001 billed is in the billed total only.
    expect(
      r.lines
        .find((l) => l.startsWith("total"))
        ?.split(/\s+/)
        .slice(-3),
    ).toEqual(["—", "0.556", "—"]);
    expect(r.lines.at(-1)).toMatch(/^ {2}costing: unknown model "mystery\/model-x"/);
  });

  it("--format overrides detection; an unreadable file exits 1 and a bad option 2", () => {
    expect(llmcalc(`${FIXTURES}usage.csv`, "--format", "openai-usage", ...CATALOG)).toMatchObject({
      code: 1,
      lines: [expect.stringMatching(/^Cannot read: openai-usage: the file is not JSON/)],
    });
    expect(llmcalc(`${FIXTURES}nothing.json`).lines).toEqual([`Cannot read: ${FIXTURES}nothing.json: no such file.`]);
    expect(llmcalc("--format", "excel", "x.csv")).toMatchObject({
      code: 2,
      lines: [expect.stringMatching(/^--format must be one of openai-usage, /), expect.any(String)],
    });
  });
});
