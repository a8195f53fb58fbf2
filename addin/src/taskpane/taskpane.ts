import { type DateSystem, dateSystem, setDateSystem } from "@tokenledger/core";
import { activeCatalogue, isPinned, onCatalogueChange } from "@tokenledger/core/catalogue";
import { config } from "zod";
import { mountActuals } from "./actuals/panel";
import { CatalogueTab } from "./catalogue-tab";
import { byId, count, show } from "./dom";
import { mountExplain } from "./explain";
import { STALE_DAYS, ageInDays, ageText, dayText, sourceText } from "./freshness";
import { inExcel, localStorageKV, runInExcel } from "./host";
import { PricesTab } from "./prices";
import { mountScenarios } from "./scenarios/panel";
import { CatalogueState, type RunInWorkbook } from "./state";
import { Recalculation } from "./recalc";
import { readDateSystem } from "./workbook";

// The page's CSP refuses eval: zod must not probe `new Function` (the functions entry says so
// too; this entry may run first in a plain browser).
config({ jitless: true });

/**
 * The task pane. In Excel it shares the page with the TL functions, so the catalogue it makes
 * active is the one they price with; in a plain browser (Office.onReady's host is null) it is a
 * standalone pricing browser, its sheet actions hidden.
 */

function setUpTabs(): void {
  // Tabs hidden by CSS (Explain, outside Excel) take no part in arrow-key moves.
  const tabs = [...document.querySelectorAll<HTMLButtonElement>("[role=tab]")].filter((t) => t.offsetParent !== null);
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      show(byId(t.getAttribute("aria-controls")!), on);
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
}

function renderMasthead(state: CatalogueState): void {
  const { data, models } = activeCatalogue();
  const age = ageInDays(data.as_of, new Date());
  byId("catalogue-line").textContent = `${count(models.length)} models · prices of ${dayText(data.as_of)}, ${ageText(age)}`;
  byId("catalogue-line").title = sourceText(data);
  byId("stale-days").textContent = ageText(age);
  show(byId("stale-notice"), age > STALE_DAYS);
  show(byId("pinned-badge"), isPinned());
  const overlay = state.current.overlay;
  const badge = byId("overlay-badge");
  badge.textContent = overlay ? overlay.name : "";
  show(badge, overlay !== undefined);
}

async function start(excel: boolean): Promise<void> {
  document.body.classList.toggle("in-excel", excel);
  const workbook: RunInWorkbook | undefined = excel ? runInExcel : undefined;
  const recalculation = workbook && new Recalculation(workbook, (problem) => showMessage("recalc-message", problem));
  const state = new CatalogueState(localStorageKV(), workbook);
  const prices = new PricesTab(state);
  const catalogue = new CatalogueTab(state, localStorageKV());
  setUpTabs();
  byId("stale-refresh").addEventListener("click", () => byId("tab-catalogue").click());
  mountScenarios(byId("panel-scenarios"), { inExcel: excel });
  mountActuals(byId("panel-actuals"), { inExcel: excel });
  if (workbook) mountExplain(byId("panel-explain"), workbook, Office.context.requirements.isSetSupported("ExcelApi", "1.12"));

  let queued = false;
  const render = () => {
    renderMasthead(state);
    prices.load();
    catalogue.load();
  };
  onCatalogueChange(() => {
    // Several changes in one task (an accept sets the catalogue once, a load may too) render once.
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      render();
      void recalculation?.request();
    });
  });
  render();
  if (workbook) await adoptDateSystem(workbook, recalculation);
  try {
    const problem = await state.load();
    if (problem) showStartProblem(problem);
  } catch (e) {
    showStartProblem(`The saved prices could not be read (${(e as Error).message}); the bundled catalogue is in use.`);
  }
}

/** as_of serials count from the workbook's epoch: a 1904 workbook's are 1,462 days behind 1900's. */
async function adoptDateSystem(workbook: RunInWorkbook, recalculation: Recalculation | undefined): Promise<void> {
  let system: DateSystem;
  try {
    system = await workbook(readDateSystem);
  } catch (e) {
    showStartProblem(`The workbook's date system could not be read (${(e as Error).message}); as_of dates are read as 1900-system dates.`);
    return;
  }
  if (system === dateSystem()) return;
  setDateSystem(system);
  void recalculation?.request();
}

function showStartProblem(text: string): void {
  showMessage("banner", text);
}

function showMessage(id: string, text: string | undefined): void {
  const el = byId(id);
  el.textContent = text ?? "";
  show(el, text !== undefined);
}

Office.onReady(() => start(inExcel()));
