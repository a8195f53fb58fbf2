import { type Dec, type Param, valueError } from "@tokenledger/core";
import { activeCatalogue, onCatalogueChange, ratesOn, today } from "@tokenledger/core/catalogue";
import { FORECAST_DEFAULTS, type ForecastInputs, defaultScenarios, forecastLayout } from "./forecast";
import { AMOUNT_HINT, parseAmount } from "../amount";
import {
  type ArgValue,
  type ExampleContext,
  OFFERED,
  argLabel,
  argValue,
  isPercent,
  offered,
  percentText,
  valueList,
  valuesAround,
} from "./functions";
import type { SheetLayout } from "./layout";
import { SELFHOST_DEFAULTS, selfHostLayout } from "./selfhost";
import { sensitivityLayout } from "./sensitivity";
import { installStyles } from "./styles";
import { TORNADO_SWING, tornadoLayout } from "./tornado";
import { writeSheet } from "./write";

/**
 * The Scenarios tab: a small form per builder and a "Create sheet" button that writes the
 * builder's layout to a new sheet. Built with DOM calls only (the page's CSP is strict, and
 * catalogue ids are data, never markup).
 */

const DEFAULT_MODEL = "anthropic/claude-sonnet-4-6";
/** Where a forecast routes part of its traffic by default: the same maker's cheaper model. */
const DEFAULT_SECOND_MODEL = "anthropic/claude-haiku-4-5";
const DEFAULT_HARDWARE = "8xh200-sxm";
const GRID_FUNCTION = "LLMCOST";
const TORNADO_FUNCTION = "MONTHLYCOST";

type Children = (Node | string)[];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<"className" | "textContent" | "value" | "type" | "inputMode" | "htmlFor" | "id", string>> = {},
  ...children: Children
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

let ids = 0;
/** A labelled control, as one row of a form's two-column grid. */
function field(label: string, control: HTMLInputElement | HTMLSelectElement): Node[] {
  control.id ||= `tl-scenario-${++ids}`;
  return [el("label", { htmlFor: control.id, textContent: label }), control];
}

// No type attribute: text inputs keep exactly what was typed, and taskpane.css styles input:not([type]).
const textInput = (value: string | number, decimal = true) =>
  el("input", { value: String(value), ...(decimal ? { inputMode: "decimal" } : {}) });

function fillSelect(select: HTMLSelectElement, options: readonly string[], preferred: string): void {
  const keep = select.value || preferred;
  select.replaceChildren(...options.map((o) => el("option", { value: o, textContent: o })));
  select.value = options.includes(keep) ? keep : options.includes(preferred) ? preferred : (options[0] ?? "");
}

// --- reading the forms -------------------------------------------------------------------------

/** A typed number, read exactly ("1,500", "1.5k" and "2M" too; no float arithmetic). */
function decimalIn(input: HTMLInputElement, name: string): Dec {
  const d = parseAmount(input.value);
  if (!d) throw valueError(name, `must be ${AMOUNT_HINT}`);
  return d;
}

const numberIn = (input: HTMLInputElement, name: string) => decimalIn(input, name).toNumber();
/** A percentage typed as 5 for 5%, as the fraction the TL functions take. */
const percentIn = (input: HTMLInputElement, name: string) => decimalIn(input, name).div(100).toNumber();

// --- the catalogue pickers ---------------------------------------------------------------------

const modelIds = () => activeCatalogue().models.map((m) => m.id);
const hardwareIds = () => activeCatalogue().hardware.map((h) => h.id);

function hardwareEntry(id: string) {
  return activeCatalogue().hardwareById.get(id);
}

/** The examples' model and hardware: the defaults, or the catalogue's first where it lacks them. */
function exampleContext(): ExampleContext {
  const models = modelIds();
  const hardware = hardwareIds();
  const model = models.includes(DEFAULT_MODEL) ? DEFAULT_MODEL : (models[0] ?? "");
  const id = hardware.includes(DEFAULT_HARDWARE) ? DEFAULT_HARDWARE : (hardware[0] ?? "");
  return { model, hardware: id, kw: hardwareEntry(id)?.kw.toNumber() ?? 0 };
}

