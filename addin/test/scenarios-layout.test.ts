import { Dec, FUNCTIONS, TlError, invoke, toPlain } from "@tokenledger/core";
import { compileCatalogue, setActiveCatalogue, withReference } from "@tokenledger/core/catalogue";
import { referenceCatalogue } from "../../test/reference";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { column } from "../src/taskpane/scenarios/a1";
import { FORECAST_DEFAULTS, defaultScenarios, forecastLayout } from "../src/taskpane/scenarios/forecast";
import { argList, argValue, offered, valueList, valuesAround } from "../src/taskpane/scenarios/functions";
import { type Cell, type SheetLayout, isFormula } from "../src/taskpane/scenarios/layout";
import { SELFHOST_DEFAULTS, selfHostLayout } from "../src/taskpane/scenarios/selfhost";
import { sensitivityLayout } from "../src/taskpane/scenarios/sensitivity";
import { TORNADO_SWING, tornadoLayout } from "../src/taskpane/scenarios/tornado";

/**
 * The scenario layouts, without Excel: every formula parses and names only TL functions and
 * the few standard ones the builders use, and the sheets, evaluated headless (TL functions
 * through core's `invoke`, the glue arithmetic as Excel's doubles), give hand-worked numbers
 * for the task pane's default inputs.
 */

const SONNET = "anthropic/claude-sonnet-4-6";
const H200 = "8xh200-sxm";

// --- a small formula evaluator: enough Excel for the formulas the builders write ---------------

/** Standard Excel functions a builder may use. */
const EXCEL_FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  SUM: (args) => args.flatMap((a) => (Array.isArray(a) ? a.flat() : [a])).reduce<number>((t, v) => t + (typeof v === "number" ? v : 0), 0),
  MAX: (args) => Math.max(...args.map(num)),
  MIN: (args) => Math.min(...args.flatMap((a) => (Array.isArray(a) ? a.flat() : [a])).map(num)),
  CEILING: ([x, step]) => Math.ceil(num(x) / num(step)) * num(step),
};

type Scalar = number | string | boolean | null | TlError;
type Value = Scalar | Scalar[][];

function num(v: Value): number {
  if (v === null) return 0;
  if (typeof v === "number") return v;
  throw new Error(`not a number: ${v instanceof TlError ? `${v.kind} ${v.message}` : JSON.stringify(v)}`);
}

type Node =
  | { kind: "number"; value: number }
  | { kind: "text"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "ref"; from: string; to?: string }
  | { kind: "call"; name: string; args: (Node | null)[] }
  | { kind: "unary"; op: string; arg: Node }
  | { kind: "binary"; op: string; left: Node; right: Node };

const TOKEN =
  /\s*(?:("(?:[^"]|"")*")|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![\w.(])|([A-Z][A-Z0-9._]*)\(|([-+*/^&(),])|(TRUE|FALSE)(?![\w.(]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read "${text.slice(at)}" in ${text}`);
    tokens.push(m[4] !== undefined ? `${m[4]}(` : m[0].trim());
  }
  return tokens;
}

