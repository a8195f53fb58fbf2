import type { Dec } from "@tokenledger/core";
import { type CompiledModel, activeCatalogue, ratesOn, today, usdRate } from "@tokenledger/core/catalogue";
import {
  DEFAULT_SHAPE,
  type FieldErrors,
  type Request,
  type Shape,
  chart,
  inCurrency,
  llmcostFormula,
  moneyIn,
  priceAll,
  readShape,
  thinkingNote,
} from "./compare";
import { byId, count, h, modelName, show } from "./dom";
import { Grid } from "./grid";
import { type Filter, NO_FILTER, type Row, type Sort, filtered, providers, rowsOf, sorted } from "./rows";
import type { CatalogueState } from "./state";
import { insertFormula, insertTable, priceTableCells } from "./workbook";

/** Never shorter than ten rows. */
const MIN_GRID_PX = 360;
/** Under the table: the hint's line and margin, and the page's padding. */
const BELOW_GRID_PX = 52;

/**
 * Gives the model table the pane's height below where it starts, so a tall pane shows more rows
 * and no empty band; the comparison under it scrolls into view. Only what is above the table (the
 * masthead's notices, the filters wrapping) or the pane's size moves it, not a tick.
 */
function fitGrid(grid: HTMLElement): void {
  const fit = () => {
    if (!grid.offsetParent) return; // on another tab: fitted when shown (the observer fires)
    const top = grid.getBoundingClientRect().top + window.scrollY;
    grid.style.height = `${Math.max(MIN_GRID_PX, Math.floor(window.innerHeight - top - BELOW_GRID_PX))}px`;
  };
  window.addEventListener("resize", fit);
  const above = new ResizeObserver(fit);
  above.observe(document.querySelector(".masthead")!);
  above.observe(document.querySelector("#panel-prices .toolbar")!);
  above.observe(grid);
}

/**
 * The Prices tab: the browser (search, filters, sort over every model of the active catalogue),
 * the comparison of the ticked models, and, in Excel, inserting them into the sheet.
 */
export class PricesTab {
  private all: Row[] = [];
  /** `all` in the current sort order: a keystroke filters this without sorting again. */
  private ordered: Row[] = [];
  private filter: Filter = NO_FILTER;
  private sort: Sort = { column: 0, descending: false };
  private readonly selected = new Set<string>();
  private readonly grid: Grid;
  private readonly search = byId<HTMLInputElement>("search");
  private readonly provider = byId<HTMLSelectElement>("provider-filter");
  private readonly kind = byId<HTMLSelectElement>("kind-filter");
  private readonly chips = (["cache", "reasoning", "batch"] as const).map((key) => [key, byId<HTMLInputElement>(`filter-${key}`)] as const);
  /** The chart's width when last drawn: a pane resized wider or narrower redraws it. */
  private chartWidth = 0;
  private readonly shapeFields: Record<keyof Shape, HTMLInputElement | HTMLSelectElement> = {
    input: byId<HTMLInputElement>("shape-input"),
    output: byId<HTMLInputElement>("shape-output"),
    cached: byId<HTMLInputElement>("shape-cached"),
    effort: byId<HTMLSelectElement>("shape-effort"),
    thinking: byId<HTMLInputElement>("shape-thinking"),
    requests: byId<HTMLInputElement>("shape-requests"),
    mode: byId<HTMLSelectElement>("shape-mode"),
    currency: byId<HTMLSelectElement>("shape-currency"),
  };
  /** The last request every field of which could be read: a mistyped field leaves it in force. */
  private request: Request;

