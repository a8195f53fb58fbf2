import fs from "node:fs";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { HyperFormula } from "hyperformula";
import { beforeAll, describe, expect, it } from "vitest";
import { functionFiles } from "../addin/functions-files.js";
import { DOMAINS, FUNCTIONS } from "../packages/core/src";
import { registerTlFunctions } from "../packages/llmcalc/src/plugin";
import { excelParamName, generatedFiles } from "../scripts/generated";

/**
 * Each worksheet function is declared once, in core; this test holds everything derived from the
 * declarations to them and to the contract (shared/reference/functions.md): the generated
 * wrappers and README reference are current, and the functions of core, of the add-in's
 * metadata (functions.json is generated from the same files by the same tool), of llmcalc's
 * formula engine and of the contract are one set, signatures included.
 */

const root = new URL("..", import.meta.url);
const CONTRACT = new URL("../../shared/reference/functions.md", import.meta.url);

/**
 * Contract functions that open issues have yet to build. Shrinks as they land; a name here that
 * core declares fails the test, so the list cannot go stale.
 */
const PENDING = new Set<string>([]);
/** Release-2 signatures that replace a release-1 row and are not built yet: the release-1 row holds until then. */
const PENDING_SIGNATURES = new Set<string>([]);

interface Signature {
  name: string;
  params: { name: string; optional: boolean }[];
}

/** Splits on the commas outside brackets and braces (`[thresholds={0.5,0.8,1}]` is one argument). */
function topLevelArgs(list: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    if ("[{(".includes(ch)) depth++;
    if ("]})".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      args.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

function param(arg: string) {
  const optional = arg.startsWith("[") && arg.endsWith("]");
  return { name: excelParamName((optional ? arg.slice(1, -1) : arg).split("=")[0].trim()), optional };
}

/**
 * The contract's rows, "| `NAME(arg, [opt=default])` | …", in order. `NAME(…same…)` takes the row
 * above's parameters; a name's release-2 row comes after its release-1 row.
 */
function parseContract(markdown: string): Signature[] {
  const rows: Signature[] = [];
  for (const [, name, list] of markdown.matchAll(/^\| `([A-Z_]+)\((.*?)\)`[^|]*\|/gm)) {
    const previous = rows.at(-1);
    if (list.trim() === "…same…") {
      if (!previous) throw new Error(`${name}(…same…) has no row above it`);
      rows.push({ name, params: previous.params });
    } else rows.push({ name, params: topLevelArgs(list).map(param) });
  }
  return rows;
}

const show = (s: Signature) => `${s.name}(${s.params.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;

const rows = parseContract(fs.readFileSync(CONTRACT, "utf8"));
/** Each name's signature in force: its last row, or its first while its release-2 row is pending. */
const contract = new Map<string, Signature>();
for (const row of rows) if (!contract.has(row.name) || !PENDING_SIGNATURES.has(row.name)) contract.set(row.name, row);

const core = new Map<string, Signature>(
  Object.values(FUNCTIONS).map((f) => [
    f.name,
    { name: f.name, params: f.params.map((p) => ({ name: excelParamName(p.name), optional: p.optional })) },
  ]),
);
let metadata: Map<string, Signature>;
let metadataErrors: string[];

beforeAll(async () => {
  const result = await generateCustomFunctionsMetadata(functionFiles());
  metadataErrors = result.errors;
  const { functions } = JSON.parse(result.metadataJson || '{"functions":[]}') as {
    functions: { id: string; name: string; parameters: { name: string; optional?: boolean }[] }[];
  };
  metadata = new Map(
    functions.map((f) => [f.id, { name: f.name, params: f.parameters.map((p) => ({ name: p.name, optional: p.optional === true })) }]),
  );
});

describe("reading the contract", () => {
  it("finds its rows, commas inside defaults, …same… rows and release-2 rows included", () => {
    // shared/reference/functions.md: 47 rows, RENT_COST twice (release 1 and release 2).
    expect(rows).toHaveLength(47);
    expect(contract.size).toBe(46);
    expect(show(contract.get("BUDGET_STATUS")!)).toBe("BUDGET_STATUS(spend, budget, [thresholds])");
    expect(contract.get("GPU_HOURLY")!.params).toEqual(contract.get("GPU_TCO")!.params);
    expect(show(contract.get("TORNADO")!)).toBe("TORNADO(function_name, args, [swing])");
    expect(show(rows.filter((r) => r.name === "RENT_COST")[1])).toBe(
      "RENT_COST(hardware_or_hourly, years, [utilisation], [annual_price_change], [discount_rate])",
    );
  });
});

describe("one declaration per function", () => {
  it("the generated wrappers and README reference are what npm run generate writes", () => {
    const readme = fs.readFileSync(new URL("README.md", root), "utf8");
    const stale = [...generatedFiles(DOMAINS, readme)].filter(([file, content]) => {
      const path = new URL(file, root);
      return !fs.existsSync(path) || fs.readFileSync(path, "utf8") !== content;
    });
    expect(
      stale.map(([file]) => file),
      "stale generated files: run `npm run generate`",
    ).toEqual([]);
  });

  it("every declaration documents itself within Excel's limits", () => {
    const problems = Object.values(FUNCTIONS).flatMap((f) => [
      ...(f.description.length > 255 ? [`${f.name}: description is ${f.description.length} characters (Excel shows 255)`] : []),
      ...(f.returns.trim() ? [] : [`${f.name}: says nothing of what it returns`]),
      ...f.params.filter((p) => !f.help[p.name]?.trim()).map((p) => `${f.name}: ${p.name} has no help`),
      ...f.params.filter((p) => f.help[p.name]?.length > 255).map((p) => `${f.name}: ${p.name}'s help is over 255 characters`),
    ]);
    expect(problems).toEqual([]);
  });

  it("the add-in's metadata generates without errors and holds exactly core's functions, signatures included", () => {
    expect(metadataErrors).toEqual([]);
    expect([...metadata.keys()].sort()).toEqual([...core.keys()].sort());
    for (const [name, signature] of core) expect(show(metadata.get(name)!)).toBe(show(signature));
  });

  it("llmcalc's formula engine registers exactly core's functions", () => {
    const before = new Set(HyperFormula.getRegisteredFunctionNames("enGB"));
    registerTlFunctions();
    const tl = HyperFormula.getRegisteredFunctionNames("enGB").filter((n) => n.startsWith("TL."));
    expect(tl.map((n) => n.slice(3)).sort()).toEqual([...core.keys()].sort());
    expect(before.size).toBeGreaterThan(0);
  });

  it("core declares every contract function but the pending ones, and nothing outside the contract", () => {
    const missing = [...contract.keys()].filter((n) => !core.has(n) && !PENDING.has(n));
    const landed = [...PENDING].filter((n) => core.has(n));
    const extra = [...core.keys()].filter((n) => !contract.has(n));
    expect({ missing, landed, extra }, "landed: remove from PENDING in test/declarations.test.ts").toEqual({
      missing: [],
      landed: [],
      extra: [],
    });
  });

  it("gives each function the contract's parameters, in order, optional where the contract says", () => {
    const wrong = [...core.values()].flatMap((got) => {
      const want = contract.get(got.name);
      return want && show(got) !== show(want) ? [`contract ${show(want)}\n     core ${show(got)}`] : [];
    });
    expect(wrong, wrong.join("\n")).toEqual([]);
  });
});
