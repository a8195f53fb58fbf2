import { OfficeMockObject } from "office-addin-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runInExcel } from "../src/taskpane/host";
import { Recalculation } from "../src/taskpane/recalc";
import type { RunInWorkbook } from "../src/taskpane/state";

/**
 * The recalculation after a catalogue switch, against office-addin-mock's Excel: a user in cell
 * edit delays it (Excel holds the request), Excel refusing it is retried, and when it cannot go
 * through the pane is told in words, never silently.
 */

/** A workbook that counts full recalculations; its sync fails while `refusals` lasts. */
function workbook(refusals = 0) {
  const calculations: string[] = [];
  const mock = new OfficeMockObject({
    workbook: {
      application: {
        calculate(type: string) {
          calculations.push(type);
        },
      },
    },
  });
  let left = refusals;
  const sync = mock.sync.bind(mock);
  mock.sync = async () => {
    if (left > 0) {
      left--;
      calculations.pop(); // a refused batch changes nothing
      throw new Error("The request could not be processed (GeneralException)");
    }
    return sync();
  };
  return { calculations, context: mock as unknown as Excel.RequestContext };
}

/** Sleeps recorded, not waited. */
function pauses() {
  const waited: number[] = [];
  return { waited, sleep: async (ms: number) => void waited.push(ms) };
}

beforeEach(() => vi.stubGlobal("Excel", { CalculationType: { full: "Full" } }));
afterEach(() => vi.unstubAllGlobals());

describe("recalculation after a catalogue switch", () => {
  it("asks Excel to wait out a cell edit instead of failing on it", async () => {
    const { context } = workbook();
    const run = vi.fn((_options: Excel.RunOptions, step: (c: Excel.RequestContext) => Promise<unknown>) => step(context));
    vi.stubGlobal("Excel", { CalculationType: { full: "Full" }, run });
    await runInExcel(async () => "read");
    expect(run.mock.calls[0][0]).toEqual({ delayForCellEdit: true });
  });

  it("held back by a cell edit, runs when the edit ends, and folds the switches made meanwhile into one more", async () => {
    const { calculations, context } = workbook();
    let endEdit!: () => void;
    const editing = new Promise<void>((resolve) => {
      endEdit = resolve;
    });
    // What delayForCellEdit does: Excel holds every request until the user leaves the cell.
    const run: RunInWorkbook = async (step) => {
      await editing;
      return step(context);
    };
    const reports: (string | undefined)[] = [];
    const recalc = new Recalculation(run, (p) => reports.push(p));
    const first = recalc.request();
    const second = recalc.request();
    const third = recalc.request();
    await Promise.resolve();
    expect(calculations).toEqual([]);
    endEdit();
    await Promise.all([first, second, third]);
    // The first switch's recalculation, then one for the two that came while it waited.
    expect(calculations).toEqual(["Full", "Full"]);
    expect(reports).toEqual([undefined, undefined]);
  });

  it("retries a refused recalculation and clears any earlier problem once it goes through", async () => {
    const { calculations, context } = workbook(2);
    const { waited, sleep } = pauses();
    const reports: (string | undefined)[] = [];
    await new Recalculation(
      (step) => step(context),
      (p) => reports.push(p),
      sleep,
    ).request();
    expect(calculations).toEqual(["Full"]);
    expect(waited).toEqual([1_000, 5_000]);
    expect(reports).toEqual([undefined]);
  });

  it("says so when Excel refuses every attempt, naming Excel's reason and the way out", async () => {
    const { calculations, context } = workbook(3);
    const { waited, sleep } = pauses();
    const reports: (string | undefined)[] = [];
    await new Recalculation(
      (step) => step(context),
      (p) => reports.push(p),
      sleep,
    ).request();
    expect(calculations).toEqual([]);
    expect(waited).toEqual([1_000, 5_000]);
    expect(reports).toEqual([
      "Excel did not recalculate after the prices changed (The request could not be processed (GeneralException)), so TL cells may still show the previous prices: press Ctrl+Alt+F9 to recalculate them.",
    ]);
  });
});
