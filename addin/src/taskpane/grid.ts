import { h, modelName } from "./dom";
import { COLUMNS, type Row, type Sort } from "./rows";

/**
 * The model table. Only the rows in view (plus a few either side) exist in the DOM; spacer rows
 * above and below keep the scroll height of the whole list, so a catalogue of 3,000 models costs
 * what 30 rows cost. Rows have one fixed height, which makes "which rows are in view" arithmetic.
 */

/** Matches --row in taskpane.css. */
const ROW_HEIGHT = 36;
const OVERSCAN = 6;
/** Checkbox, then COLUMNS, in px: the table scrolls sideways in a narrow pane. */
const WIDTHS = [30, 150, 66, 66, 80, 84, 84, 110, 86];

export interface GridOptions {
  readonly scroller: HTMLElement;
  readonly cols: HTMLElement;
  readonly head: HTMLTableRowElement;
  readonly body: HTMLTableSectionElement;
  readonly isSelected: (id: string) => boolean;
  readonly onToggle: (id: string, selected: boolean) => void;
  readonly onSort: (sort: Sort) => void;
}

export class Grid {
  private rows: readonly Row[] = [];
  private first = -1;
  private last = -1;
  private sort: Sort = { column: 0, descending: false };
  private frame = 0;
  private readonly topSpacer = h("td", { colspan: WIDTHS.length });
  private readonly bottomSpacer = h("td", { colspan: WIDTHS.length });

  constructor(private readonly o: GridOptions) {
    for (const w of WIDTHS) {
      const col = h("col");
      col.style.width = `${w}px`;
      o.cols.append(col);
    }
    o.scroller.addEventListener("scroll", () => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.renderWindow(false));
    });
    o.body.addEventListener("change", (e) => {
      const box = e.target as HTMLInputElement;
      const id = box.dataset.id;
      if (id === undefined) return;
      box.closest("tr")?.classList.toggle("selected", box.checked);
      o.onToggle(id, box.checked);
    });
    this.renderHead();
  }

  setSort(sort: Sort): void {
    this.sort = sort;
    this.renderHead();
  }

  /** Shows `rows` from the top. */
  setRows(rows: readonly Row[]): void {
    this.rows = rows;
    this.o.scroller.scrollTop = 0;
    this.renderWindow(true);
  }

  /** Re-renders the rows in view (after the selection changed elsewhere). */
  refresh(): void {
    this.renderWindow(true);
  }

  private renderHead(): void {
    const cells = [h("th", { scope: "col", class: "pick" }, h("span", { class: "visually-hidden" }, "Compare"))];
    COLUMNS.forEach((c, i) => {
      const active = this.sort.column === i;
      const button = h("button", { type: "button", title: `${c.title}: sort` }, c.label, h("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (this.sort.descending ? "▼" : "▲") : ""));
      button.addEventListener("click", () => this.o.onSort({ column: i, descending: active ? !this.sort.descending : c.numeric }));
      cells.push(
        h(
          "th",
          { scope: "col", class: `${c.key}${c.numeric ? " num" : ""}`, "aria-sort": active ? (this.sort.descending ? "descending" : "ascending") : undefined },
          button,
        ),
      );
    });
    this.o.head.replaceChildren(...cells);
  }

  private renderWindow(force: boolean): void {
    const { scroller, body } = this.o;
    const n = this.rows.length;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(n, first + visible);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    this.topSpacer.style.height = `${first * ROW_HEIGHT}px`;
    this.bottomSpacer.style.height = `${(n - last) * ROW_HEIGHT}px`;
    const trs: HTMLTableRowElement[] = [h("tr", { class: "spacer", "aria-hidden": "true" }, this.topSpacer)];
    for (let i = first; i < last; i++) trs.push(this.renderRow(this.rows[i]));
    trs.push(h("tr", { class: "spacer", "aria-hidden": "true" }, this.bottomSpacer));
    if (n === 0) trs.splice(1, 0, h("tr", { class: "empty" }, h("td", { colspan: WIDTHS.length }, "No model matches.")));
    body.replaceChildren(...trs);
  }

  private renderRow(r: Row): HTMLTableRowElement {
    const selected = this.o.isSelected(r.id);
    const box = h("input", { type: "checkbox", "aria-label": `Compare ${r.id}` });
    box.dataset.id = r.id;
    box.checked = selected;
    const cells = [h("td", { class: "pick" }, box)];
    r.cells.forEach((text, i) => {
      const c = COLUMNS[i];
      if (c.key === "id") {
        cells.push(h("td", { class: "id", title: `${r.name} (${r.id})` }, ...modelName(r.id)));
        return;
      }
      const org = r.overridden.has(i);
      const title = org ? `${text}: your organisation's price` : text || undefined;
      cells.push(h("td", { class: `${c.key}${c.numeric ? " num" : ""}${org ? " org" : ""}`, title }, text || "—"));
    });
    return h("tr", { class: selected ? "selected" : undefined, "data-id": r.id }, ...cells);
  }
}
