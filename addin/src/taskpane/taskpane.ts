import { activeCatalogue, onCatalogueChange } from "@tokenledger/core/catalogue";

/** Placeholder task pane: names the catalogue the TL functions are pricing with. */
function render(): void {
  const { data } = activeCatalogue();
  text("catalogue-source", data.source);
  text("catalogue-as-of", data.as_of);
}

function text(id: string, value: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
}

// Outside Office (a plain browser) onReady still resolves, with host null.
Office.onReady(() => {
  render();
  onCatalogueChange(render);
});
