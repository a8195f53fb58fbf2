import fs from "node:fs";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { beforeAll, describe, expect, it } from "vitest";
import { functionFiles } from "../addin/functions-files.js";

/**
 * The add-in's function metadata (generated as the build generates functions.json, from the same
 * files) against the worksheet function contract, shared/reference/functions.md: every function,
 * its parameters in order, the optional ones optional. Functions still being written fail here
 * by name until they land.
 */

const CONTRACT = new URL("../../shared/reference/functions.md", import.meta.url);

interface Param {
  name: string;
  optional: boolean;
}
interface Signature {
  name: string;
  params: Param[];
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

/**
 * A contract name JavaScript reserves cannot name a TypeScript parameter, and the metadata takes
 * its names from the parameters: GRID, SOLVE and TORNADO's `function` is declared `function_name`.
 */
const DECLARED_AS: Record<string, string> = { function: "function_name" };

function param(arg: string): Param {
  const optional = arg.startsWith("[") && arg.endsWith("]");
  const name = (optional ? arg.slice(1, -1) : arg).split("=")[0].trim();
  return { name: DECLARED_AS[name] ?? name, optional };
}

/**
 * The contract's table rows, "| `NAME(arg, [opt=default])` | …". A row `NAME(…same…)` takes the
 * row above's parameters (GPU_TCO_LINES and GPU_HOURLY repeat GPU_TCO's).
 */
function parseContract(markdown: string): Signature[] {
  const signatures: Signature[] = [];
  for (const [, name, list] of markdown.matchAll(/^\| `([A-Z_]+)\((.*)\)` \|/gm)) {
    const previous = signatures.at(-1);
    if (list.trim() === "…same…") {
      if (!previous) throw new Error(`${name}(…same…) has no row above it`);
      signatures.push({ name, params: previous.params });
    } else signatures.push({ name, params: topLevelArgs(list).map(param) });
  }
  return signatures;
}

const show = (s: Signature) => `${s.name}(${s.params.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;

const contract = parseContract(fs.readFileSync(CONTRACT, "utf8"));
let declared: Map<string, Signature>;
let errors: string[];

beforeAll(async () => {
  const result = await generateCustomFunctionsMetadata(functionFiles());
  errors = result.errors;
  const metadata = JSON.parse(result.metadataJson || '{"functions":[]}') as {
    functions: { id: string; parameters: { name: string; optional?: boolean }[] }[];
  };
  declared = new Map(
    metadata.functions.map((f) => [
      f.id,
      { name: f.id, params: f.parameters.map((p) => ({ name: p.name, optional: p.optional === true })) },
    ]),
  );
});

describe("reading the contract", () => {
  it("finds its rows, commas inside defaults and …same… rows included", () => {
    const byName = new Map(contract.map((s) => [s.name, s]));
    // shared/reference/functions.md has 36 rows across its tables (PRICE … TORNADO).
    expect(contract).toHaveLength(36);
    expect(show(byName.get("BUDGET_STATUS")!)).toBe("BUDGET_STATUS(spend, budget, [thresholds])");
    expect(show(byName.get("GPU_TCO")!)).toBe(
      "GPU_TCO(hardware_or_capex, years, [kw], [power_price_kwh], [pue], [colo_per_kw_month], [maintenance_per_year], [ops_per_year], [annual_escalation], [assumptions])",
    );
    expect(byName.get("GPU_TCO_LINES")!.params).toEqual(byName.get("GPU_TCO")!.params);
    expect(byName.get("GPU_HOURLY")!.params).toEqual(byName.get("GPU_TCO")!.params);
    expect(show(byName.get("CATALOG_INFO")!)).toBe("CATALOG_INFO()");
    expect(show(byName.get("TORNADO")!)).toBe("TORNADO(function_name, args, [swing])");
  });
});

describe("custom function metadata against the contract", () => {
  it("generates without errors", () => {
    expect(errors).toEqual([]);
  });

  it("declares every contract function", () => {
    const missing = contract.filter((s) => !declared.has(s.name)).map(show);
    expect(missing, `not yet declared in addin/src/functions/*.ts:\n  ${missing.join("\n  ")}`).toEqual([]);
  });

  it("gives each function the contract's parameters, in order, optional where the contract says", () => {
    const wrong = contract.flatMap((want) => {
      const got = declared.get(want.name);
      return got && show(got) !== show(want) ? [`contract ${show(want)}\n     add-in ${show(got)}`] : [];
    });
    expect(wrong, wrong.join("\n")).toEqual([]);
  });

  it("declares no function outside the contract", () => {
    const names = new Set(contract.map((s) => s.name));
    expect([...declared.keys()].filter((id) => !names.has(id))).toEqual([]);
  });
});
