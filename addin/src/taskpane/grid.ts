import { h, modelName } from "./dom";
import { COLUMNS, type Row, type Sort } from "./rows";

/**
 * The model table, an ARIA grid of fixed-height rows. Only the rows in view (and a few either
 * side) exist in the DOM, each placed absolutely in a body as tall as the whole list, so 3,000
 * models cost what 16 rows cost, and a keystroke re-lays out those rows alone. The window is
 * worked out from a scroll position and height kept from events, never read back from layout.
 *
 * From the keyboard the rows are one tab stop (the active row's checkbox): arrows, Page Up/Down,
 * Home and End move between rows, Space or Enter ticks one. Scrolling keeps the rows still in
 * view as they are, so the checkbox with focus keeps it.
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
  /** What the body shows when no row matches. */
  readonly empty: () => Node;
}

export class Grid {
  private rows: readonly Row[] = [];
  private first = -1;
  private last = -1;
  /** The rendered rows, by index into `rows`. */
  private rendered = new Map<number, HTMLElement>();
  /** The row whose checkbox is the grid's tab stop. */
  private active = 0;
  private sort: Sort = { column: 0, descending: false };
  private frame = 0;
  private scrollTop = 0;
  private viewHeight: number;

  constructor(private readonly o: GridOptions) {
    this.viewHeight = o.scroller.clientHeight;
    new ResizeObserver(() => {
      this.viewHeight = o.scroller.clientHeight;
      // The width in view, scrollbar excluded, which the model column shares out (taskpane.css).
      o.scroller.style.setProperty("--view-width", `${o.scroller.clientWidth}px`);
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
    o.body.addEventListener("focusin", (e) => {
      const index = this.indexOf(e.target as Element);
      if (index !== undefined) this.setActive(index);
    });
    o.body.addEventListener("keydown", (e) => this.onKey(e));
    this.renderHead();
  }

  setSort(sort: Sort): void {
    this.sort = sort;
    this.renderHead();
  }

  /** Shows `rows` from the top. */
  setRows(rows: readonly Row[]): void {
    this.rows = rows;
    this.active = 0;
    // An empty list keeps two rows' height for its message.
    this.o.body.style.height = `${Math.max(rows.length, 2) * ROW_HEIGHT}px`;
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
      const button = h(
        "button",
        { type: "button", title: `${c.title}: sort` },
        h("span", { class: "label" }, c.label, mark),
        c.unit && h("span", { class: "unit" }, c.unit),
      );
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
    // Scrolled away from the tab stop: it moves to the first row in view.
    if (n > 0 && (this.active < first || this.active >= last)) this.active = Math.min(n - 1, Math.ceil(this.scrollTop / ROW_HEIGHT));
    if (n === 0) {
      this.rendered = new Map();
      this.o.body.replaceChildren(h("div", { class: "grid-empty", role: "row" }, h("div", { role: "gridcell" }, this.o.empty())));
      return;
    }
    const kept = force ? new Map<number, HTMLElement>() : this.rendered;
    this.rendered = new Map();
    // New rows go before or after the kept ones, so the DOM runs in index order, top to bottom.
    const before: HTMLElement[] = [];
    const after: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      let row = kept.get(i);
      if (!row) (this.rendered.size > before.length ? after : before).push((row = this.renderRow(this.rows[i], i)));
      this.rendered.set(i, row);
    }
    for (const [i, row] of kept) if (!this.rendered.has(i)) row.remove();
    if (force) this.o.body.replaceChildren(...before);
    else {
      this.o.body.prepend(...before);
      this.o.body.append(...after);
    }
    this.setActive(this.active);
  }

  private renderRow(r: Row, index: number): HTMLElement {
    const selected = this.o.isSelected(r.id);
    const box = h("input", { type: "checkbox", "aria-label": `Compare ${r.id}` });
    box.dataset.id = r.id;
    box.checked = selected;
    box.tabIndex = index === this.active ? 0 : -1;
    const cells = [h("div", { role: "gridcell", class: "cell pick" }, box)];
    r.cells.forEach((text, i) => {
      const c = COLUMNS[i];
      if (c.key === "id") {
        cells.push(h("div", { role: "rowheader", class: "cell id", title: `${r.name} (${r.id})` }, ...modelName(r.id)));
        return;
      }
      const org = r.overridden.has(i);
      const shown = r.exact.get(i) ?? text;
      const title = org ? `${shown}: your organisation's price` : shown || undefined;
      cells.push(h("div", { role: "gridcell", class: `cell ${c.key}${c.numeric ? " num" : ""}${org ? " org" : ""}`, title }, text || "—"));
    });
    const row = h(
      "div",
      { role: "row", class: selected ? "grid-row selected" : "grid-row", "data-id": r.id, "aria-rowindex": index + 2 },
      ...cells,
    );
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    return row;
  }

  /** The index of the row an element is in, if it is a rendered row. */
  private indexOf(el: Element): number | undefined {
    const index = Number(el.closest(".grid-row")?.getAttribute("aria-rowindex")) - 2;
    return this.rendered.has(index) ? index : undefined;
  }

  private checkbox(index: number): HTMLInputElement | undefined {
    return this.rendered.get(index)?.querySelector("input") ?? undefined;
  }

  private setActive(index: number): void {
    const was = this.checkbox(this.active);
    if (was) was.tabIndex = -1;
    this.active = index;
    const box = this.checkbox(index);
    if (box) box.tabIndex = 0;
  }

  private onKey(e: KeyboardEvent): void {
    const from = this.indexOf(e.target as Element);
    if (from === undefined) return;
    if (e.key === "Enter") {
      e.preventDefault();
      this.checkbox(from)?.click();
      return;
    }
    const page = Math.max(1, Math.floor(this.viewHeight / ROW_HEIGHT) - 2);
    const steps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -from, End: this.rows.length };
    const step = steps[e.key];
    if (step === undefined) return;
    e.preventDefault();
    this.focusRow(Math.min(this.rows.length - 1, Math.max(0, from + step)));
  }

  /** Moves the tab stop and focus to a row, rendering it first when it is out of the window. */
  private focusRow(index: number): void {
    if (!this.rendered.has(index)) {
      this.o.scroller.scrollTop = index * ROW_HEIGHT;
      this.scrollTop = this.o.scroller.scrollTop; // the browser clamps it near the end
      this.renderWindow(false);
    }
    this.setActive(index);
    this.checkbox(index)?.focus(); // scrolls it into view, below the sticky header (scroll-padding-top)
  }
}
