import type { RunInWorkbook } from "./state";
import { recalculate } from "./workbook";

/**
 * Keeps the workbook's TL cells in step with the active catalogue. The functions read the
 * catalogue when they run, so a switch only shows once Excel recalculates every formula: one
 * full recalculation per switch (switches arriving while one runs fold into one more), retried
 * when Excel refuses it (busy in a dialog, a sync in flight), and a sentence for the pane when it
 * still cannot, since the sheet then shows figures priced with the previous catalogue. The
 * runner waits out a cell edit (delayForCellEdit) rather than failing on it.
 */

/** Pauses before the second and third attempt. */
const RETRY_PAUSES_MS = [1_000, 5_000];

export type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Recalculation {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly run: RunInWorkbook,
    /** A problem to show, or undefined once a recalculation has gone through. */
    private readonly report: (problem: string | undefined) => void,
    private readonly pause: Sleep = sleep,
  ) {}

  /** Recalculates now, or once more after the one running; settles when the workbook is up to date or given up on. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      await this.attempt();
    } while (this.again);
  }

  private async attempt(): Promise<void> {
    let failure: unknown;
    for (let i = 0; i <= RETRY_PAUSES_MS.length; i++) {
      if (i > 0) await this.pause(RETRY_PAUSES_MS[i - 1]);
      try {
        await this.run(recalculate);
        this.report(undefined);
        return;
      } catch (e) {
        failure = e;
      }
    }
    const reason = failure instanceof Error ? failure.message : String(failure);
    this.report(
      `Excel did not recalculate after the prices changed (${reason}), so TL cells may still show the previous prices: press Ctrl+Alt+F9 to recalculate them.`,
    );
  }
}
