import { type CompiledModel, activeCatalogue, ratesOn, today, usdRate } from "@tokenledger/core/catalogue";
import { DEFAULT_SHAPE, type Priced, type Shape, chart, llmcostFormula, moneyColumnIn, priceAll } from "./compare";
import { byId, count, h, modelName, show } from "./dom";
import { Grid } from "./grid";
import { type Filter, NO_FILTER, type Row, type Sort, filtered, providers, rowsOf, sorted } from "./rows";
import type { CatalogueState } from "./state";
import { insertFormula, insertTable, priceTableCells } from "./workbook";

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
  private readonly chips = (["cache", "reasoning", "batch"] as const).map((key) => [key, byId<HTMLInputElement>(`filter-${key}`)] as const);
  /** The chart's width when last drawn: a pane resized wider or narrower redraws it. */
  private chartWidth = 0;
  private readonly shapeFields = {
    input: byId<HTMLInputElement>("shape-input"),
    output: byId<HTMLInputElement>("shape-output"),
    cached: byId<HTMLInputElement>("shape-cached"),
    mode: byId<HTMLSelectElement>("shape-mode"),
    currency: byId<HTMLSelectElement>("shape-currency"),
  };

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
    for (const [key, box] of this.chips) box.addEventListener("change", () => this.setFilter({ [key]: box.checked }));
    this.fillCurrencies();
    for (const [key, field] of Object.entries(this.shapeFields)) field.value = DEFAULT_SHAPE[key as keyof Shape];
    for (const field of Object.values(this.shapeFields)) field.addEventListener("input", () => this.renderCompare());
    byId("clear-selection").addEventListener("click", () => {
      this.selected.clear();
      this.grid.refresh();
      this.renderSelection();
      this.search.focus(); // the button hides itself
    });
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

  /** Costs in the chosen currency: USD × TL.FX's rate today, exact. */
  private inCurrency(priced: readonly Priced[], currency: string): Priced[] {
    if (currency === "USD") return [...priced];
    const rate = usdRate(activeCatalogue().data.fx, currency, today()).perUsd;
    return priced.map((p) => (p.ok ? { ...p, perRequest: p.perRequest.times(rate), perMillion: p.perMillion.times(rate) } : p));
  }

  private setFilter(change: Partial<Filter>): void {
    this.filter = { ...this.filter, ...change };
    this.applyFilter();
  }

  private clearFilter(): void {
    this.search.value = "";
    this.provider.value = "";
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
    this.renderCompare();
  }

  private shape(): Shape {
    const f = this.shapeFields;
    return { input: f.input.value, output: f.output.value, cached: f.cached.value, mode: f.mode.value, currency: f.currency.value };
  }

  private renderCompare(): void {
    const models = this.selectedModels();
    const body = byId("cost-body");
    const chartBox = byId("chart");
    const error = byId("shape-error");
    if (models.length === 0) return;
    let priced: Priced[];
    const shape = this.shape();
    try {
      priced = this.inCurrency(priceAll(models, shape), shape.currency);
    } catch (e) {
      error.textContent = (e as Error).message;
      show(error, true);
      show(byId("costs"), false);
      chartBox.replaceChildren();
      return;
    }
    show(error, false);
    show(byId("costs"), true);
    const ok = priced.flatMap((p) => (p.ok ? [p] : []));
    const perRequest = moneyColumnIn(
      shape.currency,
      ok.map((p) => p.perRequest),
    );
    const perMillion = moneyColumnIn(
      shape.currency,
      ok.map((p) => p.perMillion),
    );
    const texts = new Map(ok.map((p, i) => [p, [perRequest[i], perMillion[i]]]));
    body.replaceChildren(
      ...priced.map((p) => {
        const insert = h("button", { type: "button", class: "link", title: `Put =TL.LLMCOST for ${p.id} into the active cell` }, "Insert");
        insert.dataset.id = p.id;
        return h(
          "tr",
          {},
          h("th", { scope: "row", title: p.id }, ...modelName(p.id)),
          ...(p.ok ? texts.get(p)!.map((t) => h("td", { class: "num" }, t)) : [h("td", { colspan: 2, class: "na" }, p.reason)]),
          h("td", { class: "sheet-only" }, insert),
        );
      }),
    );
    this.chartWidth = chartBox.clientWidth;
    chartBox.replaceChildren(chart(priced, this.chartWidth, (d) => moneyColumnIn(shape.currency, [d])[0]));
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
    let formula: string;
    try {
      formula = llmcostFormula(id, this.shape());
    } catch (e) {
      return this.message((e as Error).message, true);
    }
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
