import type { Actuals } from "@tokenledger/core/actuals";
import { writeSheet } from "../scenarios/write";
import { actualsLayout, actualsTableAddress, varianceLayout } from "./layout";

/** The Actuals tab's writes through the Excel JS API; what goes where is layout.ts's. */

/** Writes the Actuals sheet and makes its rows an Excel table; answers the sheet's name. */
export async function writeActuals(context: Excel.RequestContext, a: Actuals): Promise<string> {
  const name = await writeSheet(context, actualsLayout(a));
  context.workbook.worksheets.getItem(name).tables.add(actualsTableAddress(a), true);
  await context.sync();
  return name;
}

/** A sheet the forecast builder wrote ("TL Forecast", "TL Forecast (2)"…), the first of them. */
export async function findForecastSheet(context: Excel.RequestContext): Promise<string | undefined> {
  const sheets = context.workbook.worksheets.load("items/name");
  await context.sync();
  return sheets.items.map((s) => s.name).find((n) => /^TL Forecast( \(\d+\))?$/.test(n));
}

/** Writes the Variance sheet against the forecast sheet, its month 1 at the first actual month. */
export async function writeVariance(context: Excel.RequestContext, a: Actuals): Promise<string> {
  const forecast = await findForecastSheet(context);
  if (!forecast) throw new Error("there is no forecast sheet: build one under Scenarios first");
  return writeSheet(context, varianceLayout(a, forecast, a.reconciled[0]?.month ?? ""));
}
