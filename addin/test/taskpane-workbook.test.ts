import { referenceCatalogue } from "../../test/reference";
import { OfficeMockObject } from "office-addin-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FUNCTIONS, invoke, toPlain } from "@tokenledger/core";
import {
  type Catalogue,
  MemoryStorage,
  activeCatalogue,
  bundledCatalogue,
  compileCatalogue,
  deserialise,
  isPinned,
  propose,
  serialise,
  setActiveCatalogue,
} from "@tokenledger/core/catalogue";
import { DEFAULT_SHAPE, type Request, type Shape, llmcostFormula, readShape } from "../src/taskpane/compare";
import { CatalogueState } from "../src/taskpane/state";
import {
  OVERLAY_NAMESPACE,
  PIN_NAMESPACE,
  insertFormula,
  insertTable,
  partText,
  partXml,
  priceTableCells,
  readPart,
  recalculate,
  removePart,
  writePart,
} from "../src/taskpane/workbook";

/**
 * The task pane's workbook steps against office-addin-mock's Excel: the sheet inserts, the custom
 * XML parts that keep a pinned catalogue and an overlay, and the pin taking effect on load. The
 * mock answers an unloaded property with an error string, so a missing load() shows up as a wrong
 * value rather than passing by luck.
 */

const bundled = referenceCatalogue();
const model = (id: string) => bundled.byId.get(id)!;
/** The comparison's request as the pane reads its form: the defaults (1,500 in, 300 out) with some fields typed. */
const request = (typed: Partial<Shape>) => (readShape({ ...DEFAULT_SHAPE, ...typed }) as { request: Request }).request;

/** A custom XML part as the mock keeps it. */
interface Part {
  xml: string;
  getXml(): { value: string };
  setXml(xml: string): void;
  delete(): void;
}

function part(list: Part[], xml: string): Part {
  return {
    xml,
    getXml() {
      return { value: this.xml };
    },
    setXml(next) {
      this.xml = next;
    },
    delete() {
      list.splice(list.indexOf(this), 1);
    },
  };
}

/** An Excel request context over one sheet cell and custom XML parts holding `pinned` (XML texts by namespace). */
function excel(pinned: Record<string, string[]> = {}) {
  // Live arrays: what add() and delete() change, the next load of `items` sees.
  const parts: Record<string, Part[]> = {};
  for (const ns of [PIN_NAMESPACE, OVERLAY_NAMESPACE]) {
    const list: Part[] = [];
    list.push(...(pinned[ns] ?? []).map((xml) => part(list, xml)));
    parts[ns] = list;
  }
  const scoped = Object.fromEntries(Object.entries(parts).map(([ns, items]) => [ns, { items }]));
  const mock = new OfficeMockObject({
    workbook: {
      activeCell: {
        address: "Sheet1!B2",
        target: {
          address: "Sheet1!B2:J4",
          worksheet: {
            tables: {
              table: {
                range: { format: { autofitColumns() {} } },
                getRange() {
                  return this.range;
                },
              },
              add(this: { added?: unknown; table: unknown }, range: unknown, hasHeaders: boolean) {
                this.added = { range, hasHeaders };
                return this.table;
              },
            },
          },
        },
        getResizedRange(this: { resizedBy?: number[]; target: unknown }, rows: number, cols: number) {
          this.resizedBy = [rows, cols];
          return this.target;
        },
      },
      getActiveCell() {
        return this.activeCell;
      },
      application: {
        calculate(this: { calculated?: string }, type: string) {
          this.calculated = type;
        },
      },
      customXmlParts: {
        scoped,
        getByNamespace(ns: string) {
          return this.scoped[ns];
        },
        add(xml: string) {
          const list = parts[/xmlns="([^"]+)"/.exec(xml)![1]];
          list.push(part(list, xml));
        },
      },
    },
  });
  return { mock, context: mock as unknown as Excel.RequestContext, parts };
}