/** The hardware's first measured throughput, which HARDWARE also shows; "" when it has none. */
function measuredTps(id: string): string {
  return hardwareEntry(id)?.entry.measured[0]?.tokens_per_second ?? "";
}

// --- one builder ---------------------------------------------------------------------------------

interface Builder {
  readonly title: string;
  readonly blurb: string;
  readonly fields: HTMLElement;
  readonly layout: () => SheetLayout;
}

function section(builder: Builder, inExcel: boolean): HTMLElement {
  const button = el("button", { type: "button", className: "primary", textContent: "Create sheet" });
  const status = el("p", { className: "message" });
  status.setAttribute("role", "status");
  status.hidden = true;
  const show = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle("message-error", error);
    status.hidden = false;
  };
  button.disabled = !inExcel;
  button.addEventListener("click", async () => {
    let layout: SheetLayout;
    try {
      layout = builder.layout();
    } catch (e) {
      show(e instanceof Error ? e.message : String(e), true);
      return;
    }
    button.disabled = true;
    show("Writing the sheet…");
    try {
      const name = await Excel.run((context) => writeSheet(context, layout));
      show(`Created the sheet “${name}”.`);
    } catch (e) {
      show(`Excel could not write the sheet: ${e instanceof Error ? e.message : String(e)}`, true);
    } finally {
      button.disabled = false;
    }
  });
  return el(
    "section",
    { className: "card" },
    el("h2", { textContent: builder.title }),
    el("p", { className: "hint", textContent: builder.blurb }),
    builder.fields,
    el("div", { className: "actions" }, button),
    status,
  );
}

function forecastBuilder(refreshers: (() => void)[]): Builder {
  const d = FORECAST_DEFAULTS;
  const model = el("select");
  const secondModel = el("select");
  const currency = el("select");
  const users = textInput(d.users);
  const requests = textInput(d.requestsPerUser);
  const input = textInput(d.inputTokens);
  const output = textInput(d.outputTokens);
  const retry = textInput(percentText(d.retryRate));
  const months = el("select");
  fillSelect(months, ["24", "36"], String(d.months));
  const refresh = () => {
    fillSelect(model, modelIds(), DEFAULT_MODEL);
    fillSelect(secondModel, modelIds(), DEFAULT_SECOND_MODEL);
    // USD, then every currency TL.FX can answer today.
    fillSelect(currency, ["USD", ...ratesOn(activeCatalogue().data.fx, today()).map((r) => r.code)], d.currency);
  };
  refresh();
  refreshers.push(refresh);
  return {
    title: "Forecast",
    blurb:
      "Three scenarios side by side (conservative, expected, aggressive), each with its own growth, price change, cache hit rate and model mix to edit on the sheet; monthly, quarterly and yearly totals in your currency (=TL.FX), and one chart; below, a conversation's cost and a routing mix with reasoning models.",
    fields: el(
      "div",
      { className: "tl-fields" },
      ...field("Model", model),
      ...field("Second model (routed share)", secondModel),
      ...field("Currency", currency),
      ...field("Users in month 1", users),
      ...field("Requests per user per month", requests),
      ...field("Input tokens per request", input),
      ...field("Output tokens per request", output),
      ...field("Retry rate (%)", retry),
      ...field("Months", months),
    ),
    layout: () =>
      forecastLayout({
        currency: currency.value,
        users: numberIn(users, "users"),
        requestsPerUser: numberIn(requests, "requests per user"),
        inputTokens: numberIn(input, "input tokens"),
        outputTokens: numberIn(output, "output tokens"),
        retryRate: percentIn(retry, "retry rate"),
        months: months.value === "36" ? 36 : 24,
        scenarios: defaultScenarios(model.value, secondModel.value),
        // Conversation length and the routing mix are edited on the sheet.
        turns: d.turns,
        routes: d.routes,
        routerCost: d.routerCost,
      } satisfies ForecastInputs),
  };
}

/**
 * A TL function picker and one field per argument, refilled with the function's example
 * arguments when another function is picked. Text fields suggest the catalogue's ids; shares and
 * rates are typed as percents, like the forecast's, and handed on as fractions.
 */
