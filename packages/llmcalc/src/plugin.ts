import {
  ArraySize,
  CellError,
  EmptyValue,
  ErrorType,
  FunctionPlugin,
  type FunctionPluginDefinition,
  HyperFormula,
  type ImplementedFunctions,
  SimpleRangeValue,
} from "hyperformula";
import { type PlainCell, type SheetFunction, type SheetResult, FUNCTIONS, TlError, asTlError, invoke, toPlain } from "@tokenledger/core";
import { onCatalogueChange } from "@tokenledger/core/catalogue";

/**
 * Core's worksheet functions as a HyperFormula function plugin, so a formula engine evaluates
 * everything around them (arithmetic, array constants, SUM, INDEX, …). Each call reaches core
 * through `invoke`, with the arguments Excel would hand the add-in, so the conversions and
 * checks are the add-in's.
 */

// HyperFormula does not export its AST and interpreter types; its plugin base class names them.
type EvaluateAst = FunctionPlugin["evaluateAst"];
type Ast = Parameters<EvaluateAst>[0];
type State = Parameters<EvaluateAst>[1];
type Value = ReturnType<EvaluateAst>;
type Scalar = Exclude<Value, SimpleRangeValue>;
interface Call {
  readonly args: Ast[];
}

/** Wraps each llmcalc formula, to learn whether the whole formula is one TL call. */
export const ROOT = "LLMCALC.ROOT";

/** A value Excel passes to a custom function: a scalar, null for empty or omitted, rows for a range. */
type ExcelArg = number | string | boolean | null | ExcelArg[][];

function excelScalar(v: Scalar): ExcelArg | CellError {
  if (v === EmptyValue) return null;
  if (v instanceof CellError) return v;
  // A number with a display format (a date, a percentage, a currency).
  if (typeof v === "object") return v.val;
  return v;
}

/** The arguments as Excel passes them, or the first error among them (Excel's propagation). */
function excelArgs(values: Value[]): ExcelArg[] | CellError {
  const args: ExcelArg[] = [];
  for (const v of values) {
    if (!(v instanceof SimpleRangeValue)) {
      const arg = excelScalar(v);
      if (arg instanceof CellError) return arg;
      args.push(arg);
      continue;
    }
    const rows: ExcelArg[][] = [];
    for (const row of v.data) {
      const cells: ExcelArg[] = [];
      for (const c of row) {
        const arg = excelScalar(c);
        if (arg instanceof CellError) return arg;
        cells.push(arg);
      }
      rows.push(cells);
    }
    args.push(rows);
  }
  return args;
}

/** HyperFormula's error for each kind, as Excel shows it (an internal error is a #VALUE!). */
const ERROR_TYPE = { NA: ErrorType.NA, VALUE: ErrorType.VALUE, NUM: ErrorType.NUM, INTERNAL: ErrorType.VALUE } as const;

const cellError = (e: TlError) => new CellError(ERROR_TYPE[e.kind], e.message);

/** Core's answer as a HyperFormula value: decimals become doubles, a matrix a spillable range. */
function engineValue(result: SheetResult): Value {
  const plain = toPlain(result);
  if (!Array.isArray(plain)) return plain;
  // toPlain's rows are new arrays, so its empty and error cells become HyperFormula's in place:
  // a million-cell spill is not copied once more.
  const rows: (PlainCell | Scalar)[][] = plain;
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null) row[c] = EmptyValue;
      else if (v instanceof TlError) row[c] = cellError(v);
    }
  }
  return SimpleRangeValue.onlyValues(rows as Scalar[][]);
}

/** What the last root formula's outermost TL call answered, when the formula is exactly that call. */
let rootCall: Ast | undefined;
let rootResult: SheetResult | undefined;

/**
 * A spill's size is needed before HyperFormula evaluates a formula placed in a cell, and only
 * evaluating tells it; the result computed for the size waits here for the evaluation that follows.
 */