/** Parses an Excel formula (without its "="); throws on anything it cannot read. */
function parse(formula: string): Node {
  const tokens = tokenize(formula);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected)) throw new Error(`expected ${expected ?? "more"} in ${formula}`);
    return t;
  };
  const binary = (ops: string[], next: () => Node) => (): Node => {
    let left = next();
    while (ops.includes(peek())) {
      const op = take();
      left = { kind: "binary", op, left, right: next() };
    }
    return left;
  };
  // Excel's precedence: unary minus, then ^, then * /, then + -, then &.
  const primary = (): Node => {
    const t = take();
    if (t === "(") {
      const e = concat();
      take(")");
      return e;
    }
    if (t === "-" || t === "+") return { kind: "unary", op: t, arg: primary() };
    if (t.startsWith('"')) return { kind: "text", value: t.slice(1, -1).replaceAll('""', '"') };
    if (t === "TRUE" || t === "FALSE") return { kind: "boolean", value: t === "TRUE" };
    if (/^\d/.test(t)) return { kind: "number", value: Number(t) };
    if (t.endsWith("(")) {
      const args: (Node | null)[] = [];
      if (peek() === ")") take();
      else {
        for (;;) {
          args.push(peek() === "," || peek() === ")" ? null : concat());
          if (take() === ")") break;
        }
      }
      return { kind: "call", name: t.slice(0, -1), args };
    }
    const [from, to] = t.replaceAll("$", "").split(":");
    if (/^[A-Z]+\d+$/.test(from)) return { kind: "ref", from, to };
    throw new Error(`unexpected ${t} in ${formula}`);
  };
  const power = binary(["^"], primary);
  const product = binary(["*", "/"], power);
  const sum = binary(["+", "-"], product);
  const concat = binary(["&"], sum);
  const tree = concat();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${formula}`);
  return tree;
}

/** Every function a formula calls. */
function functionsIn(node: Node | null): string[] {
  if (!node) return [];
  switch (node.kind) {
    case "call":
      return [node.name, ...node.args.flatMap(functionsIn)];
    case "unary":
      return functionsIn(node.arg);
    case "binary":
      return [...functionsIn(node.left), ...functionsIn(node.right)];
    default:
      return [];
  }
}

function parseRef(ref: string): [row: number, col: number] {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  return [Number(m[2]), [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0)];
}

/** A layout as a sheet whose cells evaluate on demand, spills included. */
class Sheet {
  private readonly cells = new Map<string, Cell>();
  private readonly values = new Map<string, Value>();
  private readonly spills = new Map<string, Scalar>();

  constructor(layout: SheetLayout) {
    for (const block of layout.blocks) {
      const [top, left] = parseRef(block.address.split(":")[0]);
      block.cells.forEach((row, r) => row.forEach((c, k) => c !== "" && this.cells.set(`${column(left + k)}${top + r}`, c)));
    }
  }

  private placed = false;

  get(ref: string): Value {
    if (this.values.has(ref)) return this.values.get(ref)!;
    const c = this.cells.get(ref);
    if (c === undefined) {
      // Perhaps inside a spill: the first time, evaluate every TL formula, which places them.
      if (!this.placed) {
        this.placed = true;
        for (const [at, cell] of this.cells) if (isFormula(cell) && cell.formula.startsWith("=TL.")) this.get(at);
      }
      return this.spills.get(ref) ?? null;
    }
    let v: Value;
    if (isFormula(c)) {
      v = this.eval(parse(c.formula.slice(1)));
      if (Array.isArray(v)) {
        const [top, left] = parseRef(ref);
        v.forEach((row, r) => row.forEach((x, k) => this.spills.set(`${column(left + k)}${top + r}`, x)));
        v = v[0][0];
      }
    } else v = c;
    this.values.set(ref, v);
    return v;
  }

  number(ref: string): number {
    return num(this.get(ref));
  }

  private range(from: string, to: string): Scalar[][] {
    const [r1, c1] = parseRef(from);
    const [r2, c2] = parseRef(to);
    return Array.from({ length: r2 - r1 + 1 }, (_, r) =>
      Array.from({ length: c2 - c1 + 1 }, (_, k) => this.get(`${column(c1 + k)}${r1 + r}`) as Scalar),
    );
  }

  private eval(node: Node): Value {
    switch (node.kind) {
      case "number":
      case "text":
      case "boolean":
        return node.value;
      case "ref":
        return node.to ? this.range(node.from, node.to) : this.get(node.from);
      case "unary":
        return node.op === "-" ? -num(this.eval(node.arg)) : num(this.eval(node.arg));
      case "binary": {
        const l = this.eval(node.left);
        const r = this.eval(node.right);
        if (node.op === "&") return `${l}${r}`;
        const [a, b] = [num(l), num(r)];
        return node.op === "+" ? a + b : node.op === "-" ? a - b : node.op === "*" ? a * b : node.op === "/" ? a / b : a ** b;
      }
      case "call": {
        const args = node.args.map((a) => (a === null ? null : this.eval(a)));
        if (node.name.startsWith("TL.")) {
          const result = toPlain(invoke(FUNCTIONS[node.name.slice(3)], args));
          return result;
        }
        return EXCEL_FUNCTIONS[node.name](args);
      }
    }
  }
}

function formulasOf(layout: SheetLayout): string[] {
  return layout.blocks.flatMap((b) =>
    b.cells
      .flat()
      .filter(isFormula)
      .map((c) => c.formula),
  );
}

/** Checks every formula of a layout parses and calls only TL functions of the registry and the standard ones above. */
function expectWellFormed(layout: SheetLayout): void {
  const formulas = formulasOf(layout);
  expect(formulas.length).toBeGreaterThan(0);
  for (const formula of formulas) {
    expect(formula.startsWith("=")).toBe(true);
    let depth = 0;
    for (const ch of formula.replace(/"(?:[^"]|"")*"/g, "")) {
      depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
      expect(depth, formula).toBeGreaterThanOrEqual(0);
    }
    expect(depth, formula).toBe(0);
    for (const name of functionsIn(parse(formula.slice(1)))) {
      const known = name.startsWith("TL.") ? name.slice(3) in FUNCTIONS : name in EXCEL_FUNCTIONS;
      expect(known, `${name} in ${formula}`).toBe(true);
    }
  }
}

/** Evaluates every formula cell, which must not raise an error. */
function expectNoErrors(sheet: Sheet, layout: SheetLayout): void {
  for (const block of layout.blocks) {
    const [top, left] = parseRef(block.address.split(":")[0]);
    block.cells.forEach((row, r) =>
      row.forEach((c, k) => {
        if (!isFormula(c)) return;
        const v = sheet.get(`${column(left + k)}${top + r}`);
        expect(v instanceof TlError ? `${v.kind}: ${v.message}` : "ok", c.formula).toBe("ok");
      }),
    );
  }
}

const d = (x: number | string) => new Dec(x);

// --- the evaluator itself ------------------------------------------------------------------------

describe("the test's formula reader", () => {
  it("follows Excel's precedence and refuses what it cannot read", () => {
    const layout: SheetLayout = {
      name: "t",
      blocks: [{ address: "A1:B1", cells: [[2, { formula: '=-A1^2+3*(1+1)&"x"' }]] }],
      numberFormats: [],
      styles: [],
      colorScales: [],
      charts: [],
      columnWidths: [],
      freeze: { rows: 0, columns: 0 },
    };
    // Excel: unary minus binds before ^, so -2^2 = 4; 4 + 6 = 10, then "10" & "x".
    expect(new Sheet(layout).get("B1")).toBe("10x");
    expect(() => parse("SUM(A1")).toThrow();
    expect(() => parse("A1+")).toThrow();
    expect(functionsIn(parse('TL.PRICE($B$2,"input")*MAX(1,2)'))).toEqual(["TL.PRICE", "MAX"]);
  });
});

// --- forecast ------------------------------------------------------------------------------------

describe("forecastLayout", () => {
  const HAIKU = "anthropic/claude-haiku-4-5";
  const inputs = { ...FORECAST_DEFAULTS, scenarios: defaultScenarios(SONNET, HAIKU) };
  const layout = forecastLayout(inputs);
  const sheet = new Sheet(layout);

  it("writes well-formed formulas that evaluate without errors", () => {
    expectWellFormed(layout);
    expectNoErrors(sheet, layout);
  });

  it("keeps one assumptions block: shared inputs, then a column of inputs per scenario", () => {
    const shared = layout.blocks.find((b) => b.address === "A2:C7")!;
    expect(shared.cells.map((r) => [r[0], r[1]])).toEqual([
      ["Currency", "USD"],
      ["Users in month 1", 1000],
      ["Requests per user", 20],
      ["Input tokens", 1500],
      ["Output tokens", 300],
      ["Retry rate", 0.02],
    ]);
    expect(layout.blocks.find((b) => b.address === "A8:C8")!.cells[0][1]).toEqual({ formula: "=TL.FX($B$2)" });
    const scenarios = layout.blocks.find((b) => b.address === "A10:E17")!;
    expect(scenarios.cells.slice(0, 7).map((r) => r.slice(0, 4))).toEqual([
      ["Scenario", "Conservative", "Expected", "Aggressive"],
      ["Monthly user growth", 0.03, 0.05, 0.08],
      ["Annual price change", -0.1, -0.2, -0.3],
      ["Cache hit rate", 0.2, 0.3, 0.4],
      ["Model", SONNET, SONNET, SONNET],
      ["Second model", HAIKU, HAIKU, HAIKU],
      ["Share on second model", 0.1, 0.3, 0.5],
    ]);
    // Each scenario's cost per request: its own mix, cache hit rate and models; shared tokens and retries.
    expect(scenarios.cells[7][2]).toEqual({
      formula: "=(1-$C$16)*TL.MONTHLYCOST($C$14,1,$B$5,$B$6,$C$13,$B$7)+$C$16*TL.MONTHLYCOST($C$15,1,$B$5,$B$6,$C$13,$B$7)",
    });
    expect(layout.styles).toContainEqual({ address: "B11:D16", role: "input" });
  });

  it("writes formulas, not constants, in every month, quarter and year, converting with the rate cell", () => {
    const months = layout.blocks.find((b) => b.address === "F1:I25")!;
    expect(months.cells[0]).toEqual(["Month", "Conservative", "Expected", "Aggressive"]);
    expect(months.cells[1][2]).toEqual({ formula: "=$B$3*(1+$C$11)^(F2-1)*$B$4*$C$17*(1+$C$12)^((F2-1)/12)*$B$8" });
    expect(months.cells.slice(1).every((r) => r.slice(1).every(isFormula))).toBe(true);
    expect(layout.blocks.find((b) => b.address === "K1:N9")!.cells[8]).toEqual([
      "Q8",
      { formula: "=SUM(G23:G25)" },
      { formula: "=SUM(H23:H25)" },
      { formula: "=SUM(I23:I25)" },
    ]);
    expect(layout.blocks.find((b) => b.address === "A19:D22")!.cells[3]).toEqual([
      "Total",
      { formula: "=SUM(G2:G25)" },
      { formula: "=SUM(H2:H25)" },
      { formula: "=SUM(I2:I25)" },
    ]);
  });

  it("costs month 1 of each scenario at the hand-worked figure", () => {
    // Reference prices (catalogue-2026-06.md), USD per 1M: Sonnet 4.6 3 in / 0.30 cache read / 15 out,
    // Haiku 4.5 0.80 / 0.08 / 4. 1,500 input and 300 output tokens; × 1.02 for retries.
    // Expected (30% cached, 30% on Haiku): Sonnet 1,050 × 3 + 450 × 0.30 + 300 × 15 = 7,785 → $0.007785,
    // × 1.02 = 0.0079407; Haiku 1,050 × 0.8 + 450 × 0.08 + 300 × 4 = 2,076 → 0.002076 × 1.02 = 0.00211752;
    // 0.7 × 0.0079407 + 0.3 × 0.00211752 = 0.006193746 a request; × 1,000 users × 20 = $123.87492.
    expect(sheet.number("C17")).toBeCloseTo(0.006193746, 15);
    expect(sheet.number("H2")).toBeCloseTo(123.87492, 9);
    // Conservative (20% cached, 10% on Haiku): Sonnet 1,200 × 3 + 300 × 0.3 + 4,500 = 8,190 → 0.0083538 with
    // retries; Haiku 1,200 × 0.8 + 300 × 0.08 + 1,200 = 2,184 → 0.00222768; 0.9 × … + 0.1 × … = 0.007741188.
    expect(sheet.number("G2")).toBeCloseTo(154.82376, 9);
    // Aggressive (40% cached, half on Haiku): Sonnet 2,700 + 180 + 4,500 = 7,380 → 0.0075276; Haiku
    // 720 + 48 + 1,200 = 1,968 → 0.00200736; half each: 0.00476748.
    expect(sheet.number("I2")).toBeCloseTo(95.3496, 9);
  });

  it("compounds each scenario's growth and price change as FORECAST does; quarters add up to years", () => {
    // The expected column is FORECAST's for its month-1 cost, growth and price change (USD: the rate is 1).
    const forecast = toPlain(invoke(FUNCTIONS.FORECAST, [123.87492, 24, 0.05, -0.2])) as number[][];
    forecast.forEach(([v], m) => expect(sheet.number(`H${m + 2}`)).toBeCloseTo(v, 8));
    // Conservative month 13: 154.82376 × 1.03^12 × 0.9.
    expect(sheet.number("G14")).toBeCloseTo(d("154.82376").times(d("1.03").pow(12)).times(d("0.9")).toNumber(), 8);
    const year1 = forecast.slice(0, 12).reduce((t, [v]) => t + v, 0);
    expect(sheet.number("C20")).toBeCloseTo(year1, 7);
    expect(sheet.number("L2") + sheet.number("L3") + sheet.number("L4") + sheet.number("L5")).toBeCloseTo(sheet.number("B20"), 7);
    expect(sheet.number("D20") + sheet.number("D21")).toBeCloseTo(sheet.number("D22"), 7);
  });

  it("prices the expected request as a conversation and as a routed mix", () => {
    expect(layout.blocks.find((b) => b.address === "A25:C29")!.cells.map((r) => r[1])).toEqual([
      "Value",
      10,
      { formula: "=TL.CONVERSATION_COST($C$14,$B$26,$B$5,$B$6,0,FALSE)" },
      { formula: "=TL.CONVERSATION_COST($C$14,$B$26,$B$5,$B$6,0,TRUE)" },
      { formula: "=$B$27/TL.LLMCOST($C$14,$B$5,$B$6)" },
    ]);
    // 10 turns of 1,500 in / 300 out on Sonnet 4.6: turn k sends k × 1,500 + (k − 1) × 300, so
    // 55 × 1,500 + 45 × 300 = 96,000 input × $3/M = 0.288, + 3,000 output × $15/M = 0.045: 0.333,
    // 37× the 1,500 × 3 + 300 × 15 → 0.009 of one request.
    expect(sheet.number("B27")).toBeCloseTo(0.333, 15);
    expect(sheet.number("B29")).toBeCloseTo(37, 12);
    // Cached: every prompt token written once, p_10 = 10 × 1,500 + 9 × 300 = 17,700 × $3.75/M =
    // 0.066375; the rest read, (96,000 − 17,700) × $0.30/M = 0.02349; output 0.045: 0.134865.
    expect(sheet.number("B28")).toBeCloseTo(0.134865, 15);

    const routing = layout.blocks.find((b) => b.address === "A31:C37")!;
    expect(routing.cells.slice(0, 4)).toEqual([
      ["Routing mix", "Share", "Thinking"],
      [{ formula: "=$C$14" }, { formula: "=1-SUM(B33:B34)" }, ""],
      ["deepseek/deepseek-r1", 0.25, "medium"],
      ["openai/o3", 0.05, "high"],
    ]);
    expect(routing.cells.slice(4).map((r) => r[1])).toEqual([
      0.0005,
      { formula: "=TL.ROUTECOST($A$32:$A$34,$B$32:$B$34,$B$5,$B$6,$C$32:$C$34,$B$35)" },
      { formula: "=$B$36*$B$3*$B$4*(1+$B$7)*$B$8" },
    ]);
    expect(layout.styles).toContainEqual({ address: "A33:C34", role: "input" });
    // The expected model takes 1 − 0.25 − 0.05 = 0.7 at 0.009; DeepSeek R1 at medium (4,000
    // thinking tokens, billed as output): 1,500 × 0.55 + 4,300 × 2.19 = 10,242 → 0.010242; o3 at
    // high (8,000): 1,500 × 15 + 8,300 × 60 = 520,500 → 0.5205. 0.7 × 0.009 = 0.0063, 0.25 ×
    // 0.010242 = 0.0025605, 0.05 × 0.5205 = 0.026025, + 0.0005 router: 0.0353855.
    expect(sheet.number("B32")).toBeCloseTo(0.7, 15);
    expect(sheet.number("B36")).toBeCloseTo(0.0353855, 15);
    // Month 1: 1,000 users × 20 requests × 0.0353855 × 1.02 retries = 721.8642 (USD: the rate is 1).
    expect(sheet.number("B37")).toBeCloseTo(721.8642, 9);
  });

  it("keeps a conversation at least its turns' worth of requests, cached never dearer, and the shares whole", () => {
    const share = fc.integer({ min: 0, max: 50 }).map((p) => p / 100);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), share, share, (turns, r1, o3) => {
        const [deepseek, openai] = FORECAST_DEFAULTS.routes;
        const s = new Sheet(
          forecastLayout({
            ...inputs,
            turns,
            routes: [
              { ...deepseek, share: r1 },
              { ...openai, share: o3 },
            ],
          }),
        );
        // From two turns on, Sonnet's reads at 0.30 save more than its writes at 3.75 cost over input
        // at 3 (one turn only writes: 1,500 × 3.75 > 1,500 × 3); every turn sends at least one request's tokens.
        expect(s.number("B28")).toBeLessThanOrEqual(s.number("B27"));
        expect(s.number("B29")).toBeGreaterThanOrEqual(turns - 1e-9);
        expect(s.number("B32")).toBeCloseTo(1 - r1 - o3, 12);
        expect(s.number("B37")).toBeCloseTo(s.number("B36") * 1000 * 20 * 1.02, 9);
      }),
      { numRuns: 40 },
    );
  });

  it("shows the costs in the chosen currency through TL.FX", () => {
    setActiveCatalogue(
      compileCatalogue(
        withReference(referenceCatalogue().data, [
          // 1 ÷ 1.25: 0.8 EUR per USD from this publication on.
          { date: "2026-01-02", per_eur: { USD: "1.25", GBP: "0.85" } },
        ]),
      ),
    );
    try {
      const eur = new Sheet(forecastLayout({ ...inputs, currency: "EUR" }));
      expect(eur.number("B8")).toBe(0.8);
      // 123.87492 USD × 0.8.
      expect(eur.number("H2")).toBeCloseTo(99.099936, 9);
      expect(eur.get("B23")).toBe("EUR");
      // The routed month 1 follows the rate too: 721.8642 USD × 0.8; the conversation stays in USD.
      expect(eur.number("B37")).toBeCloseTo(577.49136, 9);
      expect(eur.number("B27")).toBeCloseTo(0.333, 15);
    } finally {
      setActiveCatalogue(referenceCatalogue());
    }
  });

  it("has 36 rows, 12 quarters and 3 years when asked for 36 months, and one chart of three lines", () => {
    const long = forecastLayout({ ...inputs, months: 36 });
    // The conversation and routing blocks move down a row with the third year.
    expect(long.blocks.map((b) => b.address)).toEqual([
      "A1:C1",
      "A2:C7",
      "A8:C8",
      "A10:E17",
      "F1:I37",
      "K1:N13",
      "A19:D23",
      "A24:B24",
      "A26:C30",
      "A32:C38",
    ]);
    expect(long.charts).toHaveLength(1);
    expect(long.charts[0]).toMatchObject({ type: "Line", source: "G1:I37", categories: "F2:F37" });
  });

  it("formats rates as percentages and costs without a currency symbol", () => {
    const format = (address: string) => layout.numberFormats.find((f) => f.address === address)?.format;
    expect(format("B7")).toBe("0.0%");
    expect(format("B11:D13")).toBe("0.0%");
    expect(format("B16:D16")).toBe("0.0%");
    expect(format("G2:I25")).toBe("#,##0.00");
    expect(format("L2:N9")).toBe("#,##0.00");
    expect(layout.freeze).toEqual({ rows: 1, columns: 0 });
  });
});

// --- sensitivity grid ----------------------------------------------------------------------------

describe("sensitivityLayout", () => {
  const inputs = {
    fn: "LLMCOST",
    args: [SONNET, 1500, 300],
    rowArg: 1,
    colArg: 2,
    rowValues: [750, 1125, 1500, 1875, 2250],
    colValues: [150, 225, 300, 375, 450],
  };
  const layout = sensitivityLayout(inputs);
  const sheet = new Sheet(layout);

  it("writes one plain formula a cell, pointing at its headers and the base arguments", () => {
    expectWellFormed(layout);
    expectNoErrors(sheet, layout);
    expect(layout.blocks[0].cells).toEqual([
      ["TL.LLMCOST", "Model", "Input tokens", "Output tokens"], // argument names as people say them
      ["value", SONNET, "↓ (rows)", "→ (columns)"],
    ]);
    const grid = layout.blocks[1];
    expect(grid.address).toBe("A4:F9");
    expect(grid.cells[0]).toEqual(["Input tokens ↓  Output tokens →", 150, 225, 300, 375, 450]);
    expect(grid.cells[1][1]).toEqual({ formula: "=TL.LLMCOST($B$2,$A5,B$4)" });
    expect(grid.cells[5][5]).toEqual({ formula: "=TL.LLMCOST($B$2,$A9,F$4)" });
    expect(layout.colorScales).toEqual([{ address: "B5:F9", higherIsBetter: false }]);
    expect(layout.freeze).toEqual({ rows: 4, columns: 1 });
  });

  it("gives the contract's example at the base and hand-worked corners", () => {
    // Sonnet 4.6 at $3/M in, $15/M out: 1,500 × 3e-6 + 300 × 15e-6 = 0.0045 + 0.0045 = 0.009
    // (functions.md, Headless use); 750 in / 150 out is half that; 2,250 / 450 one and a half.
    expect(sheet.number("D7")).toBe(0.009);
    expect(sheet.number("B5")).toBe(0.0045);
    expect(sheet.number("F9")).toBe(0.0135);
  });

  it("may vary a text argument, and keeps optional arguments given in the middle", () => {
    const models = sensitivityLayout({
      fn: "MONTHLYCOST",
      args: [SONNET, 20000, 1500, 300, 0.3],
      rowArg: 1,
      colArg: 0,
      rowValues: [10000, 20000],
      colValues: [SONNET, "anthropic/claude-haiku-4-5"],
    });
    expectWellFormed(models);
    expect(models.blocks[1].cells[1][2]).toEqual({ formula: "=TL.MONTHLYCOST(C$4,$A5,$D$2,$E$2,$F$2)" });
    // Haiku 4.5 ($0.80 in, $0.08 cache read, $4 out): 1,050 × 0.8 + 450 × 0.08 + 300 × 4 = 2,076
    // per 1M requests' worth, $0.002076 a request; × 20,000 = $41.52.
    expect(new Sheet(models).number("C6")).toBe(41.52);
  });

  it("shades savings green where they are highest", () => {
    const savings = sensitivityLayout({
      ...inputs,
      fn: "CACHE_SAVINGS",
      args: [SONNET, 10000, 1000, 50],
      rowValues: [1000, 5000],
      colValues: [500, 1000],
    });
    expect(savings.colorScales).toEqual([{ address: "B5:C6", higherIsBetter: true }]);
  });

  it("refuses what the grid cannot hold", () => {
    expect(() => sensitivityLayout({ ...inputs, colArg: 1 })).toThrow("must differ");
    expect(() => sensitivityLayout({ ...inputs, rowArg: 9 })).toThrow("has no argument 10");
    expect(() => sensitivityLayout({ ...inputs, rowValues: [] })).toThrow("input_tokens: list 1 to 200 values");
    expect(() => sensitivityLayout({ ...inputs, fn: "MODELS" })).toThrow("not offered");
    // A blank before a given argument would reach a TL function as 0 from an empty cell.
    expect(() => sensitivityLayout({ ...inputs, args: [SONNET, 1500, 300, "", 10] })).toThrow("cached_tokens: give a value");
  });
});

// --- self-host -----------------------------------------------------------------------------------

describe("selfHostLayout", () => {
  const layout = selfHostLayout({ hardware: H200, tokensPerSecond: 31303, apiModel: SONNET, ...SELFHOST_DEFAULTS });
  const sheet = new Sheet(layout);

  it("writes well-formed formulas that evaluate without errors, leaving kw to the catalogue", () => {
    expectWellFormed(layout);
    expectNoErrors(sheet, layout);
    expect(layout.blocks.find((b) => b.address === "E1")!.cells).toEqual([
      [{ formula: "=TL.GPU_TCO_LINES($B$2,$B$3,,$B$4,$B$5,$B$6,$B$7,$B$8)" }],
    ]);
  });

  it("gives the hand-worked TCO, node-hour, cost per 1M tokens and break-even", () => {
    // 8×H200 (catalogue-2026-06.md): capex $330,000 over 3 years = $110,000 a year; power
    // 10 kW × 1.4 PUE × 8,760 h × $0.10 = $12,264 a year; no colo, maintenance or ops.
    expect([sheet.get("E2"), sheet.get("F2"), sheet.get("I2")]).toEqual(["capex", 110000, 330000]);
    expect([sheet.get("E3"), sheet.get("F3"), sheet.get("I3")]).toEqual(["power", 12264, 36792]);
    expect(sheet.get("I7")).toBe(366792);
    // Node-hour: 366,792 ÷ (3 × 8,760) = 13.9570776…; a year: 366,792 ÷ 3 = 122,264.
    expect(sheet.number("B15")).toBeCloseTo(366792 / 26280, 12);
    expect(sheet.number("B16")).toBe(122264);
    // Per 1M tokens at 50%: 13.9570776… ÷ (31,303 × 3,600 × 0.5) × 1e6 = 0.24770…
    const perM = d(366792).div(26280).div(d(31303).times(1800)).times(1e6);
    expect(sheet.number("B17")).toBeCloseTo(perM.toNumber(), 12);
    // Blend: 0.7 × $3 + 0.3 × $15 = $6.60 per 1M; break-even 122,264 ÷ 6.60 × 1e6 tokens a year.
    expect(sheet.number("B18")).toBeCloseTo(6.6, 12);
    const breakeven = d(122264).div("6.6").times(1e6);
    expect(sheet.number("B19")).toBe(breakeven.toNumber());
    // = 18,524,848,484.8… tokens, against one node's 31,303 × 31,536,000 a year: 1.88%.
    expect(sheet.number("B20")).toBeCloseTo(breakeven.div(d(31303).times(31536000)).toNumber(), 12);
  });

  it("meets the API line at the break-even volume", () => {
    // Row 35 is 1 × break-even: API spend there is the self-hosting year (one node suffices).
    expect(sheet.get("A35")).toBe(1);
    expect(sheet.number("C35")).toBeCloseTo(122264, 6);
    expect(sheet.number("D35")).toBe(122264);
    expect(sheet.number("C30")).toBe(0);
    expect(sheet.number("D30")).toBe(122264);
    // Per 1M tokens at 100% is half that at 50%.
    expect(sheet.number("B27")).toBeCloseTo(sheet.number("B25") / 2, 12);
  });
});

describe("selfHostLayout: the demand curve", () => {
  const layout = selfHostLayout({ hardware: H200, tokensPerSecond: 31303, apiModel: SONNET, ...SELFHOST_DEFAULTS });
  const sheet = new Sheet(layout);
  /** The default day: 1,171,000 tokens/s-hours, 20,000 at night to 80,000 mid-afternoon. */
  const dayTotal = SELFHOST_DEFAULTS.demand.reduce((t, x) => t + x, 0);

  it("sizes the fleet with CAPACITY_PLAN over the hourly column", () => {
    expect(dayTotal).toBe(1_171_000);
    expect(layout.blocks.find((b) => b.address === "D45")!.cells).toEqual([
      [{ formula: "=TL.CAPACITY_PLAN($B$43:$B$66,$B$9,$E$43,$E$44)" }],
    ]);
    // PERCENTILE.INC at 0.95 of 24 hours: rank 0.95 × 23 = 21.85, between the sorted 78,000 and 78,000:
    // 78,000; × 1.2 = 93,600 ÷ 31,303 = 2.99 → 3 nodes, 93,909 tokens/s. Nothing exceeds it, so the
    // utilisation is the whole day over the capacity: 1,171,000 ÷ (93,909 × 24).
    expect([sheet.get("D45"), sheet.number("E45")]).toEqual(["units", 3]);
    expect(sheet.number("E46")).toBe(93909);
    expect(sheet.number("E47")).toBeCloseTo(1_171_000 / (93909 * 24), 12);
    expect([sheet.number("E48"), sheet.number("E49")]).toEqual([0, 0]);
  });

  it("costs a day of owned nodes plus API overflow with HYBRID_COST, cheapest at the plan", () => {
    expect(layout.blocks.find((b) => b.address === "D51:E60")!.cells[3]).toEqual([
      { formula: "=CEILING($E$45*2/4,1)" },
      { formula: "=TL.HYBRID_COST($B$43:$B$66,D54,$B$9,B15,B18)" },
    ]);
    // Nodes: 0, 1, 2, 3, 3, 4, 5, 6, 6 (a quarter of the plan's 3 at a time, rounded up).
    expect([52, 53, 54, 55, 56, 57, 58, 59, 60].map((r) => sheet.number(`D${r}`))).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 6]);
    // No nodes: 1,171,000 × 3,600 s × $6.60/M = $27,822.96 a day, all API.
    expect(sheet.number("E52")).toBeCloseTo(27822.96, 8);
    // Two nodes (62,606 tokens/s): the hours above it overflow by 98,546 tokens/s in all, × 3,600 × 6.6e-6
    // = $2,341.45296, plus 2 × 24 node-hours at 366,792 ÷ 26,280.
    expect(sheet.number("E54")).toBeCloseTo(2341.45296 + (48 * 366792) / 26280, 8);
    // Three nodes serve the whole day: 72 node-hours, $1,004.9096; the cheapest row.
    expect(sheet.number("E55")).toBeCloseTo((72 * 366792) / 26280, 8);
    expect(sheet.number("E62")).toBe(sheet.number("E55"));
    expect(layout.charts[1]).toMatchObject({ type: "Line", source: "E51:E60", categories: "D52:D60", from: "G42", to: "N62" });
  });
});

// --- tornado ---------------------------------------------------------------------------------------

describe("tornadoLayout", () => {
  const layout = tornadoLayout({ fn: "MONTHLYCOST", args: [SONNET, 20000, 1500, 300, 0.3, 0.02], swing: TORNADO_SWING });
  const sheet = new Sheet(layout);

  it("writes TORNADO over the argument cells and the bars' data beside it", () => {
    expectWellFormed(layout);
    expectNoErrors(sheet, layout);
    expect(layout.blocks.find((b) => b.address === "D1")!.cells).toEqual([[{ formula: '=TL.TORNADO("MONTHLYCOST",$B$2:$B$7,$B$8)' }]]);
    expect(layout.blocks.find((b) => b.address === "A1:B9")!.cells[8]).toEqual([
      "TL.MONTHLYCOST at these values",
      { formula: "=TL.MONTHLYCOST($B$2,$B$3,$B$4,$B$5,$B$6,$B$7)" },
    ]);
    expect(layout.charts[0]).toMatchObject({ type: "BarClustered", source: "J1:K6", categories: "I2:I6", tornado: true });
  });

  it("sorts the hand-worked spreads, largest first", () => {
    // Base $158.814 (see the forecast). Requests and retries scale the whole: ±20% of requests
    // moves it 0.4 × 158.814 = 63.5256. Output: 300 × $15/1M × 20,400 requests = $91.80, spread
    // 36.72. Input: (1,050 × 3 + 450 × 0.3)/1M × 20,400 = $67.014, spread 26.8056. Cache hit
    // 0.24 … 0.36: 1,500 × (3 − 0.3) / 1M × 0.12 × 20,400 = 9.9144. Retry 0.016 … 0.024:
    // 155.70 × 0.008 = 1.2456.
    expect(sheet.number("B9")).toBe(158.814);
    const rows = [2, 3, 4, 5, 6].map((r) => [sheet.get(`D${r}`), sheet.number(`G${r}`)]);
    expect(rows.map(([name]) => name)).toEqual(["requests_per_month", "output_tokens", "input_tokens", "cache_hit_rate", "retry_rate"]);
    [63.5256, 36.72, 26.8056, 9.9144, 1.2456].forEach((spread, i) => expect(rows[i][1]).toBeCloseTo(spread, 10));
    // The bars run from the base: 0.8 × 158.814 − 158.814 = −31.7628, and +31.7628.
    expect(sheet.number("J2")).toBeCloseTo(-31.7628, 10);
    expect(sheet.number("K2")).toBeCloseTo(31.7628, 10);
  });

  it("refuses a missing required argument", () => {
    expect(() => tornadoLayout({ fn: "LLMCOST", args: [SONNET], swing: 0.2 })).toThrow("input_tokens: is required");
  });
});

// --- reading the task pane's arguments -------------------------------------------------------------

describe("arguments from the task pane", () => {
  it("reads numbers as numbers and keeps ids as text", () => {
    expect([argValue(" 1500 "), argValue("0.3"), argValue(SONNET), argValue("")]).toEqual([1500, 0.3, SONNET, ""]);
    expect(valueList("input_tokens", "500, 1500,,5000")).toEqual([500, 1500, 5000]);
    expect(() => valueList("input_tokens", " , ")).toThrow("input_tokens: list at least one value");
  });

  it("drops trailing blanks and refuses a blank in the middle", () => {
    const { fn } = offered("LLMCOST");
    expect(argList(fn, [SONNET, 1500, 300, "", ""])).toEqual([SONNET, 1500, 300]);
    expect(() => argList(fn, [SONNET, 1500])).toThrow("output_tokens: is required");
  });

  it("suggests grid values around the base, whole or within 1 as the argument is", () => {
    const { fn } = offered("GPU_HOURLY");
    expect(valuesAround(fn.params[1], 5)).toEqual([3, 4, 5, 6, 8]); // years: 2.5 → 3 (round half up), 3.75 → 4, 6.25 → 6, 7.5 → 8
    const util = offered("RENT_COST").fn.params[2];
    expect(valuesAround(util, 0.8)).toEqual([0.4, 0.6, 0.8, 1]);
    expect(valuesAround(fn.params[0], H200)).toEqual([H200]);
  });

  it("offers functions whose examples evaluate to a number", () => {
    const context = { model: SONNET, hardware: H200, kw: 10 };
    for (const name of [
      "LLMCOST",
      "TOKENCOST",
      "MONTHLYCOST",
      "REASONINGCOST",
      "BUDGETCOST",
      "CACHE_COST",
      "CACHE_SAVINGS",
      "CACHE_WRITES",
      "GPU_TCO",
      "GPU_HOURLY",
      "RENT_COST",
      "SELFHOST_COSTPERM",
      "SELFHOST_BREAKEVEN",
      "GPUS_NEEDED",
      "RETRY_FACTOR",
      "FREE_TIER_COST",
      "FINETUNE_BREAKEVEN",
    ]) {
      const { fn, example } = offered(name);
      expect(typeof toPlain(invoke(fn, example(context))), name).toBe("number");
    }
  });
});
