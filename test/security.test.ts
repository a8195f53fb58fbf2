import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OFFICE_JS_CDN_DIR } from "../addin/hosting.js";
import { dist, ensureBuilt } from "./taskpane-harness";

/**
 * The task pane's static guarantees: a Content-Security-Policy that runs no inline or eval'd
 * script, and no HTML-parsing sink anywhere in the add-in's code, so a catalogue string (a model
 * named `<img src=x onerror=…>`) can only ever become text. The browser test shows it rendering inert.
 */
const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? sources(full) : /\.(ts|js|html)$/.test(d.name) ? [full] : [];
  });
}

describe("task pane security", () => {
  const html = fs.readFileSync(path.join(root, "addin/src/taskpane/taskpane.html"), "utf8");
  // The CSP as shipped: the production page (npm test builds it first).
  ensureBuilt();
  const built = fs.readFileSync(path.join(dist, "taskpane.html"), "utf8");
  const csp = /http-equiv="?Content-Security-Policy"?\s+content="([^"]+)"/.exec(built)?.[1] ?? "";
  const directive = (name: string) =>
    csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? "";

  it("ships a CSP whose scripts come from the add-in's origin and office.js's CDN folder only", () => {
    expect(directive("script-src")).toBe(`script-src 'self' ${OFFICE_JS_CDN_DIR}`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(directive("object-src")).toBe("object-src 'none'");
    // The catalogue refresh fetches https sources only (plus the add-in's own origin).
    expect(directive("connect-src")).toBe("connect-src 'self' https:");
  });

  it("has no inline script in the page", () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it("never parses strings as HTML in the add-in's code", () => {
    const sinks = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|new Function|\beval\(/;
    const code = (file: string) => fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    const offenders = sources(path.join(root, "addin/src")).filter((file) => sinks.test(code(file)));
    expect(offenders).toEqual([]);
  });
});
