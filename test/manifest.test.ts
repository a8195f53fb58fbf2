import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { DEV_ORIGIN, addinBase, manifestFor } from "../addin/hosting.js";

/**
 * manifest.xml checked offline: against Microsoft's schemas (shared/xsd, beside the repo), then
 * what the schemas cannot see — resids that resolve, URLs the build really serves, one shared
 * runtime. The URL checks read dist/, so `npm run build` first (npm test does).
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const xsd = path.resolve(repoRoot, "../shared/xsd/OfficeAppManifestV1_1.xsd");
const dist = path.join(repoRoot, "dist");
const ORIGIN = DEV_ORIGIN;
const manifest = fs.readFileSync(path.join(repoRoot, "manifest.xml"), "utf8");

/** xmllint's verdict on a manifest text against Microsoft's schemas. */
function validate(xml: string): { error?: Error; status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-manifest-"));
  try {
    fs.writeFileSync(path.join(dir, "manifest.xml"), xml);
    return spawnSync("xmllint", ["--noout", "--schema", xsd, "manifest.xml"], { cwd: dir, encoding: "utf8" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

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
const urlsIn = (xml: string) =>
  [...xml.matchAll(/\s([\w:]+)="([a-z]+:\/\/[^"]*)"/g)].filter(([, attr]) => !attr.startsWith("xmlns")).map(([, , url]) => url);
const urls = urlsIn(manifest);

const residOf = (pattern: RegExp) => manifest.match(pattern)?.[1];

describe("manifest.xml", () => {
  it("validates against the add-in manifest schemas", () => {
    const run = validate(manifest);
    expect(run.error, "xmllint not found: apt-get install libxml2-utils").toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
  });

  it("requires the runtime versions it uses: CustomFunctions.Error is CustomFunctionsRuntime 1.2", () => {
    expect(manifest).toMatch(/<Set Name="CustomFunctionsRuntime" MinVersion="1\.2"\/>/);
    expect(manifest).toMatch(/<Set Name="SharedRuntime" MinVersion="1\.1"\/>/);
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

  describe("for a production host (ADDIN_URL)", () => {
    const base = "https://addins.example.com/finance/tokenledger";
    const production = manifestFor(manifest, addinBase(`${base}/`));

    it("validates against the add-in manifest schemas", () => {
      const run = validate(production);
      expect(run.status, run.stderr).toBe(0);
    });

    it("puts every URL on that host, the page, the metadata, the icons and the support page included", () => {
      const all = urlsIn(production);
      expect(all.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
      for (const file of ["taskpane.html", "functions.json", "functions.js", "help.html", "assets/icon-32.png", "assets/icon-80.png"]) {
        expect(all).toContain(`${base}/${file}`);
      }
      expect(production).toContain(`<SupportUrl DefaultValue="${base}/help.html"/>`);
    });

    it("refuses an address Office would not load, or one that would garble every URL", () => {
      expect(() => addinBase("http://addins.example.com")).toThrow(/https/);
      expect(() => addinBase("https://addins.example.com/?v=1")).toThrow(/no query/);
      expect(() => addinBase("addins.example.com")).toThrow(/not a URL/);
      expect(addinBase("https://addins.example.com")).toBe("https://addins.example.com");
    });
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

    it("writes dist/manifest.xml for the host it was built for (the dev origin when ADDIN_URL is unset)", () => {
      const built = fs.readFileSync(path.join(dist, "manifest.xml"), "utf8");
      const host = urlsIn(built)
        .find((url) => url.endsWith("/taskpane.html"))!
        .replace(/\/taskpane\.html$/, "");
      expect(built).toBe(manifestFor(manifest, host));
    });

    it("keeps every description within Excel's 255 characters", () => {
      const metadata = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as {
        functions: { name: string; description: string; parameters: { name: string; description?: string }[] }[];
      };
      const texts = metadata.functions.flatMap((f) => [
        [f.name, f.description],
        ...f.parameters.map((p) => [`${f.name}.${p.name}`, p.description ?? ""]),
      ]);
      expect(texts.filter(([, text]) => text.length > 255).map(([where]) => where)).toEqual([]);
    });

    it("asks Excel for each function's cell, so the task pane can explain its answer", () => {
      const metadata = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as {
        functions: { name: string; options?: { requiresAddress?: boolean } }[];
      };
      expect(metadata.functions.filter((f) => f.options?.requiresAddress !== true).map((f) => f.name)).toEqual([]);
    });

    it("gives every function a help URL into the shipped reference page", () => {
      const metadata = JSON.parse(fs.readFileSync(path.join(dist, "functions.json"), "utf8")) as {
        functions: { name: string; helpUrl: string }[];
      };
      const help = fs.readFileSync(path.join(dist, "help.html"), "utf8");
      const missing = metadata.functions.filter(
        (f) => !f.helpUrl?.endsWith(`/help.html#${f.name}`) || !new RegExp(`<section id="?${f.name}"?>`).test(help),
      );
      expect(missing.map((f) => f.name)).toEqual([]);
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
