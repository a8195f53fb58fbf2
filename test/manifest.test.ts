import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * manifest.xml checked offline: against Microsoft's schemas (shared/xsd, beside the repo), then
 * what the schemas cannot see — resids that resolve, URLs the build really serves, one shared
 * runtime. The URL checks read dist/, so `npm run build` first (npm test does).
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const xsd = path.resolve(repoRoot, "../shared/xsd/OfficeAppManifestV1_1.xsd");
const dist = path.join(repoRoot, "dist");
const ORIGIN = "https://localhost:3000";
const manifest = fs.readFileSync(path.join(repoRoot, "manifest.xml"), "utf8");

type Kind = "Image" | "Url" | "String";

/** bt:Image / bt:Url / bt:String resources by id. */
const resources = new Map<string, { kind: Kind; value: string }>(
  [...manifest.matchAll(/<bt:(Image|Url|String)\s+id="([^"]+)"\s+DefaultValue="([^"]*)"/g)].map(([, kind, id, value]) => [
    id,
    { kind: kind as Kind, value },
  ]),
);

/** Every resid reference: the element carrying it and the id. */
const references = [...manifest.matchAll(/<([\w:]+)\s[^>]*?\bresid="([^"]+)"/g)].map(([, element, resid]) => ({ element, resid }));

const URL_ELEMENTS = new Set(["SourceLocation", "Runtime", "FunctionFile", "LearnMoreUrl"]);
const kindFor = (element: string): Kind => (element === "bt:Image" ? "Image" : URL_ELEMENTS.has(element) ? "Url" : "String");

/** Every URL in an attribute other than a namespace declaration. */
const urls = [...manifest.matchAll(/\s([\w:]+)="([a-z]+:\/\/[^"]*)"/g)]
  .filter(([, attr]) => !attr.startsWith("xmlns"))
  .map(([, , url]) => url);

const residOf = (pattern: RegExp) => manifest.match(pattern)?.[1];

describe("manifest.xml", () => {
  it("validates against the add-in manifest schemas", () => {
    const run = spawnSync("xmllint", ["--noout", "--schema", xsd, "manifest.xml"], { cwd: repoRoot, encoding: "utf8" });
    expect(run.error, "xmllint not found: apt-get install libxml2-utils").toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
  });

  it("resolves every resid to a resource of the right kind", () => {
    expect(references.length).toBeGreaterThan(0);
    const problems = references.flatMap(({ element, resid }) => {
      const resource = resources.get(resid);
      const want = kindFor(element);
      if (!resource) return [`<${element} resid="${resid}">: no bt:${want} with that id`];
      if (resource.kind !== want) return [`<${element} resid="${resid}">: is a bt:${resource.kind}, needs a bt:${want}`];
      // Office rejects resids longer than 32 characters.
      return resid.length > 32 ? [`resid "${resid}" is longer than 32 characters`] : [];
    });
    expect(problems).toEqual([]);
  });

  it("runs the functions and the task pane in one long-lived shared runtime under the TL namespace", () => {
    const runtime = residOf(/<Runtime\s+resid="([^"]+)"\s+lifetime="long"/);
    expect(runtime, 'a <Runtime lifetime="long">').toBeDefined();
    expect(residOf(/<Page>\s*<SourceLocation resid="([^"]+)"/)).toBe(runtime);
    expect(residOf(/<FunctionFile resid="([^"]+)"/)).toBe(runtime);
    expect(residOf(/<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"/)).toBe(runtime);
    expect(manifest).toMatch(/<Set Name="SharedRuntime" MinVersion="1\.1"\/>/);
    expect(resources.get(residOf(/<Namespace resid="([^"]+)"/) ?? "")?.value).toBe("TL");
  });

  describe("against the build in dist/", () => {
    beforeAll(() => {
      expect(fs.existsSync(dist), "dist/ is missing: run `npm run build` first").toBe(true);
    });

    it(`serves every URL from ${ORIGIN} with a file the build emits`, () => {
      expect(urls.length).toBeGreaterThan(0);
      const problems = urls.flatMap((url) => {
        if (!url.startsWith(`${ORIGIN}/`)) return [`${url}: not on ${ORIGIN}`];
        const file = path.join(dist, new URL(url).pathname);
        return fs.existsSync(file) ? [] : [`${url}: dist${new URL(url).pathname} is not built`];
      });
      expect(problems).toEqual([]);
    });

    it("registers every function of functions.json in the shared page's scripts", () => {
      const metadata = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as { functions: { id: string }[] };
      const page = fs.readFileSync(path.join(dist, "taskpane.html"), "utf8");
      const scripts = [...page.matchAll(/<script[^>]*\ssrc="?([^"\s>]+)/g)].map(([, src]) => src);
      const code = scripts.filter((src) => fs.existsSync(path.join(dist, src))).map((src) => fs.readFileSync(path.join(dist, src), "utf8"));
      expect(scripts).toContain("functions.js");
      const unregistered = metadata.functions
        .map((f) => f.id)
        .filter((id) => !code.some((c) => c.includes(`CustomFunctions.associate("${id}"`)));
      expect(unregistered).toEqual([]);
    });
  });
});
