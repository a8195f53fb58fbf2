import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REFERENCE_CATALOGUE } from "../../../test/reference";
import { beforeAll, describe, expect, it } from "vitest";

/** The built CLI as users run it: bin/llmcalc.mjs importing the bundle build.mjs writes. */

const pkg = fileURLToPath(new URL("..", import.meta.url));
const BIN = `${pkg}bin/llmcalc.mjs`;
const fixture = (name: string) => `${pkg}test/fixtures/${name}`;
const SONNET = '"anthropic/claude-sonnet-4-6"';

/** Formulas price with the reference fixture unless a test names its own catalogue. */
function llmcalc(args: string[], input?: string | Buffer) {
  const own = args[0] === "catalog" || args.some((a) => a.startsWith("--catalog"));
  const r = spawnSync(process.execPath, [BIN, ...(own ? [] : ["--catalog", REFERENCE_CATALOGUE]), ...args], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split("\n").slice(0, -1) };
}

beforeAll(() => {
  // Always the current sources: the same build the root `prepare` script runs.
  execFileSync(process.execPath, [`${pkg}build.mjs`]);
});

describe("llmcalc", () => {
  it("prints one result per formula argument", () => {
    const r = llmcalc([`=TL.LLMCOST(${SONNET},1500,300)`, `TL.LLMCOST("claude-sonet-4-6",1500,300)`, "=TL.TOKENCOST(0.3,0,1,0)"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.lines).toEqual([
      // 1500 × 3 / 1e6 + 300 × 15 / 1e6 (catalogue-2026-06.md).
      "0.009",
      '#N/A unknown model "claude-sonet-4-6": did you mean anthropic/claude-sonnet-4-6, anthropic/claude-opus-4-7 or anthropic/claude-haiku-4-5?',
      // 0.3 × 1 / 1e6: the double 3e-7, written without an exponent.
      "0.0000003",
    ]);
  });

  it("prints a spill as tab-separated rows", () => {
    // 100 × 1.5^m, m = 0 … 2.
    expect(llmcalc(["=TL.FORECAST(100,3,0.5)"]).stdout).toBe("100\n150\n225\n");
    const groq = llmcalc(['=TL.MODELS("groq")']).lines.map((l) => l.split("\t"));
    expect(groq[0].slice(0, 5)).toEqual(["id", "provider", "name", "input", "output"]);
    // Groq's Llama 3.3 70B and 3.1 8B: 0.59 / 0.79 and 0.05 / 0.08 (catalogue-2026-06.md).
    expect(groq.slice(1).map((row) => row.slice(0, 5))).toEqual([
      ["groq/llama-3.3-70b", "groq", "Llama 3.3 70B (Groq)", "0.59", "0.79"],
      ["groq/llama-3.1-8b", "groq", "Llama 3.1 8B (Groq)", "0.05", "0.08"],
    ]);
  });

  it("--exact prints the core's decimals when the formula is one TL call", () => {
    const r = llmcalc(["--exact", "=TL.TOKENCOST(123456789,0,1.23456789,0)", "=1*TL.TOKENCOST(123456789,0,1.23456789,0)"]);
    // 123456789 × 1.23456789 / 1e6 exactly; the second formula is the double's shortest text.
    expect(r.lines).toEqual(["152.41578750190521", String(152.41578750190521)]);
  });

  it("--json prints one object per formula", () => {
    const r = llmcalc(["--json", "=TL.TOKENCOST(0.3,0,1,0)", '=TL.LLMCOST("x",1,1)', "=TL.FORECAST(100,2,0.5)", '="a"&"b"']);
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([
      { formula: "=TL.TOKENCOST(0.3,0,1,0)", value: 3e-7, exact: "0.0000003" },
      { formula: '=TL.LLMCOST("x",1,1)', error: "#N/A", message: expect.stringMatching(/^unknown model "x": did you mean /) },
      { formula: "=TL.FORECAST(100,2,0.5)", value: [[100], [150]] },
      { formula: '="a"&"b"', value: "ab" },
    ]);
  });

  it("exits 1 with --strict when a formula or a spilled cell errs", () => {
    expect(llmcalc(["=1/0"]).code).toBe(0);
    expect(llmcalc(["--strict", "=1/0"]).code).toBe(1);
    expect(llmcalc(["--strict", "=TL.FORECAST(1,2)/{0;1}"]).code).toBe(1);
    expect(llmcalc(["--strict", "=1+1", `=TL.LLMCOST(${SONNET},1500,300)`]).code).toBe(0);
  });

  it("reads formulas from standard input, one a line, skipping blank lines", () => {
    const r = llmcalc(["--json"], `=1+1\r\n\r\n   \nTL.LLMCOST(${SONNET},1500,300)\n`);
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([
      { formula: "=1+1", value: 2, exact: "2" },
      { formula: `TL.LLMCOST(${SONNET},1500,300)`, value: 0.009, exact: "0.009" },
    ]);
  });

  it("answers every line of garbage with one result and never a stack trace", () => {
    // 10,000 lines of pseudo-random bytes (no line breaks inside a line), from a fixed seed.
    let state = 1;
    const random = () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
    const byte = () => {
      const b = Math.floor(random() * 256);
      return b === 10 || b === 13 ? 32 : b;
    };
    const lines = Array.from({ length: 10_000 }, () => Buffer.from(Array.from({ length: Math.floor(random() * 80) }, byte)));
    const hostile = [
      `=${"(".repeat(100_000)}1${")".repeat(100_000)}`,
      `=${"1+".repeat(200_000)}1`,
      `="${"a".repeat(1_000_000)}"`,
      `=TL.LLMCOST("${"b".repeat(100_000)}",1,1)`,
      '=TL.LLMCOST("unbalanced,1,1)',
      "=TL.LLMCOST(((",
      "=\u0000\ud800",
      "=TL.FORECAST(1,1048577)",
    ].map((l) => Buffer.from(l));
    const input = Buffer.concat([...lines, ...hostile].flatMap((l) => [l, Buffer.from("\n")]));
    const expected = input
      .toString("utf8")
      .split("\n")
      .slice(0, -1)
      .filter((l) => l.trim() !== "").length;
    const r = llmcalc([], input);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.lines).toHaveLength(expected);
    expect(r.lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
    expect(r.lines.slice(-8).map((l) => l.slice(0, 30))).toEqual([
      "#ERROR! cannot evaluate: Maxim",
      "#ERROR! cannot evaluate: Maxim",
      "a".repeat(30),
      `#N/A unknown model "${"b".repeat(10)}`,
      "#ERROR! Parsing error: not a v",
      "#ERROR! Parsing error: not a v",
      "#ERROR! Parsing error: not a v",
      "#VALUE! months: must be ≤ 1048",
    ]);
  });

  it("--catalog prices with a catalogue file, and a bad file is one sentence and exit 2", () => {
    // acme/m1 at 1 / 2 USD per 1M tokens.
    expect(llmcalc(["--catalog", fixture("acme-catalogue.json"), '=TL.LLMCOST("acme/m1",1000000,1000000)']).lines).toEqual(["3"]);
    const bad = llmcalc([`--catalog=${fixture("bad-price.json")}`, "=1"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^llmcalc: the catalogue .*bad-price\.json does not fit TokenLedger's catalogue schema: [^\n]*\.\n$/);
    expect(llmcalc(["--catalog", fixture("missing.json"), "=1"]).code).toBe(2);
  });

  it("refuses an unknown option, explains itself with --help, and hands `catalog` to its module", () => {
    expect(llmcalc(["--bogus"])).toMatchObject({ code: 2, stderr: "llmcalc: unknown option --bogus (see llmcalc --help)\n" });
    const help = llmcalc(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--exact");
    expect(help.stdout).toContain("whole formula is one TL call");
    // A formula may start with "-" after "--".
    expect(llmcalc(["--", "-1+3"]).lines).toEqual(["2"]);
    const catalog = llmcalc(["catalog"]);
    expect(catalog.stdout + catalog.stderr).toContain("llmcalc catalog");
  });
});
