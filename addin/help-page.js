/**
 * The function reference as a static page, help.html, written at build time from functions.json:
 * the manifest's SupportUrl, and each function's helpUrl (Excel's "Help on this function") is
 * its anchor. No script, so the page needs no CSP exceptions; every text is escaped.
 */

const escapeHtml = (text = "") => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const call = (f) => `TL.${f.name}(${f.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ")})`;

function entry(f) {
  const params = f.parameters.map(
    (p) => `<li><code>${escapeHtml(p.name)}</code>${p.optional ? " (optional)" : ""}: ${escapeHtml(p.description)}</li>`,
  );
  return [
    `<section id="${escapeHtml(f.name)}">`,
    `<h2><code>${escapeHtml(call(f))}</code></h2>`,
    `<p>${escapeHtml(f.description)}</p>`,
    params.length ? `<ul>${params.join("")}</ul>` : "",
    "</section>",
  ].join("\n");
}

export function helpPage(metadataJson) {
  const { functions } = JSON.parse(metadataJson);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>TokenLedger: worksheet functions</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}code{font-size:.95em}h2{font-size:1.05rem;margin-top:2rem}</style>
</head>
<body>
<h1>TokenLedger worksheet functions</h1>
<p>Every <code>TL.*</code> function, its arguments and what it answers. Prices come from the catalogue shown in the add-in's task pane (Home → Prices).</p>
${functions.map(entry).join("\n")}
</body>
</html>
`;
}

/** functions.json with each function's helpUrl pointing at its entry in help.html under `base`. */
export function withHelpUrls(metadataJson, base) {
  const metadata = JSON.parse(metadataJson);
  for (const f of metadata.functions) f.helpUrl = `${base}/help.html#${f.name}`;
  return JSON.stringify(metadata, null, 2);
}
