import { OfficeMockObject } from "office-addin-mock";
import { afterEach, describe, expect, it } from "vitest";
import { date, parseArg, setDateSystem } from "@tokenledger/core";
import { compileCatalogue, setActiveCatalogue } from "@tokenledger/core/catalogue";
import { referenceCatalogue } from "../../test/reference";
import { PRICE } from "../src/functions/catalogue";
import { readDateSystem } from "../src/taskpane/workbook";

/**
 * as_of serials in a 1904 workbook: serial 0 is 1 January 1904, so a serial names the date 1,462
 * days later than it would in a 1900 workbook. The pane asks Excel's own DATE which system the
 * workbook uses; the functions then read serials in it.
 */

afterEach(() => {
  setDateSystem(1900);
  setActiveCatalogue(referenceCatalogue());
});

/** A workbook whose DATE(1904, 1, 1) answers `serial`. */
function workbookWith(serial: number): Excel.RequestContext {
  const mock = new OfficeMockObject({
    workbook: {
      functions: {
        result: { value: serial },
        date(this: { result: unknown }, year: number, month: number, day: number) {
          expect([year, month, day]).toEqual([1904, 1, 1]);
          return this.result;
        },
      },
    },
  });
  return mock as unknown as Excel.RequestContext;
}

describe("the workbook's date system", () => {
  it("is 1904 where DATE(1904,1,1) is serial 0, and 1900 where it is 1,462", async () => {
    expect(await readDateSystem(workbookWith(0))).toBe(1904);
    expect(await readDateSystem(workbookWith(1462))).toBe(1900);
  });

  it("moves a serial 1,462 days, and leaves text dates alone", () => {
    const asOf = date("as_of");
    // 2026-02-15 is serial 46,068 in 1900 (days since 1899-12-30) and 46,068 − 1,462 = 44,606 in 1904.
    expect(parseArg(asOf, 46_068)).toBe("2026-02-15");
    setDateSystem(1904);
    expect(parseArg(asOf, 44_606)).toBe("2026-02-15");
    expect(parseArg(asOf, 46_068)).toBe("2030-02-16");
    expect(parseArg(asOf, "2026-02-15")).toBe("2026-02-15");
    // 9999-12-31 is the last date either way: 2,958,465 in 1900, 2,957,003 in 1904.
    expect(parseArg(asOf, 2_957_003)).toBe("9999-12-31");
    expect(() => parseArg(asOf, 2_957_004)).toThrow("as_of: must be a date");
  });

  it("prices PRICE(…, as_of) on the date the workbook means", () => {
    // Sonnet at $9 input from 2026-01-01, $3 from 2026-03-01: on 2026-02-15 the price was 9.
    const data = referenceCatalogue().data;
    const models = data.models.map((m) =>
      m.id === "anthropic/claude-sonnet-4-6"
        ? { ...m, effective_from: "2026-03-01", price_changes: [{ effective_from: "2026-01-01", prices: { ...m.prices, input: "9" } }] }
        : m,
    );
    setActiveCatalogue(compileCatalogue({ ...data, models }));
    expect(PRICE("anthropic/claude-sonnet-4-6", "input", 0, 46_068)).toBe(9);
    setDateSystem(1904);
    expect(PRICE("anthropic/claude-sonnet-4-6", "input", 0, 44_606)).toBe(9);
    // The 1900 serial read in a 1904 workbook is 2030-02-16, after the change.
    expect(PRICE("anthropic/claude-sonnet-4-6", "input", 0, 46_068)).toBe(3);
  });
});
