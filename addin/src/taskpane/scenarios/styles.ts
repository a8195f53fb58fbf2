/**
 * The panel's styles. The page's CSP allows style sheets from its own origin only (no <style>,
 * no style attributes) and webpack has no CSS loader, so the rules go in through the CSSOM as a
 * constructed style sheet, which the CSP does not govern. Only the forms' grid is here: cards,
 * buttons, hints and messages use the task pane's own classes (taskpane.css).
 */
const RULES = `
.tl-scenarios .tl-fields { display: grid; grid-template-columns: minmax(9em, 45%) 1fr; gap: 4px 8px; align-items: center; margin-top: 6px; }
.tl-scenarios .tl-fields label { font-size: 12px; color: var(--muted, #616161); }
.tl-scenarios .tl-fields input, .tl-scenarios .tl-fields select { width: 100%; }
`;

let installed = false;

export function installStyles(doc: Document): void {
  // Without constructed style sheets (old webviews) the panel still works, unstyled.
  if (installed || !("adoptedStyleSheets" in doc)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(RULES);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  installed = true;
}
