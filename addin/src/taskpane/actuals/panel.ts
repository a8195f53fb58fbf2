import { type Actuals, type ActualsFile, computeActuals } from "@tokenledger/core/actuals";
import { activeCatalogue } from "@tokenledger/core/catalogue";
import type { Dec } from "@tokenledger/core/decimal";
import { TlError } from "@tokenledger/core/errors";
import { h } from "../dom";
import { writeActuals, writeVariance } from "./write";

/**
 * The Actuals tab: the user picks export files, which are read in this page (File.text(), no
 * network); a preview shows each file's detected format and CSV mapping, the month × model
 * costs against billed, and every problem; two buttons write the Actuals and Variance sheets.
 * Every string from a file lands as a text node (dom.ts).
 */

/** What the preview lists at most; the sheets get every row. */
const PREVIEW_ROWS = 24;

const money = (d: Dec | null) => (d === null ? "—" : d.toDecimalPlaces(4).toFixed());

/** Reads the chosen files and computes; a file that cannot be read at all is the message. */
export async function actualsOf(files: readonly File[]): Promise<Actuals | string> {
  const inputs: ActualsFile[] = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
  try {
    return computeActuals(inputs, activeCatalogue());
  } catch (e) {
    if (e instanceof TlError) return e.message;
    throw e;
  }
}

function preview(a: Actuals): HTMLElement {
  const files = a.files.map((f) =>
    h(
      "li",
      {},
      `${f.name}: ${f.format}`,
      f.mapping
        ? ` (columns: ${Object.entries(f.mapping)
            .map(([field, column]) => `${field} ← ${column}`)
            .join(", ")})`
        : "",
    ),
  );
  const rows = a.reconciled
    .slice(0, PREVIEW_ROWS)
    .map((r) =>
      h(
        "tr",
        {},
        h("td", {}, r.month),
        h("td", {}, r.model),
        h("td", { class: "num" }, money(r.cost)),
        h("td", { class: "num" }, money(r.billed)),
        h("td", { class: "num" }, money(r.difference)),
      ),
    );
  const problems = a.problems.map((p) => h("li", {}, `${p.where}: ${p.reason}`));
  if (a.moreProblems) problems.push(h("li", {}, `… and ${a.moreProblems} more`));
  return h(
    "div",
    {},
    h("ul", { class: "hint" }, ...files),
    h(
      "table",
      { class: "costs" },
      h("thead", {}, h("tr", {}, ...["Month", "Model", "Cost", "Billed", "Difference"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...rows),
    ),
    a.reconciled.length > PREVIEW_ROWS
      ? h("p", { class: "hint" }, `${a.reconciled.length - PREVIEW_ROWS} more rows go to the sheet.`)
      : null,
    h("p", { class: "hint" }, `${a.lines} lines; total cost ${money(a.total.cost)}, billed ${money(a.total.billed)} USD.`),
    problems.length ? h("ul", { class: "message message-error" }, ...problems) : null,
  );
}

export function mountActuals(container: HTMLElement, options: { inExcel: boolean }): void {
  const input = h("input", { type: "file", multiple: true, accept: ".json,.csv,.txt", "aria-label": "Usage export files" });
  const output = h("div", {});
  const status = h("p", { class: "message", role: "status", hidden: true });
  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle("message-error", error);
    status.hidden = false;
  };
  const writeButtons = [
    { label: "Write Actuals sheet", write: writeActuals },
    { label: "Write Variance sheet", write: writeVariance },
  ].map(({ label, write }) => {
    const button = h("button", { type: "button", class: "primary", disabled: true }, label);
    button.addEventListener("click", async () => {
      if (!current) return;
      const a = current;
      button.disabled = true;
      try {
        const name = await Excel.run((context) => write(context, a));
        say(`Wrote the sheet “${name}”.`);
      } catch (e) {
        say(`Excel could not write the sheet: ${e instanceof Error ? e.message : String(e)}`, true);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  });
  let current: Actuals | undefined;
  input.addEventListener("change", async () => {
    const result = await actualsOf([...(input.files ?? [])]);
    current = typeof result === "string" ? undefined : result;
    output.replaceChildren(typeof result === "string" ? h("p", { class: "message message-error" }, result) : preview(result));
    for (const b of writeButtons) b.disabled = !(options.inExcel && current);
  });
  container.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h2", {}, "Actuals"),
      h(
        "p",
        { class: "hint" },
        "Usage exports from OpenAI (usage, costs), Anthropic (usage, cost report), OpenRouter (activity) or any CSV, costed at the catalogue's prices and compared with what was billed. Files are read here; nothing leaves this computer.",
      ),
      input,
      output,
      h("div", { class: "actions sheet-only" }, ...writeButtons),
      status,
    ),
  );
}