  constructor(private readonly state: CatalogueState) {
    this.grid = new Grid({
      scroller: byId("grid"),
      head: byId("grid-head"),
      body: byId("grid-body"),
      isSelected: (id) => this.selected.has(id),
      onToggle: (id, on) => {
        if (on) this.selected.add(id);
        else this.selected.delete(id);
        this.renderSelection();
      },
      onSort: (sort) => {
        this.sort = sort;
        this.grid.setSort(sort);
        this.ordered = sorted(this.all, sort);
        this.applyFilter();
      },
      empty: () => {
        const reset = h("button", { type: "button", class: "link" }, "Show all models");
        reset.addEventListener("click", () => this.clearFilter());
        return h("span", {}, "No model matches the search and filters. ", reset);
      },
    });
    this.search.addEventListener("input", () => this.setFilter({ text: this.search.value }));
    this.provider.addEventListener("change", () => this.setFilter({ provider: this.provider.value }));
    this.kind.addEventListener("change", () => this.setFilter({ kind: this.kind.value }));
    for (const [key, box] of this.chips) box.addEventListener("change", () => this.setFilter({ [key]: box.checked }));
    this.fillCurrencies();
    for (const [key, field] of Object.entries(this.shapeFields)) field.value = DEFAULT_SHAPE[key as keyof Shape];
    this.request = (readShape(DEFAULT_SHAPE) as { request: Request }).request;
    for (const field of Object.values(this.shapeFields)) field.addEventListener("input", () => this.renderCompare());
    byId("clear-selection").addEventListener("click", () => {
      this.selected.clear();
      this.grid.refresh();
      this.renderSelection();
      this.search.focus(); // the button hides itself
    });
    fitGrid(byId("grid"));
    const chartBox = byId("chart");
    new ResizeObserver(() => {
      if (chartBox.clientWidth !== this.chartWidth) this.renderCompare();
    }).observe(chartBox);
    byId("insert-table").addEventListener("click", () => void this.insertTable());
    byId("cost-body").addEventListener("click", (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>("button[data-id]")?.dataset.id;
      if (id !== undefined) void this.insertFormula(id);
    });
  }

  /** Rebuilds the rows from the active catalogue (after a refresh, rollback, pin or overlay). */
  load(): void {
    const catalogue = activeCatalogue();
    this.all = rowsOf(catalogue, this.state.current.overridden);
    this.ordered = sorted(this.all, this.sort);
    for (const id of this.selected) if (!catalogue.byId.has(id)) this.selected.delete(id);
    const keep = this.provider.value;
    this.provider.replaceChildren(
      h("option", { value: "" }, "All providers"),
      ...providers(this.all).map(([p, n]) => h("option", { value: p }, `${p} (${count(n)})`)),
    );
    this.provider.value = catalogue.models.some((m) => m.entry.provider === keep) ? keep : "";
    this.filter = { ...this.filter, provider: this.provider.value };
    this.fillCurrencies();
    this.applyFilter();
    this.renderSelection();
  }

  /** USD and every currency TL.FX answers today; the choice stays while the catalogue still has it. */
  private fillCurrencies(): void {
    const select = this.shapeFields.currency;
    const keep = select.value || DEFAULT_SHAPE.currency;
    const codes = ["USD", ...ratesOn(activeCatalogue().data.fx, today()).map((r) => r.code)];
    select.replaceChildren(...codes.map((c) => h("option", { value: c }, c)));
    select.value = codes.includes(keep) ? keep : "USD";
  }

  private setFilter(change: Partial<Filter>): void {
    this.filter = { ...this.filter, ...change };
    this.applyFilter();
  }

  private clearFilter(): void {
    this.search.value = "";
    this.provider.value = "";
    this.kind.value = "";
    for (const [, box] of this.chips) box.checked = false;
    this.filter = NO_FILTER;
    this.applyFilter();
    this.search.focus();
  }

  private applyFilter(): void {
    const shown = filtered(this.ordered, this.filter);
    this.grid.setRows(shown);
    byId("model-count").textContent =
      shown.length === this.all.length ? `${count(this.all.length)} models` : `${count(shown.length)} of ${count(this.all.length)} models`;
  }

  private selectedModels(): CompiledModel[] {
    const { byId: models } = activeCatalogue();
    return [...this.selected].flatMap((id) => models.get(id) ?? []);
  }

  private renderSelection(): void {
    const n = this.selected.size;
    const clear = byId("clear-selection");
    clear.textContent = `Clear selection (${count(n)})`;
    show(clear, n > 0);
    show(byId("compare"), n > 0);
    show(byId("insert"), n > 0);
    this.offerModes();
    this.renderCompare();
  }

