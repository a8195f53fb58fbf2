import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundledCatalogue, fetchFeed, setActiveCatalogue } from "@tokenledger/core/catalogue";
import { afterEach, describe, expect, it } from "vitest";
import { runCatalogCommand } from "../src/catalog";
import { loadCatalogueFile } from "../src/catalogue-file";
import { MAX_REDIRECTS, httpsRedirectsOnly } from "../src/fetch";
import { printable } from "../src/text";

/** llmcalc against hostile sources (issue 13, item 7); feeds generated here. */

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const BUNDLED = readFileSync(path.join(repoRoot, "packages/core/src/catalogue/bundled.json"), "utf8");
const dir = mkdtempSync(path.join(tmpdir(), "llmcalc-hostile-"));

async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCatalogCommand(args, (line) => lines.push(line));
  return { code, lines };
}

/** A fetch that answers from `routes` (url → status and location) and records every url asked for. */
function server(routes: Record<string, { status: number; location?: string }>) {
  const asked: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    const href = String(url);
    asked.push(href);
    const r = routes[href] ?? { status: 200 };
    const headers = new Headers(r.location ? { location: r.location } : { "content-type": "application/json" });
    return new Response(r.status === 200 ? "{}" : null, { status: r.status, headers });
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

afterEach(() => setActiveCatalogue(bundledCatalogue()));

describe("llmcalc against hostile sources", () => {
  it("follows redirects only to https: a hop to plain http is never requested", async () => {
    const { asked, fetch } = server({
      "https://feed.example/a": { status: 301, location: "https://mirror.example/b" },
      "https://mirror.example/b": { status: 302, location: "http://mirror.example/c" },
    });
    await expect(fetchFeed("https://feed.example/a", { fetch: httpsRedirectsOnly(fetch) })).rejects.toThrow(
      "mirror.example redirected to http://mirror.example, which is not https, so it was not followed",
    );
    expect(asked).toEqual(["https://feed.example/a", "https://mirror.example/b"]);

    // An https hop is followed; a loop stops after MAX_REDIRECTS hops (work bounded: 6 requests).
    const ok = server({ "https://feed.example/a": { status: 307, location: "/b" } });
    expect(await fetchFeed("https://feed.example/a", { fetch: httpsRedirectsOnly(ok.fetch) })).toBe("{}");
    expect(ok.asked).toEqual(["https://feed.example/a", "https://feed.example/b"]);
    const loop = server({ "https://feed.example/a": { status: 302, location: "https://feed.example/a" } });
    await expect(fetchFeed("https://feed.example/a", { fetch: httpsRedirectsOnly(loop.fetch) })).rejects.toThrow(
      `feed.example redirected more than ${MAX_REDIRECTS} times`,
    );
    expect(loop.asked).toHaveLength(MAX_REDIRECTS + 1);
  });

  it("prints no control or bidi character a feed put in an id", async () => {
    const bundled = JSON.parse(BUNDLED);
    const evil = { ...bundled.models[0], id: "evil/\u001b]0;owned\u0007\u001b[2J\u202eexe.txt" };
    const from = path.join(dir, "evil.json");
    writeFileSync(from, JSON.stringify({ ...bundled, models: [...bundled.models, evil] }));
    const { code, lines } = await run("refresh", "--source", "url", "--from", from, "--out", path.join(dir, "evil-out.json"));
    expect(code).toBe(0);
    // The rejected id is shown with its hidden characters as "?" (core), and nothing unprintable reaches the terminal.
    expect(lines).toContain("  rejected evil/?]0;owned??[2J?exe.txt: id: contains a control, bidi or zero-width character");
    for (const line of lines) expect(line).toBe(printable(line));
    expect(printable("a\u001b[31mb\u0000c\u202ed\te")).toBe("a[31mbcd\te");
  });

  it("reads a file that starts with a UTF-8 byte-order mark, as the pane does", async () => {
    const from = path.join(dir, "bom.json");
    writeFileSync(from, `\ufeff${BUNDLED}`);
    const { code, lines } = await run("refresh", "--source", "url", "--from", from, "--out", path.join(dir, "bom-out.json"));
    expect(code).toBe(0);
    expect(lines).toContain("imported 38 models; 0 entries rejected; 0 skipped (no meter prices them)");
    expect(loadCatalogueFile(from)).toBeUndefined();
  });

  it("rejects the one OpenRouter entry whose output_modalities holds an object, not the feed", async () => {
    const entry = (id: string, outputs: unknown[]) => ({
      id,
      architecture: { output_modalities: outputs },
      pricing: { prompt: "0.000003", completion: "0.000015" },
    });
    const from = path.join(dir, "openrouter.json");
    writeFileSync(from, JSON.stringify({ data: [entry("a/good", ["text"]), entry("a/odd", [{ toString: 1 }])] }));
    const { code, lines } = await run("refresh", "--source", "openrouter", "--from", from, "--out", path.join(dir, "or-out.json"));
    expect(code).toBe(0);
    expect(lines).toContain("imported 1 models; 1 entries rejected; 0 skipped (no meter prices them)");
    expect(lines).toContain("  rejected a/odd: architecture.output_modalities: not a list of names");
  });
});
