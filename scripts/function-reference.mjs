import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { functionFiles } from "../addin/functions-files.js";

/**
 * The README's function reference, written from the custom-function metadata: the same generator
 * over the same files as the build's functions.json, so no build is needed. `npm run docs`
 * rewrites the section between the markers; test/readme.test.ts fails when it is stale.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
export const README = path.join(root, "README.md");
const START = "<!-- function-reference:start (written by npm run docs) -->";
const END = "<!-- function-reference:end -->";

// JSDoc may wrap; a reference line must not.
const oneLine = (text = "") => text.replace(/\s+/g, " ").trim();

const call = (f) => `TL.${f.name}(${f.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;

function argument(p) {
  const notes = [p.dimensionality === "matrix" && "range", p.repeating && "repeating", p.optional && "optional"].filter(Boolean);
  return `- \`${p.name}\`${notes.length ? ` (${notes.join(", ")})` : ""}: ${oneLine(p.description)}`;
}

function entry(f) {
  return [`#### \`${call(f)}\``, "", oneLine(f.description), ...(f.parameters.length ? ["", ...f.parameters.map(argument)] : [])].join(
    "\n",
  );
}

/** Markdown for every worksheet function, one section per domain file. */
export async function functionReference() {
  const files = functionFiles();
  const { metadataJson, associate, errors } = await generateCustomFunctionsMetadata(files);
  if (errors.length > 0) throw new Error(`custom-functions-metadata:\n${errors.join("\n")}`);
  const fileOf = new Map(associate.map((a) => [a.id, a.sourceFileName]));
  const { functions } = JSON.parse(metadataJson);
  return files
    .map((file) => [file, functions.filter((f) => fileOf.get(f.id) === file)])
    .filter(([, declared]) => declared.length > 0)
    .map(([file, declared]) => {
      const relative = path.relative(root, file).split(path.sep).join("/");
      return [`### [\`${path.basename(file)}\`](${relative})`, ...declared.map(entry)].join("\n\n");
    })
    .join("\n\n");
}

/** The README text with its reference section replaced. */
export function withReference(readme, reference) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers\n${START}\n${END}`);
  return `${readme.slice(0, start + START.length)}\n\n${reference}\n\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = fs.readFileSync(README, "utf8");
  fs.writeFileSync(README, withReference(readme, await functionReference()));
  console.log(`README.md: function reference rewritten`);
}