describe("insert into the sheet", () => {
  const picked = [model("anthropic/claude-sonnet-4-6"), model("mistral/codestral")];

  it("the selection as a table of values with as-of and source, from the active cell", async () => {
    const { mock, context } = excel();
    const cells = priceTableCells(picked, bundled, "values");
    const source = bundled.data.source;
    // Reference catalogue: Sonnet 3 / 15 / 0.30 / 3.75, 200,000 tokens; Codestral 0.20 / 0.60, no cache prices, 256,000.
    expect(cells).toEqual([
      [
        "Model",
        "Provider",
        "Input $/1M tokens",
        "Output $/1M tokens",
        "Cache read $/1M tokens",
        "Cache write $/1M tokens",
        "Context tokens",
        "As of",
        "Source",
      ],
      ["anthropic/claude-sonnet-4-6", "anthropic", 3, 15, 0.3, 3.75, 200000, "2026-06-15", source],
      ["mistral/codestral", "mistral", 0.2, 0.6, "", "", 256000, "2026-06-15", source],
    ]);
    expect(await insertTable(context, cells)).toBe("Sheet1!B2:J4");
    const target = mock.workbook.activeCell.target;
    expect(mock.workbook.activeCell.resizedBy).toEqual([2, 8]);
    expect(target.formulas).toEqual(cells);
    expect(target.worksheet.tables.added).toEqual({ range: target, hasHeaders: true });
  });

  it("or as live =TL.PRICE formulas, blank where the model has no such price", () => {
    expect(priceTableCells(picked, bundled, "formulas")).toEqual([
      [
        "Model",
        "Provider",
        "Input $/1M tokens",
        "Output $/1M tokens",
        "Cache read $/1M tokens",
        "Cache write $/1M tokens",
        "Context tokens",
      ],
      [
        "anthropic/claude-sonnet-4-6",
        "anthropic",
        '=TL.PRICE("anthropic/claude-sonnet-4-6","input")',
        '=TL.PRICE("anthropic/claude-sonnet-4-6","output")',
        '=TL.PRICE("anthropic/claude-sonnet-4-6","cache_read")',
        '=TL.PRICE("anthropic/claude-sonnet-4-6","cache_write")',
        200000,
      ],
      ["mistral/codestral", "mistral", '=TL.PRICE("mistral/codestral","input")', '=TL.PRICE("mistral/codestral","output")', "", "", 256000],
    ]);
  });

  it("text from a feed that Excel would read as a formula goes in as text", () => {
    const codestral = model("mistral/codestral").entry;
    const hostile = compileCatalogue({ ...bundled.data, models: [{ ...codestral, provider: '=HYPERLINK("https://evil.example","x")' }] });
    expect(priceTableCells(hostile.models, hostile, "values")[1][1]).toBe(`'=HYPERLINK("https://evil.example","x")`);
  });

  it("a ready LLMCOST formula into the active cell", async () => {
    const { mock, context } = excel();
    const formula = llmcostFormula(model("anthropic/claude-sonnet-4-6"), request({}));
    // Trailing defaults left out: the contract's LLMCOST(model, input_tokens, output_tokens, …).
    expect(formula).toBe('=TL.LLMCOST("anthropic/claude-sonnet-4-6",1500,300)');
    expect(await insertFormula(context, formula)).toBe("Sheet1!B2");
    expect(mock.workbook.activeCell.formulas).toEqual([[formula]]);
    // A mode skips cache_write_tokens and reasoning_tokens (omitted, so 0) to reach argument 7.
    expect(llmcostFormula(model("openai/gpt-4o"), request({ cached: "500", mode: "batch" }))).toBe(
      '=TL.LLMCOST("openai/gpt-4o",1500,300,500,,,"batch")',
    );
    // Thinking at an effort stays live: the catalogue's estimate through THINKING_TOKENS.
    expect(llmcostFormula(model("openai/o3"), request({ input: "1.5k", effort: "medium" }))).toBe(
      '=TL.LLMCOST("openai/o3",1500,300,,,TL.THINKING_TOKENS("openai/o3","medium"))',
    );
    expect(llmcostFormula(model("openai/o3"), request({ effort: "tokens", thinking: "4,000" }))).toBe(
      '=TL.LLMCOST("openai/o3",1500,300,,,4000)',
    );
    // Another currency is a live conversion, not a converted constant.
    expect(llmcostFormula(model("anthropic/claude-sonnet-4-6"), request({ currency: "EUR" }))).toBe(
      '=TL.LLMCOST("anthropic/claude-sonnet-4-6",1500,300)*TL.FX("EUR")',
    );
  });
});

it("recalculates the whole workbook after the catalogue changes", async () => {
  const { mock, context } = excel();
  // The one Excel enum the steps use; outside Excel there is no Excel global.
  vi.stubGlobal("Excel", { CalculationType: { full: "Full" } });
  try {
    await recalculate(context);
  } finally {
    vi.unstubAllGlobals();
  }
  expect(mock.workbook.application.calculated).toBe("Full");
});

