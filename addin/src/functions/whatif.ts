import * as whatif from "@tokenledger/core/whatif";
import { numberResult, spillResult } from "./excel";

// The parameter the contract calls `function` is `function_name` here: `function` is a reserved
// word, and the metadata takes parameter names from the code.

/**
 * Spills what a What-If Data Table would, for any TL function that answers a number: the function evaluated with argument row_arg taking each of row_values down the rows and col_arg each of col_values across. The corner holds the function's name; an error stays in its cell.
 * @customfunction GRID
 * @param function_name Name of a TL function that returns a number ("LLMCOST").
 * @param args The function's arguments in order, as a range or array ({"anthropic/claude-sonnet-4-6",1500,300}); blanks are omitted arguments.
 * @param row_arg Which argument varies down the rows, counting from 1.
 * @param row_values Its values: a row or a column.
 * @param [col_arg] Which argument varies across the columns, counting from 1. Without it, one column of results.
 * @param [col_values] Its values: a row or a column.
 * @returns A header row (the function's name, then the column values), then one row per row value.
 */
export function GRID(
  function_name: string,
  args: any[][],
  row_arg: number,
  row_values: any[][],
  col_arg?: number,
  col_values?: any[][],
): any[][] {
  return spillResult(whatif.GRID, [function_name, args, row_arg, row_values, col_arg, col_values]);
}

/**
 * What Goal Seek would do: the value of one argument for which a TL function returns target.
 * @customfunction SOLVE
 * @param function_name Name of a TL function that returns a number ("LLMCOST").
 * @param args The function's arguments in order, as a range or array; the one solved for may be blank.
 * @param arg Which argument to solve for, counting from 1.
 * @param target The result wanted.
 * @param [low] Lowest value to search. Default 0 (or the argument's smallest allowed value, e.g. 1 year).
 * @param [high] Highest value to search. Default 1 for a fraction (a share or rate), else 10^15 (or the argument's largest allowed value).
 * @returns The argument's value, to a relative 1e-12; for a whole-number argument, the smallest whole value that reaches the target. #NUM! when no value in the range reaches it.
 */
export function SOLVE(function_name: string, args: any[][], arg: number, target: number, low?: number, high?: number): number {
  return numberResult(whatif.SOLVE, [function_name, args, arg, target, low, high]);
}

/**
 * Spills a tornado table: a TL function's result with each numeric argument in turn swung down and up by swing, largest spread first.
 * @customfunction TORNADO
 * @param function_name Name of a TL function that returns a number ("MONTHLYCOST").
 * @param args The function's arguments in order, as a range or array; text arguments (model, mode) stay fixed.
 * @param [swing] How far each argument moves, as a fraction (0.2 = ±20%). Default 0.2.
 * @returns A header row (argument, low, high, spread), then one row per numeric argument; spread = |high − low|.
 */
export function TORNADO(function_name: string, args: any[][], swing?: number): any[][] {
  return spillResult(whatif.TORNADO, [function_name, args, swing]);
}
