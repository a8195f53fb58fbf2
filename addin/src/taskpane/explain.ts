import { FUNCTIONS, type PlainCell, parseArgs, toPlain } from "@tokenledger/core";
import { llmcostLines } from "@tokenledger/core/pricing";
import { type CellOutcome, outcomeAt } from "../outcomes";
import { h } from "./dom";
import type { RunInWorkbook } from "./state";

/**
 * The Explain tab: the active cell's formula, its value or its error with the whole message
 * (Excel shows none on #NUM! and only a tooltip elsewhere), and for a cost the lines it billed,
 * each rate with its catalogue entry, source and as-of date. The message and the arguments come
 * from what the TL function answered in that cell (../outcomes); the rest is read from Excel.
 */

export interface ActiveCell {
  /** The cell whose formula answered: the active cell, or the anchor of the spill it is in. */
  readonly address: string;
  /** The formula, or the constant, as typed. */
  readonly formula: string;
  /** The active cell's value. */
  readonly value: unknown;
  readonly isError: boolean;
  /** The active cell, when it is inside another cell's spill. */
  readonly inSpill?: string;
}

/**
 * The active cell, read from Excel. `spills` (ExcelApi 1.12): a cell inside a spill is explained
 * by the formula that spilled it.
 */
export async function readActiveCell(context: Excel.RequestContext, spills: boolean): Promise<ActiveCell> {
  const cell = context.workbook.getActiveCell();
  cell.load(["address", "formulas", "values", "valueTypes"]);
  const parent = spills ? cell.getSpillParentOrNullObject() : undefined;
  parent?.load(["isNullObject", "address", "formulas"]);
  await context.sync();
  const own = { value: cell.values[0][0], isError: cell.valueTypes[0][0] === "Error" };
  if (parent && !parent.isNullObject && parent.address !== cell.address) {
    return { address: parent.address, formula: String(parent.formulas[0][0]), ...own, inSpill: cell.address };
  }
  return { address: cell.address, formula: String(cell.formulas[0][0] ?? ""), ...own };
}

export interface Explanation {
  readonly address: string;
  readonly inSpill?: string;
  readonly formula: string;
  /** What the cell shows: the value, or the error code. */
  readonly shown: string;
  /** The error's message, or why there is none to show. */
  readonly message?: string;
  /** The model whose prices were billed, and the lines (LLMCOST_LINES' table, header first). */
  readonly bill?: { readonly entry: string; readonly lines: PlainCell[][] };
}

const NO_MESSAGE =
  "No message kept for this cell: it was computed before the add-in loaded, or not by a TL function. Recalculate (Ctrl+Alt+F9) and explain again.";

/** What to show for a cell, given what its TL function last answered there. */
export function explain(cell: ActiveCell, outcome: CellOutcome | undefined): Explanation {
  const base = { address: cell.address, inSpill: cell.inSpill, formula: cell.formula, shown: String(cell.value) };
  // A spill's own error cells carry no message of the formula's; the formula's error is the whole spill's.
  if (outcome?.error && !cell.inSpill) return { ...base, shown: outcome.error.code, message: outcome.error.message };
  if (cell.isError) return { ...base, message: NO_MESSAGE };
  if (outcome?.fn !== "LLMCOST") return base;
  const args = parseArgs(FUNCTIONS.LLMCOST, outcome.args) as Parameters<typeof llmcostLines>;
  return { ...base, bill: { entry: args[0].id, lines: toPlain(llmcostLines(...args)) as PlainCell[][] } };
}

function linesTable(lines: PlainCell[][]): HTMLTableElement {
  const [header, ...rows] = lines;
  const cellText = (c: PlainCell) => (c === null ? "" : typeof c === "object" ? c.message : String(c));
  return h(
    "table",
    { class: "costs explain-lines" },
    h("thead", {}, h("tr", {}, ...header.map((c) => h("th", { scope: "col" }, cellText(c))))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((c) => h("td", {}, cellText(c)))))),
  );
}

/** The explanation as DOM (text nodes only: formulas and messages are data). */
export function renderExplanation(e: Explanation): HTMLElement {
  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Cell"),
    h("dd", {}, e.inSpill ? `${e.inSpill}, spilled by ${e.address}` : e.address),
    h("dt", {}, "Formula"),
    h("dd", {}, h("code", {}, e.formula || "(empty)")),
    h("dt", {}, e.message ? "Error" : "Value"),
    h("dd", {}, e.shown),
  );
  return h(
    "div",
    { id: "explain-result" },
    facts,
    e.message && h("p", { class: "message message-error", role: "status" }, e.message),
    e.bill && h("p", { class: "hint" }, `Billed at the prices of ${e.bill.entry}:`),
    e.bill && linesTable(e.bill.lines),
  );
}

/** Fills the Explain tab: a button, and the explanation of the active cell whenever the selection changes. */
export function mountExplain(panel: HTMLElement, workbook: RunInWorkbook, spills: boolean): void {
  const button = h("button", { type: "button", class: "primary" }, "Explain the active cell");
  const out = h("div", { "aria-live": "polite" });
  const refresh = async () => {
    try {
      const cell = await workbook((context) => readActiveCell(context, spills));
      out.replaceChildren(renderExplanation(explain(cell, outcomeAt(cell.address))));
    } catch (e) {
      out.replaceChildren(
        h("p", { class: "message message-error", role: "alert" }, `The active cell could not be read: ${(e as Error).message}`),
      );
    }
  };
  button.addEventListener("click", () => void refresh());
  panel.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h2", {}, "Explain"),
      h("p", { class: "hint" }, "Select a cell: its formula, value or error and what it billed."),
      button,
      out,
    ),
  );
  void workbook(async (context) => {
    context.workbook.onSelectionChanged.add(async () => refresh());
    await context.sync();
  }).catch((e: Error) => {
    // Hosts without the event still have the button.
    out.replaceChildren(h("p", { class: "hint" }, `Follows the selection only on request here (${e.message}).`));
  });
}