describe("custom XML parts", () => {
  it("round-trip any text, markup and entities included", () => {
    const text = "a < b && c > d \"q\" 's' ]]> é 😀";
    expect(partText(partXml(PIN_NAMESPACE, text))).toBe(text);
    // Excel may hand the XML back re-encoded: a prefix, numeric references, another declaration.
    expect(
      partText(`<?xml version="1.0" standalone="no"?><t:tokenledger xmlns:t="${PIN_NAMESPACE}">&#60;&#x3E;&quot;</t:tokenledger>`),
    ).toBe('<>"');
    // A part that is there but holds no text is unreadable, not "no part".
    expect(() => partText("<other/>")).toThrow("it is empty or cut short");
  });

  it("keep the pinned catalogue in the workbook: write, read back, replace, remove", async () => {
    const { context, parts } = excel();
    expect(await readPart(context, PIN_NAMESPACE)).toBeNull();
    const text = serialise(bundled.data);
    await writePart(context, PIN_NAMESPACE, text);
    expect(parts[PIN_NAMESPACE]).toHaveLength(1);
    expect(deserialise((await readPart(context, PIN_NAMESPACE))!)).toEqual(bundled.data);

    const newer: Catalogue = { ...bundled.data, version: "2026.07.01" };
    await writePart(context, PIN_NAMESPACE, serialise(newer));
    expect(parts[PIN_NAMESPACE]).toHaveLength(1);
    expect(deserialise((await readPart(context, PIN_NAMESPACE))!).version).toBe("2026.07.01");
    expect(await readPart(context, OVERLAY_NAMESPACE)).toBeNull();

    await removePart(context, PIN_NAMESPACE);
    expect(parts[PIN_NAMESPACE]).toHaveLength(0);
    expect(await readPart(context, PIN_NAMESPACE)).toBeNull();
  });
});

describe("pinning through the task pane's state", () => {
  afterEach(() => setActiveCatalogue(referenceCatalogue()));

  const pinnedWorkbook = (catalogue: Catalogue) => {
    const e = excel({ [PIN_NAMESPACE]: [partXml(PIN_NAMESPACE, serialise(catalogue))] });
    const state = new CatalogueState(new MemoryStorage(), (step) => step(e.context));
    return { ...e, state };
  };
  const info = () => Object.fromEntries(toPlain(invoke(FUNCTIONS.CATALOG_INFO, [])) as [string, unknown][]);

  it("a workbook's pinned catalogue becomes active on load, pinned, whatever this browser accepted", async () => {
    const pinned: Catalogue = { ...bundled.data, version: "pinned-2026.05", models: bundled.data.models.slice(0, 3) };
    const { state } = pinnedWorkbook(pinned);
    // This browser's latest is something else: the workbook's pin still wins.
    state.store.accept({ ...bundled.data, version: "local-latest" });
    expect(await state.load()).toBeUndefined();
    expect(isPinned()).toBe(true);
    expect(info()).toMatchObject({ version: "pinned-2026.05", models: 3, pinned: true });
  });

  it("accepting a refresh in Excel pins it into the workbook; unpin returns to this browser's latest", async () => {
    const { state, parts } = pinnedWorkbook(bundled.data);
    await state.load();
    const fresh: Catalogue = { ...bundled.data, version: "2026.08.01", source: "test feed" };
    await state.accept(propose(bundled.data, { catalogue: fresh, rejected: [], skipped: {}, notes: [] }));
    expect(deserialise(partText(parts[PIN_NAMESPACE][0].xml)!).version).toBe("2026.08.01");
    expect(info()).toMatchObject({ version: "2026.08.01", pinned: true });

    await state.unpin();
    expect(parts[PIN_NAMESPACE]).toHaveLength(0);
    // This browser's latest is the one just accepted.
    expect(info()).toMatchObject({ version: "2026.08.01", pinned: false });
    expect(activeCatalogue().data.source).toBe("test feed");
  });

  it("a damaged pin leaves the latest catalogue active and says so", async () => {
    // As at start-up in Excel: no local history, so the shipped default is the latest and in force.
    setActiveCatalogue(bundledCatalogue());
    const { state, parts } = pinnedWorkbook(bundled.data);
    parts[PIN_NAMESPACE][0].xml = partXml(PIN_NAMESPACE, '{"format":"tokenledger-catalogue/1","vers');
    expect(await state.load()).toBe(
      "The workbook's pinned catalogue (custom XML part urn:tokenledger:pinned-catalogue:1) could not be read (the pinned catalogue is not JSON (damaged or cut short)); the bundled catalogue is in use, and what could not be read is left as it is until you replace it.",
    );
    expect(info()).toMatchObject({ version: bundledCatalogue().data.version, pinned: false });
  });
});

