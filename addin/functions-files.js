import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The worksheet-function files: every `addin/src/functions/*.ts` except the Excel boundary
 * (excel.ts) and the entry that loads them (index.ts): the wrappers `npm run generate` writes.
 * The build's metadata and the declarations and manifest tests read this one list.
 */
export const functionsDir = fileURLToPath(new URL("./src/functions/", import.meta.url));

// The same rule as the folder import in src/functions/index.ts.
const FUNCTION_FILE = /^(?!excel\.ts$|index\.ts$)[\w-]+\.ts$/;

export function functionFiles() {
  return fs
    .readdirSync(functionsDir)
    .filter((name) => FUNCTION_FILE.test(name))
    .sort()
    .map((name) => path.join(functionsDir, name));
}
