import { HostType, Storage, Utilities } from "@microsoft/office-js-helpers";
import type { KeyValueStorage } from "@tokenledger/core/catalogue";
import type { RunInWorkbook } from "./state";

/**
 * The task pane's host: how it reaches the workbook, and the one place it touches
 * @microsoft/office-js-helpers (which host the page runs in, the browser's local storage).
 */

/**
 * Runs a step against the open workbook once the user is out of cell edit: without
 * delayForCellEdit Excel fails a request made while a cell is being edited, and the startup read
 * of the pinned catalogue would leave the workbook pricing with the wrong one.
 */
export const runInExcel: RunInWorkbook = (step) => Excel.run({ delayForCellEdit: true }, step);

/** Whether the page runs inside Excel; false in a plain browser (Office.onReady's host is null there). Call after onReady. */
export function inExcel(): boolean {
  return Utilities.host === HostType.EXCEL;
}

const CONTAINER = "tokenledger";

/**
 * The browser's localStorage as core's KeyValueStorage. The helpers' Storage keeps values as
 * JSON, so a string goes in and comes back as the same string; its keys() lists keys with the
 * container's "@tokenledger/" scope, which is taken off again here.
 */
export function localStorageKV(): KeyValueStorage {
  const storage = new Storage<string>(CONTAINER);
  const scope = `@${CONTAINER}/`;
  return {
    get: (key) => {
      const value: unknown = storage.get(key);
      if (typeof value === "string" || value === null) return value;
      // Not a string as the pane writes it (another writer, a damaged value): handed on as stored,
      // so that reading it fails and says so by its key, rather than passing for "nothing kept".
      return window.localStorage.getItem(scope + key);
    },
    set: (key, value) => {
      try {
        storage.set(key, value);
      } catch {
        // A string always serialises: what fails is the write (storage full, or turned off).
        throw new Error("this browser's storage is full or turned off");
      }
    },
    remove: (key) => void storage.delete(key),
    keys: (prefix) =>
      storage
        .keys()
        .map((k) => k.slice(scope.length))
        .filter((k) => k.startsWith(prefix)),
  };
}
