import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS, type Param } from "../packages/core/src";
import { activeCatalogue } from "../packages/core/src/catalogue";
import { type Wrapper, loadWrappers } from "./wrappers";

/**
 * Every worksheet wrapper, called with random and hostile arguments, answers a finite number,
 * text, a boolean, a well-formed spill, or throws an Excel error with a message — nothing else
 * escapes. CI runs ≥ 10,000 cases; FUZZ_RUNS=100000 npm test runs the long variant.
 */
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

let wrappers = new Map<string, Wrapper>();

beforeAll(async () => {
  wrappers = await loadWrappers();
});

const ERROR_CODES = new Set(["#VALUE!", "#N/A", "#NUM!"]);

/**
 * An Excel error with a message naming a rule. An internal error (an exception core did not mean
 * to throw) is a bug, never a rule broken: it fails the test.
 */
function isExcelError(x: unknown): boolean {
  return (
    x instanceof (globalThis as unknown as { CustomFunctions: { Error: new () => object } }).CustomFunctions.Error &&
    ERROR_CODES.has((x as { code: string }).code) &&
    typeof (x as { message: unknown }).message === "string" &&
    (x as { message: string }).message.length > 0 &&
    !(x as { message: string }).message.startsWith("internal error")
  );
}

function isCell(x: unknown): boolean {
  return x === null || typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x)) || isExcelError(x);
}

function wellFormed(result: unknown): boolean {
  if (Array.isArray(result)) {
    if (result.length === 0 || !Array.isArray(result[0]) || result[0].length === 0) return false;
    const width = result[0].length;
    return result.every((row) => Array.isArray(row) && row.length === width && row.every(isCell));
  }
  return isCell(result) && !isExcelError(result) && result !== null;
}

const catalogue = activeCatalogue();
const WORDS = [
  ...catalogue.models.slice(0, 12).map((m) => m.id),
  ...catalogue.hardware.map((h) => h.id),
  "gpt-4o",
  "llama-3.3-70b",
  "input",
  "output",
  "cache_read",
  "batch",
  "offpeak",
  "batch offpeak",
  "cache1h",
  "low",
  "high",
  "5m",
  "1h",
  "24h",
  "LLMCOST",
  "openai",
  "google",
  "2026-01-01",
  "",
  " ",
  "<img src=x onerror=alert(1)>",
  "=1+1",
  // Names every plain object answers to: a lookup table keyed by user text must not find them.
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "prototype",
  "GRID",
  // Hostile feed values (issue 13): exponents past any price, dates that do not exist, ids that
  // differ only by case or Unicode form, and hidden characters.
  "1e-20000000",
  "1e-499999994",
  "1e99999999999999999999",
  "2026-13-45",
  "2026-02-29",
  "caf\u00e9",
  "cafe\u0301",
  "OPENAI/GPT-4O",
  "a/nul\u0000",
  "a/esc\u001b[31m",
  "a/rlo\u202egnp.exe",
  "a/zero\u200bwidth",
  "\ufeff{}",
];

const hostileNumber = fc.constantFrom(
  0,
  -0,
  1,
  -1,
  0.5,
  0.7,
  2,
  3,
  12,
  100,
  1500,
  1e6,
  1e15,
  1e300,
  -1e300,
  Number.NaN,
  Infinity,
  -Infinity,
  5e-324,
  Number.MAX_SAFE_INTEGER,
);
const scalar = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(hostileNumber, fc.integer({ min: -10, max: 100_000 }), fc.double()) },
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom("x".repeat(100_000), `${"1".repeat(200_000)}x`, `a/${"m".repeat(10_000)}`) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constantFrom(null, undefined) },
);
const matrix = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .chain(([rows, cols]) => fc.array(fc.array(scalar, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }));
const argument = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: matrix }, { weight: 1, arbitrary: fc.constant([]) });

/**
 * Arguments shaped by each parameter's declared kind, so that deep paths are reached: a valid
 * model with a hostile component, a real range with a bad cell. Hostile values still appear at
 * every position.
 */
// Small enough that a valid call stays cheap (a 10,000-year TCO takes a second): the fuzz looks for wrong answers, not slow ones.
const sensibleNumber = fc.oneof(fc.constantFrom(0, 0.3, 1, 2, 12, 1500), fc.integer({ min: 0, max: 200 }));
const byKind: Record<Param<unknown>["kind"], fc.Arbitrary<unknown>> = {
  number: fc.oneof({ weight: 4, arbitrary: sensibleNumber }, { weight: 1, arbitrary: scalar }),
  text: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: scalar }),
  any: fc.oneof(sensibleNumber, fc.constantFrom(...WORDS), scalar),
  range: fc.oneof({ weight: 3, arbitrary: matrix }, { weight: 1, arbitrary: scalar }),
};
const typedCall = fc
  .constantFrom(...Object.values(FUNCTIONS))
  .chain((fn) => fc.tuple(fc.constant(fn.name), fc.tuple(...fn.params.map((p) => fc.option(byKind[p.kind], { freq: 6, nil: null })))));

const shown = (name: string, args: unknown[]) => `${name}(${JSON.stringify(args).slice(0, 200)})`;

function check(name: string, args: unknown[]) {
  let result: unknown;
  try {
    result = wrappers.get(name)!(...args);
  } catch (e) {
    if (!isExcelError(e)) expect.fail(`${shown(name, args)} threw ${String(e)}`);
    return;
  }
  if (!wellFormed(result)) expect.fail(`${shown(name, args)} answered ${String(result).slice(0, 200)}`);
}

describe("every worksheet function under hostile input", () => {
  it("answers a value or an Excel error with a message, never anything else", () => {
    const names = [...wrappers.keys()].sort();
    expect(names.length).toBeGreaterThan(0);
    fc.assert(fc.property(fc.constantFrom(...names), fc.array(argument, { maxLength: 12 }), check), { numRuns: TOTAL_RUNS });
  });

  it("does the same with arguments of the declared kinds, hostile words in every text argument", () => {
    fc.assert(
      fc.property(typedCall, ([name, args]) => check(name, args)),
      { numRuns: TOTAL_RUNS },
    );
  });
});