function argumentsEditor(initial: string, ids: HTMLDataListElement, onPick: () => void) {
  const fn = el("select");
  fillSelect(fn, OFFERED, initial);
  const fields = el("div", { className: "tl-fields" });
  let inputs: HTMLInputElement[] = [];
  const pick = () => {
    const { fn: f, example } = offered(fn.value);
    const values = example(exampleContext());
    inputs = f.params.map((p, i) => {
      const value = values[i] ?? "";
      const input = textInput(typeof value === "number" && isPercent(p) ? percentText(value) : value, p.kind === "number");
      if (p.kind === "text" || p.kind === "any") input.setAttribute("list", ids.id);
      return input;
    });
    fields.replaceChildren(...f.params.flatMap((p, i) => field(paramLabel(p), inputs[i])));
    onPick();
  };
  fn.addEventListener("change", pick);
  return {
    picker: fn,
    fields,
    pick,
    name: () => fn.value,
    params: () => offered(fn.value).fn.params,
    values: (): ArgValue[] => inputs.map((input, i) => argValue(input.value, isPercent(offered(fn.value).fn.params[i]))),
  };
}

/** A field's label: "Cache hit rate (%)", "Mode (optional)". */
function paramLabel(p: Param<unknown>): string {
  return `${argLabel(p)}${isPercent(p) ? " (%)" : ""}${p.optional ? " (optional)" : ""}`;
}

function sensitivityBuilder(ids: HTMLDataListElement): Builder {
  const rowArg = el("select");
  const colArg = el("select");
  const rowValues = textInput("", false);
  const colValues = textInput("", false);
  const args = argumentsEditor(GRID_FUNCTION, ids, () => {
    const params = args.params();
    const values = args.values();
    const names = params.map(argLabel);
    for (const select of [rowArg, colArg])
      select.replaceChildren(...names.map((n, i) => el("option", { value: String(i), textContent: n })));
    // The first two arguments given as numbers vary by default.
    const numeric = values.flatMap((v, i) => (typeof v === "number" ? [i] : []));
    const [r = 0, c = 1] = numeric;
    rowArg.value = String(r);
    colArg.value = String(c);
    suggest(rowArg, rowValues);
    suggest(colArg, colValues);
  });
  const suggest = (select: HTMLSelectElement, list: HTMLInputElement) => {
    const p = args.params()[Number(select.value)];
    const around = valuesAround(p, args.values()[Number(select.value)] ?? "");
    list.value = around.map((v) => (typeof v === "number" && isPercent(p) ? percentText(v) : v)).join(", ");
  };
  rowArg.addEventListener("change", () => suggest(rowArg, rowValues));
  colArg.addEventListener("change", () => suggest(colArg, colValues));
  args.pick();
  return {
    title: "Sensitivity grid",
    blurb: "A TL function over two of its arguments, one formula a cell, shaded from cheapest to dearest.",
    fields: el(
      "div",
      {},
      el("div", { className: "tl-fields" }, ...field("Function", args.picker)),
      args.fields,
      el(
        "div",
        { className: "tl-fields" },
        ...field("Down the rows", rowArg),
        ...field("Row values (commas between)", rowValues),
        ...field("Across the columns", colArg),
        ...field("Column values (commas between)", colValues),
      ),
    ),
    layout: () => {
      const params = args.params();
      const r = Number(rowArg.value);
      const c = Number(colArg.value);
      return sensitivityLayout({
        fn: args.name(),
        args: args.values(),
        rowArg: r,
        colArg: c,
        rowValues: valueList(argLabel(params[r]), rowValues.value, isPercent(params[r])),
        colValues: valueList(argLabel(params[c]), colValues.value, isPercent(params[c])),
      });
    },
  };
}

