import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Case } from "./measure";

/** Builds the add-in (production) once and reads the sizes the build's budget check recorded. */
let sizes: Record<string, { gzipBytes: number; budgetBytes: number; files: string[] }> | undefined;
function bundleSizes() {
  if (!sizes) {
    execFileSync("npx", ["webpack", "--mode", "production"], { stdio: "ignore" });
    sizes = JSON.parse(readFileSync("dist/bundle-sizes.json", "utf8"));
  }
  return sizes!;
}

const bundle = (entry: string): Case => ({
  name: `${entry} bundle`,
  unit: "KB gzip",
  better: "lower",
  run: () => {
    const s = bundleSizes()[entry];
    return { value: s.gzipBytes / 1024, target: s.budgetBytes / 1024, note: s.files.join(" + ") };
  },
});

export const bundleCases: Case[] = [bundle("functions"), bundle("taskpane")];
