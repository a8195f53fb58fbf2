import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { diffCatalogues } from "../packages/core/src/catalogue/diff";
import { importGenaiPrices } from "../packages/core/src/catalogue/import/genai-prices";
import { parseJson } from "../packages/core/src/catalogue/import/json";
import { importLitellm } from "../packages/core/src/catalogue/import/litellm";
import { bundledCatalogue } from "../packages/core/src/catalogue/active";
import { type SourceKind, importFeed, propose } from "../packages/core/src/catalogue/refresh";
import { type Case, median } from "./measure";

/** The real snapshots in shared/data (beside the repository), as the refresh path reads them. */
const data = (file: string) => readFileSync(resolve("../shared/data", file), "utf8");
const context = { today: "2026-11-22" };
const litellm = () => importLitellm(parseJson(data("litellm-model-prices-2026-07-24.json")), context);

/** The four snapshots as a refresh reads them (llm-prices' vendor files as one array). */
const feeds = (): [SourceKind, string][] => [
  ["litellm", data("litellm-model-prices-2026-07-24.json")],
  ["openrouter", data("openrouter-models-2026-08-01.json")],
  ["genai-prices", data("genai-prices/data-v2.json")],
  ["llm-prices", `[${readdirSync(resolve("../shared/data/llm-prices")).map((f) => data(`llm-prices/${f}`))}]`],
];

/** A refresh's work once the feed is fetched: parse, map, merge into the catalogue in force, diff. */
const refreshFrom = (text: string, kind: SourceKind, into = bundledCatalogue().data) => propose(into, importFeed(kind, text, context));

export const catalogueCases: Case[] = [
  {
    name: "LiteLLM full map import (parse + map)",
    unit: "ms",
    better: "lower",
    run: async () => {
      const text = data("litellm-model-prices-2026-07-24.json");
      return {
        value: await median(() => importLitellm(parseJson(text), context), 9),
        target: 150,
        note: `${litellm().catalogue.models.length} models`,
      };
    },
  },
  {
    name: "diff of two catalogues (LiteLLM vs genai-prices)",
    unit: "ms",
    better: "lower",
    run: async () => {
      const old = litellm().catalogue;
      const next = importGenaiPrices(parseJson(data("genai-prices/data-v2.json")), context).catalogue;
      return {
        value: await median(() => diffCatalogues(old, next), 9),
        target: 20,
        note: `${old.models.length} vs ${next.models.length} models`,
      };
    },
  },
  {
    name: "refresh: LiteLLM map merged into the bundled catalogue",
    unit: "ms",
    better: "lower",
    run: async () => {
      const text = data("litellm-model-prices-2026-07-24.json");
      return { value: await median(() => refreshFrom(text, "litellm"), 9), target: 200, note: "parse, map, merge, diff" };
    },
  },
  {
    name: "refresh: all four sources in sequence",
    unit: "ms",
    better: "lower",
    run: async () => {
      const all = feeds();
      const inSequence = () => all.reduce((c, [kind, text]) => refreshFrom(text, kind, c).catalogue, bundledCatalogue().data);
      return { value: await median(inSequence, 5), target: 500, note: `${inSequence().models.length} models at the end` };
    },
  },
];