function selfHostBuilder(refreshers: (() => void)[]): Builder {
  const d = SELFHOST_DEFAULTS;
  const hardware = el("select");
  const years = textInput(d.years);
  const power = textInput(d.powerPriceKwh);
  const pue = textInput(d.pue);
  const colo = textInput(d.coloPerKwMonth);
  const maintenance = textInput(d.maintenancePerYear);
  const ops = textInput(d.opsPerYear);
  const tps = textInput("");
  const utilisation = textInput(percentText(d.utilisation));
  const model = el("select");
  const outputShare = textInput(percentText(d.outputShare));
  const measured = () => (tps.value = measuredTps(hardware.value));
  hardware.addEventListener("change", measured);
  const refresh = () => {
    fillSelect(hardware, hardwareIds(), DEFAULT_HARDWARE);
    fillSelect(model, modelIds(), DEFAULT_MODEL);
  };
  refresh();
  measured();
  refreshers.push(refresh);
  return {
    title: "Self-host vs API",
    blurb: "What a GPU node costs to own, per node-hour and per 1M tokens, and the volume at which it beats the API.",
    fields: el(
      "div",
      { className: "tl-fields" },
      ...field("Hardware", hardware),
      ...field("Years of ownership", years),
      ...field("Power price (USD per kWh)", power),
      ...field("PUE", pue),
      ...field("Colocation (USD per kW-month)", colo),
      ...field("Maintenance (USD per year)", maintenance),
      ...field("Operations (USD per year)", ops),
      ...field("Throughput (tokens/s per node)", tps),
      ...field("Utilisation (%)", utilisation),
      ...field("API model", model),
      ...field("Output share of tokens (%)", outputShare),
    ),
    layout: () =>
      selfHostLayout({
        hardware: hardware.value,
        years: numberIn(years, "years"),
        powerPriceKwh: numberIn(power, "power price"),
        pue: numberIn(pue, "PUE"),
        coloPerKwMonth: numberIn(colo, "colocation"),
        maintenancePerYear: numberIn(maintenance, "maintenance"),
        opsPerYear: numberIn(ops, "operations"),
        tokensPerSecond: numberIn(tps, "throughput"),
        utilisation: percentIn(utilisation, "utilisation"),
        apiModel: model.value,
        outputShare: percentIn(outputShare, "output share"),
        // The demand curve and its sizing are edited on the sheet.
        demand: d.demand,
        percentile: d.percentile,
        headroom: d.headroom,
      }),
  };
}

function tornadoBuilder(ids: HTMLDataListElement): Builder {
  const args = argumentsEditor(TORNADO_FUNCTION, ids, () => {});
  const swing = textInput(percentText(TORNADO_SWING));
  args.pick();
  return {
    title: "Tornado",
    blurb: "Which argument moves a TL function most: each numeric argument swung down and up in turn, largest first.",
    fields: el(
      "div",
      {},
      el("div", { className: "tl-fields" }, ...field("Function", args.picker)),
      args.fields,
      el("div", { className: "tl-fields" }, ...field("Swing (±%)", swing)),
    ),
    layout: () => tornadoLayout({ fn: args.name(), args: args.values(), swing: percentIn(swing, "swing") }),
  };
}

/** Mounts the scenario builders into the Scenarios tab. Outside Excel the buttons stay disabled. */
export function mountScenarios(container: HTMLElement, options: { inExcel: boolean }): void {
  installStyles(container.ownerDocument);
  const ids = el("datalist", { id: "tl-scenario-ids" });
  const refreshers = [() => ids.replaceChildren(...[...modelIds(), ...hardwareIds()].map((id) => el("option", { value: id })))];
  refreshers[0]();
  const builders = [forecastBuilder(refreshers), sensitivityBuilder(ids), selfHostBuilder(refreshers), tornadoBuilder(ids)];
  const root = el("div", { className: "tl-scenarios" }, ids);
  if (!options.inExcel) {
    root.append(
      el("p", {
        className: "message",
        textContent: "Open TokenLedger in Excel to create these sheets: each builder writes a new worksheet of live TL formulas.",
      }),
    );
  }
  root.append(...builders.map((b) => section(b, options.inExcel)));
  container.replaceChildren(root);
  whenShown(container, () => refreshers.forEach((refresh) => refresh()));
}

/**
 * Runs `refresh` after each catalogue change, at once while `panel` shows, else when it next
 * shows: the model lists hold every model (5,000 options each in a big catalogue), which the
 * pane's start should not wait for behind another tab.
 */
function whenShown(panel: HTMLElement, refresh: () => void): void {
  let stale = false;
  const run = () => {
    stale = false;
    refresh();
  };
  onCatalogueChange(() => {
    stale = true;
    if (!panel.hidden) run();
  });
  new MutationObserver(() => {
    if (stale && !panel.hidden) run();
  }).observe(panel, { attributes: true, attributeFilter: ["hidden"] });
}
