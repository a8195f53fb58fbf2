import { readFileSync } from "node:fs";
import { Catalogue, activate } from "@tokenledger/core/catalogue";
import { withoutBom } from "./text";

/** `--catalog FILE`: prices come from a catalogue file in TokenLedger's schema, with the organisation prices it carries. */

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Zod lists every broken rule; one, with where it is, makes the sentence. */
function firstIssue(e: unknown): string | undefined {
  const issues = (e as { issues?: Issue[] }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const [{ path, message }] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${path.length ? `${path.map(String).join(".")}: ` : ""}${message}${more}`;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];

/** Makes the file the active catalogue, or answers the one sentence that says why it cannot. */
export function loadCatalogueFile(file: string): string | undefined {
  let text: string;
  try {
    text = withoutBom(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as { code?: string }).code;
    return `cannot read the catalogue ${file}: ${code === "ENOENT" ? "no such file" : messageOf(e)}.`;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `the catalogue ${file} is not JSON (${messageOf(e)}).`;
  }
  try {
    const catalogue = Catalogue.parse(data);
    activate(catalogue, catalogue.overlay);
  } catch (e) {
    return `the catalogue ${file} does not fit TokenLedger's catalogue schema: ${firstIssue(e) ?? messageOf(e)}.`;
  }
  return undefined;
}
