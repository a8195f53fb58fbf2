import fs from "node:fs";
import { expect, it } from "vitest";
import { README, functionReference, withReference } from "../scripts/function-reference.mjs";

it("README's function reference is what npm run docs writes from the functions' metadata", async () => {
  const readme = fs.readFileSync(README, "utf8");
  expect(readme, "README.md's function reference is stale: run `npm run docs`").toBe(withReference(readme, await functionReference()));
});
