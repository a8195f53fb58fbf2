import { h, modelName } from "./dom";
import { COLUMNS, type Row, type Sort } from "./rows";

/**
 * The model table, an ARIA grid of fixed-height rows. Only the rows in view (and a few either
 * side) exist in the DOM, each placed absolutely in a body as tall as the whole list, so 3,000
 * models cost what 16 rows cost, and a keystroke re-lays out those rows alone. The window is
 * worked out from a scroll position and height kept from events, never read back from layout.
 */

/** Matches --row in taskpane.css. */
const ROW_HEIGHT = 36;
const OVERSCAN = 3;

export interface GridOptions {
  readonly scroller: HTMLElement;
  readonly head: HTMLElement;
  readonly body: HTMLElement;
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
  private scrollTop = 0;
  private viewHeight: number;

  constructor(private readonly o: GridOptions) {
    this.viewHeight = o.scroller.clientHeight;
    new ResizeObserver(() => {
      this.viewHeight = o.scroller.clientHeight;
      this.renderWindow(false);
    }).observe(o.scroller);
    o.scroller.addEventListener("scroll", () => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => {
        this.scrollTop = o.scroller.scrollTop;
        this.renderWindow(false);
      });
    });
    o.body.addEventListener("change", (e) => {
      const box = e.target as HTMLInputElement;
      const id = box.dataset.id;
      if (id === undefined) return;
      box.closest(".grid-row")?.classList.toggle("selected", box.checked);
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
    this.o.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.o.scroller.setAttribute("aria-rowcount", String(rows.length + 1));
    if (this.scrollTop !== 0) this.o.scroller.scrollTop = this.scrollTop = 0;
    this.renderWindow(true);
  }

  /** Re-renders the rows in view (after the selection changed elsewhere). */
  refresh(): void {
    this.renderWindow(true);
  }

  private renderHead(): void {
    const cells = [h("div", { role: "columnheader", class: "cell pick" }, h("span", { class: "visually-hidden" }, "Compare"))];
    COLUMNS.forEach((c, i) => {
      const active = this.sort.column === i;
      const mark = h("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (this.sort.descending ? "▼" : "▲") : "");
      const button = h("button", { type: "button", title: `${c.title}: sort` }, c.label, mark);
      button.addEventListener("click", () => this.o.onSort({ column: i, descending: active ? !this.sort.descending : c.numeric }));
      const sort = active ? (this.sort.descending ? "descending" : "ascending") : undefined;
      cells.push(h("div", { role: "columnheader", class: `cell ${c.key}${c.numeric ? " num" : ""}`, "aria-sort": sort }, button));
    });
    this.o.head.replaceChildren(...cells);
  }

  private renderWindow(force: boolean): void {
    const n = this.rows.length;
    const first = Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n, Math.ceil((this.scrollTop + this.viewHeight) / ROW_HEIGHT) + OVERSCAN);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const out: HTMLElement[] = [];
    for (let i = first; i < last; i++) out.push(this.renderRow(this.rows[i], i));
    if (n === 0) out.push(h("div", { class: "grid-empty", role: "row" }, h("div", { role: "gridcell" }, "No model matches.")));
    this.o.body.replaceChildren(...out);
  }

  private renderRow(r: Row, index: number): HTMLElement {
    const selected = this.o.isSelected(r.id);
    const box = h("input", { type: "checkbox", "aria-label": `Compare ${r.id}` });
    box.dataset.id = r.id;
    box.checked = selected;
    const cells = [h("div", { role: "gridcell", class: "cell pick" }, box)];
    r.cells.forEach((text, i) => {
      const c = COLUMNS[i];
      if (c.key === "id") {
        cells.push(h("div", { role: "rowheader", class: "cell id", title: `${r.name} (${r.id})` }, ...modelName(r.id)));
        return;
      }
      const org = r.overridden.has(i);
      const title = org ? `${text}: your organisation's price` : text || undefined;
      cells.push(h("div", { role: "gridcell", class: `cell ${c.key}${c.numeric ? " num" : ""}${org ? " org" : ""}`, title }, text || "—"));
    });
    const row = h("div", { role: "row", class: selected ? "grid-row selected" : "grid-row", "data-id": r.id, "aria-rowindex": index + 2 }, ...cells);
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    return row;
  }
}