const sized = new Map<string, Value>();
onCatalogueChange(() => sized.clear());

class TlPlugin extends FunctionPlugin {
  private argsOf(call: Call, state: State): ExcelArg[] | CellError {
    return excelArgs(call.args.map((a) => this.evaluateAst(a, state)));
  }

  private run(fn: SheetFunction, call: Call, args: ExcelArg[] | CellError): Value {
    if (args instanceof CellError) return args;
    try {
      const result = invoke(fn, args);
      if (call === rootCall) rootResult = result;
      return engineValue(result);
    } catch (e) {
      return cellError(asTlError(e));
    }
  }

  evaluateCall(fn: SheetFunction, call: Call, state: State): Value {
    const args = this.argsOf(call, state);
    if (sized.size > 0) {
      const key = cacheKey(fn, args);
      const value = sized.get(key);
      sized.delete(key);
      if (value !== undefined) return value;
    }
    return this.run(fn, call, args);
  }

  predictSize(fn: SheetFunction, call: Call, state: State): ArraySize {
    const args = this.argsOf(call, state);
    const value = this.run(fn, call, args);
    sized.set(cacheKey(fn, args), value);
    return value instanceof SimpleRangeValue ? new ArraySize(value.width(), value.height()) : ArraySize.scalar();
  }

  /** `LLMCALC.ROOT(formula)`: the formula's value; notes the call the formula consists of, if any. */
  root(call: Call, state: State): Value {
    if (call.args.length !== 1) return new CellError(ErrorType.NA, `${ROOT} takes one formula`);
    let inner = call.args[0];
    while ((inner.type as string) === "PARENTHESES" && "expression" in inner) inner = inner.expression;
    rootCall = inner;
    rootResult = undefined;
    try {
      return this.evaluateAst(call.args[0], state);
    } finally {
      rootCall = undefined;
    }
  }
}

function cacheKey(fn: SheetFunction, args: ExcelArg[] | CellError): string {
  return `${fn.name}\u0000${args instanceof CellError ? `${args.type} ${args.message}` : JSON.stringify(args)}`;
}

/** Takes what the outermost call of the last root formula answered, if it was a TL call. */
export function takeRootResult(): SheetResult | undefined {
  const result = rootResult;
  rootResult = undefined;
  return result;
}

let shadowed: string[] | undefined;

/**
 * Registers every function of core's registry as `TL.NAME` and `NAME` (once per process:
 * HyperFormula's function registry is global). Answers the bare names that now mean the TL
 * function instead of a HyperFormula built-in of the same name.
 */
export function registerTlFunctions(): readonly string[] {
  if (shadowed) return shadowed;
  const builtIns = new Set(HyperFormula.getRegisteredFunctionNames("enGB"));
  const implemented: ImplementedFunctions = {};
  const aliases: Record<string, string> = {};
  const prototype = TlPlugin.prototype as unknown as Record<string, unknown>;
  for (const fn of Object.values(FUNCTIONS)) {
    const method = `tl_${fn.name}`;
    prototype[method] = function (this: TlPlugin, call: Call, state: State) {
      return this.evaluateCall(fn, call, state);
    };
    prototype[`${method}_size`] = function (this: TlPlugin, call: Call, state: State) {
      return this.predictSize(fn, call, state);
    };
    implemented[`TL.${fn.name}`] = { method, sizeOfResultArrayMethod: `${method}_size` };
    aliases[fn.name] = `TL.${fn.name}`;
  }
  implemented[ROOT] = { method: "root" };
  const definition = Object.assign(TlPlugin, { implementedFunctions: implemented, aliases });
  const names = [...Object.keys(implemented), ...Object.keys(aliases)];
  HyperFormula.registerFunctionPlugin(definition as FunctionPluginDefinition, {
    enGB: Object.fromEntries(names.map((n) => [n, n])),
  });
  shadowed = Object.keys(aliases).filter((n) => builtIns.has(n));
  return shadowed;
}
