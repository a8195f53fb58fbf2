import { referenceCatalogue } from "./reference";
import { readFileSync } from "node:fs";
import { type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Catalogue, activeCatalogue, refreshCatalogue, setActiveCatalogue } from "../packages/core/src/catalogue";
import bundled from "../packages/core/src/catalogue/bundled.json";
import { importFeed } from "../packages/core/src/catalogue/refresh";

/**
 * The refresh pipeline against a real HTTP server on loopback, one route per fault: each failure
 * answers one sentence and leaves the active catalogue in force; entry-level faults reject the
 * entry and keep the rest; suspicious price moves are flagged, not silently accepted.
 */
const DATA = path.resolve(import.meta.dirname, "../../shared/data");
const LITELLM = readFileSync(path.join(DATA, "litellm-model-prices-2026-07-24.json"), "utf8");
const today = "2026-11-22";

/** The LiteLLM map with gpt-4o's prices × 100, edited as text so every other byte is the feed's. */
const LITELLM_X100 = LITELLM.replace(
  /("gpt-4o": \{[^}]*?"input_cost_per_token": )([0-9.e-]+)/,
  (_, head, n) => `${head}${Number(n) * 100}`,
);

const ours = (models: unknown[]) => JSON.stringify({ ...bundled, version: "org-1", source: "Org catalogue", models });
const ROUTES: Record<string, (res: ServerResponse) => void> = {
  "/404": (res) => res.writeHead(404).end("Not Found"),
  "/500": (res) => res.writeHead(500).end("Internal Server Error"),
  "/html": (res) => res.writeHead(200, { "content-type": "text/plain" }).end("<!DOCTYPE html><p>Sign in to continue</p>"),
  "/truncated": (res) => res.writeHead(200, { "content-type": "application/json" }).end(LITELLM.slice(0, 50_000)),
  "/content-type": (res) => res.writeHead(200, { "content-type": "text/html" }).end(LITELLM),
  "/never": () => undefined, // holds the connection open and never answers
  "/huge": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1 << 20, 32);
    let sent = 0;
    const pump = () => {
      while (sent < 52 && res.write(chunk)) sent++;
      if (sent < 52) res.once("drain", pump);
      else res.end();
    };
    pump();
  },
  "/shrunk": (res) =>
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(LITELLM)).slice(0, 20)))),
  "/x100": (res) => res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(LITELLM_X100),
  "/invalid-entries": (res) =>
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(ours([...bundled.models.slice(0, 5), { ...bundled.models[5], prices: { input: "cheap", output: "1" } }, { id: "no-provider" }])),
  "/duplicates": (res) =>
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(ours([...bundled.models, { ...bundled.models[0], prices: { input: "1", output: "1" } }])),
};

let server: Server;
let base: string;
let refused: string;
beforeAll(async () => {
  server = createServer((req, res) => (ROUTES[req.url ?? ""] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nobody listens on: bind one, note it, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  refused = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/prices.json`;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
afterEach(() => setActiveCatalogue(referenceCatalogue()));

const litellmActive = (): Catalogue => importFeed("litellm", LITELLM, { today }).catalogue;

describe("refresh faults against a local server", () => {
  const failures: [fault: string, url: () => string, reason: RegExp][] = [
    ["timeout", () => `${base}/never`, /did not answer within 0\.2 s/],
    ["connection refused", () => refused, /could not be reached \(ECONNREFUSED\)/],
    ["HTTP 404", () => `${base}/404`, /answered HTTP 404 Not Found/],
    ["HTTP 500", () => `${base}/500`, /answered HTTP 500 Internal Server Error/],
    ["a body that is not JSON", () => `${base}/html`, /the response is not JSON/],
    ["truncated JSON", () => `${base}/truncated`, /the response ends early/],
    ["the wrong content type", () => `${base}/content-type`, /answered with text\/html, not a JSON or XML document/],
    ["a body over 50 MB", () => `${base}/huge`, /larger than the 50 MB limit/],
    ["a catalogue that shrank past the threshold", () => `${base}/shrunk`, /looks incomplete/],
  ];

  it.each(failures)("%s: one sentence, and the active catalogue stays in force", async (fault, url, reason) => {
    const before = activeCatalogue();
    // A short timeout for the silent route; the default for the rest, so 50 MB has time to arrive.
    const outcome = await refreshCatalogue("litellm", url(), litellmActive(), { timeoutMs: fault === "timeout" ? 200 : undefined, today });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(reason);
    expect(outcome.reason).toMatch(/^Refreshing from the LiteLLM price map failed: .+; the active catalogue stays in force\.$/);
    expect(activeCatalogue()).toBe(before);
  });

  it("flags prices × 100 instead of accepting them silently", async () => {
    const outcome = await refreshCatalogue("litellm", `${base}/x100`, litellmActive(), { today });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const change = outcome.proposal.diff.changed.find((c) => c.id === "openai/gpt-4o");
    expect(change?.changes.find((v) => v.field === "input")).toMatchObject({ old: "2.5", new: "250", flagged: true });
    expect(outcome.proposal.diff.flagged).toBe(1);
  });

  it("keeps schema-invalid entries out and merges the rest (the models it does not list are kept)", async () => {
    const outcome = await refreshCatalogue("tokenledger", `${base}/invalid-entries`, referenceCatalogue().data, { today });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.proposal.updated).toBe(5);
    expect(outcome.proposal.catalogue.models.map((m) => m.id)).toEqual(bundled.models.map((m) => m.id));
    expect(outcome.proposal.rejected.map((r) => r.entry)).toEqual([bundled.models[5].id, "no-provider"]);
  });

  it("keeps the first of duplicate ids and lists the rest", async () => {
    const outcome = await refreshCatalogue("tokenledger", `${base}/duplicates`, referenceCatalogue().data, { today });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.proposal.catalogue.models).toHaveLength(bundled.models.length);
    expect(outcome.proposal.catalogue.models[0].prices).toEqual(bundled.models[0].prices);
    expect(outcome.proposal.rejected).toEqual([expect.objectContaining({ entry: bundled.models[0].id })]);
  });
});