  /** Batch, off-peak, flex, priority and data residency are offered only when a ticked model has that price. */
  private offerModes(): void {
    const models = this.selectedModels();
    const select = this.shapeFields.mode as HTMLSelectElement;
    for (const option of select.options) {
      const variant = option.value.replace(" ", "+");
      const priced = (m: CompiledModel) => (variant === "residency" ? m.entry.residency !== undefined : m.variants.has(variant));
      show(option, option.value === "standard" || models.some(priced));
    }
    if (select.selectedOptions[0]?.hidden) select.value = "standard";
  }

  private shape(): Shape {
    const f = this.shapeFields;
    return Object.fromEntries(Object.entries(f).map(([key, field]) => [key, field.value])) as unknown as Shape;
  }

  /** Reads the form: a field that cannot be read says why beside it, and the last good request stays. */
  private readForm(): void {
    const read = readShape(this.shape());
    const errors: FieldErrors = "errors" in read ? read.errors : {};
    for (const [key, field] of Object.entries(this.shapeFields)) {
      const message = errors[key as keyof Shape];
      const el = document.getElementById(`${field.id}-error`);
      if (message === undefined) field.removeAttribute("aria-invalid");
      else field.setAttribute("aria-invalid", "true");
      if (!el) continue;
      el.textContent = message ?? "";
      show(el, message !== undefined);
    }
    show(byId("shape-stale"), "errors" in read);
    show(this.shapeFields.thinking.closest("label")!, this.shapeFields.effort.value === "tokens");
    if ("request" in read) this.request = read.request;
  }

  private renderCompare(): void {
    this.readForm();
    const models = this.selectedModels();
    if (models.length === 0) return;
    const chartBox = byId("chart");
    const { currency } = this.request;
    const perUsd = currency === "USD" ? undefined : usdRate(activeCatalogue().data.fx, currency, today()).perUsd;
    const priced = perUsd ? inCurrency(priceAll(models, this.request), currency, perUsd) : priceAll(models, this.request);
    const money = (d: Dec) => moneyIn(currency, d);
    byId("cost-body").replaceChildren(
      ...priced.map((p) => {
        const insert = h("button", { type: "button", class: "link", title: `Put =TL.LLMCOST for ${p.id} into the active cell` }, "Insert");
        insert.dataset.id = p.id;
        const note = p.ok ? thinkingNote(p.thinking) : "";
        return h(
          "tr",
          { "data-id": p.id },
          h("th", { scope: "row", title: p.id }, ...modelName(p.id), note && h("span", { class: "note" }, note)),
          ...(p.ok
            ? [h("td", { class: "num" }, money(p.perRequest)), h("td", { class: "num" }, money(p.perMonth))]
            : [h("td", { colspan: 2, class: "na", title: p.detail }, p.reason)]),
          h("td", { class: "sheet-only" }, insert),
        );
      }),
    );
    this.chartWidth = chartBox.clientWidth;
    chartBox.replaceChildren(chart(priced, this.request.requests, this.chartWidth, money));
  }

  private async insertTable(): Promise<void> {
    const kind = (document.querySelector<HTMLInputElement>("input[name=insert-kind]:checked")?.value ?? "values") as "values" | "formulas";
    const cells = priceTableCells(this.selectedModels(), activeCatalogue(), kind);
    await this.inWorkbook(
      (context) => insertTable(context, cells),
      (address) => `Inserted ${count(cells.length - 1)} models at ${address}.`,
    );
  }

  private async insertFormula(id: string): Promise<void> {
    const model = activeCatalogue().byId.get(id);
    if (!model) return;
    const formula = llmcostFormula(model, this.request);
    await this.inWorkbook(
      (context) => insertFormula(context, formula),
      (address) => `Inserted ${formula} at ${address}.`,
    );
  }

  private async inWorkbook(step: (context: Excel.RequestContext) => Promise<string>, done: (address: string) => string): Promise<void> {
    const run = this.state.workbook;
    if (!run) return;
    try {
      this.message(done(await run(step)), false);
    } catch (e) {
      this.message(`Excel refused the insert: ${(e as Error).message}`, true);
    }
  }

  private message(text: string, error: boolean): void {
    const el = byId("prices-message");
    el.textContent = text;
    el.classList.toggle("message-error", error);
    show(el, true);
  }
}