describe("a workbook's saved state that cannot be read (issue 13, item 5)", () => {
  // As at start-up in Excel, with no local history: the shipped default is in force.
  beforeEach(() => setActiveCatalogue(bundledCatalogue()));
  afterEach(() => setActiveCatalogue(referenceCatalogue()));

  const PIN_PART = "The workbook's pinned catalogue (custom XML part urn:tokenledger:pinned-catalogue:1) could not be read";
  const LEFT = "the bundled catalogue is in use, and what could not be read is left as it is until you replace it.";
  const workbookWith = (parts: Record<string, string[]>) => {
    const e = excel(parts);
    const state = new CatalogueState(new MemoryStorage(), (step) => step(e.context));
    return { ...e, state };
  };
  const fresh: Catalogue = { ...bundled.data, version: "2026.09.01", source: "test feed" };
  const proposal = () => propose(bundled.data, { catalogue: fresh, rejected: [], skipped: {}, notes: [] });
  const info = () => Object.fromEntries(toPlain(invoke(FUNCTIONS.CATALOG_INFO, [])) as [string, unknown][]);
  const pinXml = (text: string) => partXml(PIN_NAMESPACE, text);

  it.each([
    ["truncated", pinXml(serialise(bundled.data)).slice(0, 300), "it is empty or cut short"],
    ["self-closing", `<tokenledger xmlns="${PIN_NAMESPACE}"/>`, "it is empty or cut short"],
    [
      "of a newer format",
      pinXml(JSON.stringify({ ...JSON.parse(serialise(bundled.data)), format: "tokenledger-catalogue/2" })),
      'the pinned catalogue is in a newer format ("tokenledger-catalogue/2") than this version reads',
    ],
  ])("a %s pin is reported by its part, and an accept neither overwrites it nor records anything", async (_, xml, why) => {
    const { state, parts } = workbookWith({ [PIN_NAMESPACE]: [xml] });
    expect(await state.load()).toBe(`${PIN_PART} (${why}); ${LEFT}`);
    expect(info()).toMatchObject({ pinned: false });
    await expect(state.accept(proposal())).rejects.toThrow("is not replaced unless you unpin");
    expect(parts[PIN_NAMESPACE].map((p) => p.xml)).toEqual([xml]);
    expect(state.store.history()).toEqual([]);
    expect(info()).toMatchObject({ version: bundledCatalogue().data.version });
    // Unpin is the user's word: the part goes, and the next accept pins.
    await state.unpin();
    await state.accept(proposal());
    expect(deserialise(partText(parts[PIN_NAMESPACE][0].xml)).version).toBe("2026.09.01");
  });

  it("a second pin part is reported, never deleted, and blocks pinning", async () => {
    const a = pinXml(serialise(bundled.data));
    const b = pinXml(serialise(fresh));
    const { state, parts } = workbookWith({ [PIN_NAMESPACE]: [a, b] });
    expect(await state.load()).toBe(`${PIN_PART} (the workbook holds 2 such parts, and which one counts is unknown); ${LEFT}`);
    await expect(state.accept(proposal())).rejects.toThrow("is not replaced unless you unpin");
    expect(parts[PIN_NAMESPACE].map((p) => p.xml)).toEqual([a, b]);
    const { context } = excel({ [PIN_NAMESPACE]: [a, b] });
    await expect(writePart(context, PIN_NAMESPACE, "x")).rejects.toThrow("the workbook holds 2 such parts");
  });

  it("an invalid character reference in the overlay part blames the overlay, and the pin still prices", async () => {
    const pinned: Catalogue = { ...bundled.data, version: "pinned-1" };
    const overlayXml = `<tokenledger xmlns="${OVERLAY_NAMESPACE}">{"name": "&#xFFFFFFFF;"}</tokenledger>`;
    const { state } = workbookWith({ [PIN_NAMESPACE]: [pinXml(serialise(pinned))], [OVERLAY_NAMESPACE]: [overlayXml] });
    expect(await state.load()).toBe(
      "The workbook's organisation prices (custom XML part urn:tokenledger:overlay:1) could not be read (it holds an invalid character reference (&#xFFFFFFFF;)); the pinned catalogue is in use, and what could not be read is left as it is until you replace it.",
    );
    expect(info()).toMatchObject({ version: "pinned-1", pinned: true });
  });

  it("a workbook write that fails during an accept records nothing in this browser's history", async () => {
    const { state, parts } = workbookWith({});
    await state.load();
    const list = parts[PIN_NAMESPACE];
    const add = list.push.bind(list);
    list.push = () => {
      throw new Error("the workbook is read-only");
    };
    await expect(state.accept(proposal())).rejects.toThrow("the workbook is read-only");
    list.push = add;
    expect(state.store.history()).toEqual([]);
    expect(info()).toMatchObject({ version: bundledCatalogue().data.version, pinned: false });
  });
});
