import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { diffCatalogues } from "../packages/core/src/catalogue/diff";
import { importGenaiPrices } from "../packages/core/src/catalogue/import/genai-prices";
import { parseJson } from "../packages/core/src/catalogue/import/json";
import { importLitellm } from "../packages/core/src/catalogue/import/litellm";
import { type Case, median } from "./measure";

/** The real snapshots in shared/data (beside the repository), as the refresh path reads them. */
const data = (file: string) => readFileSync(resolve("../shared/data", file), "utf8");
const context = { today: "2026-11-22" };
const litellm = () => importLitellm(parseJson(data("litellm-model-prices-2026-07-24.json")), context);

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
];
