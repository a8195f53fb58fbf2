import { createHash } from "node:crypto";
import fs from "node:fs";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { expect, it } from "vitest";
import { functionFiles } from "../addin/functions-files.js";

/**
 * Office caches custom-function metadata per add-in version, so a functions.json that changes
 * under the same manifest <Version> leaves users on stale signatures. addin/metadata-version.json
 * records the version that shipped each metadata; this test fails until both move together.
 */
const RECORD = new URL("../addin/metadata-version.json", import.meta.url);

it("bumps the manifest <Version> whenever functions.json changes", async () => {
  const { metadataJson, errors } = await generateCustomFunctionsMetadata(functionFiles(), true);
  expect(errors).toEqual([]);
  const sha256 = createHash("sha256").update(metadataJson).digest("hex");
  const manifestVersion = /<Version>([^<]+)<\/Version>/.exec(fs.readFileSync(new URL("../manifest.xml", import.meta.url), "utf8"))![1];
  const recorded = JSON.parse(fs.readFileSync(RECORD, "utf8")) as { version: string; metadataSha256: string };

  if (sha256 !== recorded.metadataSha256) {
    const step = manifestVersion === recorded.version ? `raise <Version> in manifest.xml above ${recorded.version}, then record` : "record";
    expect.fail(`functions.json changed: ${step} the manifest's version in addin/metadata-version.json with "metadataSha256": "${sha256}"`);
  }
  expect(manifestVersion, "manifest.xml's <Version> differs from the one recorded for this metadata").toBe(recorded.version);
});
