import { CATALOG_INFO } from "@tokenledger/core/catalogue/functions";
import { Dec, invoke, toPlain } from "@tokenledger/core";
import {
  type Catalogue,
  FETCH_TIMEOUT_MS,
  FeedError,
  type ModelChange,
  type Overlay,
  type Proposal,
  SOURCES,
  type SourceKind,
  type ValueChange,
  activeCatalogue,
  applyOverlay,
  fetchFeed,
  isPinned,
  parseOverlay,
  ECB_URLS,
  type RateOrigin,
  ratesOn,
  refreshCatalogue,
  refreshRates,
  today,
} from "@tokenledger/core/catalogue";
import { byId, count, h, money, show } from "./dom";
import type { CatalogueState } from "./state";

/**
 * The Catalogue tab: what is in use, refreshing it from a source (the address shown before
 * anything is fetched, then the diff to accept or discard), the history to roll back to, pinning
 * to the workbook, and the organisation's prices.
 */

const INFO_LABELS: Record<string, string> = {
  source: "Source",
  as_of: "Prices as of",
  version: "Version",
  models: "Models",
  pinned: "Pinned",
};

/** The refresh source that brings exchange rates, not prices. */
const ECB = "ecb";

/** Longest list of a diff section the pane renders (all of a big feed's rejections); the rest is counted. */
const LIST_LIMIT = 500;

export class CatalogueTab {
  private proposal: Proposal | undefined;
  private readonly source = byId<HTMLSelectElement>("refresh-source");
  private readonly url = byId<HTMLInputElement>("refresh-url");
  private readonly timeout = byId<HTMLInputElement>("refresh-timeout");
  private readonly fetchButton = byId<HTMLButtonElement>("refresh-fetch");

  constructor(private readonly state: CatalogueState) {
    this.timeout.value = String(FETCH_TIMEOUT_MS / 1000);
    this.source.addEventListener("change", () => {
      this.showSourceUrl();
      show(byId("refresh-message"), false); // it was about the other source
    });
    this.showSourceUrl();
    this.fetchButton.addEventListener("click", () => void this.fetchProposal());
    byId("proposal-accept").addEventListener("click", () => void this.accept());
    byId("proposal-discard").addEventListener("click", () => {
      this.closeProposal();
      this.fetchButton.focus(); // the button pressed has gone
      this.say("refresh-message", "Discarded; the catalogue in use has not changed.", false);
    });
    byId("history").addEventListener("click", (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>("button[data-version]")?.dataset.version;
      if (id !== undefined) void this.act("refresh-message", () => this.state.rollback(id), "Rolled back", "Rolling back");
    });
    byId("pin").addEventListener(
      "click",
      () => void this.act("refresh-message", () => this.state.pinCurrent(), "Pinned to this workbook", "Pinning"),
    );
    byId("unpin").addEventListener("click", () => void this.act("refresh-message", () => this.state.unpin(), "Unpinned", "Unpinning"));
    byId("overlay-load").addEventListener("click", () => void this.loadOverlay());
    byId("overlay-remove").addEventListener(
      "click",
      () =>
        void this.act(
          "overlay-message",
          () => this.state.setOverlay(undefined),
          "Removed the organisation prices",
          "Removing the organisation prices",
        ),
    );
  }

  /** Re-renders what depends on the active catalogue. */
  load(): void {
    const view = this.state.current;
    byId("catalogue-info").replaceChildren(
      ...(toPlain(invoke(CATALOG_INFO, [])) as [string, string | number | boolean][]).flatMap(([label, value]) => [
        h("dt", {}, INFO_LABELS[label] ?? label),
        h(
          "dd",
          { "data-info": label },
          typeof value === "number"
            ? count(value)
            : value === true
              ? "Yes: this workbook keeps its own copy"
              : value === false
                ? "No"
                : value,
        ),
      ]),
    );
    byId<HTMLButtonElement>("pin").disabled = isPinned();
    byId<HTMLButtonElement>("unpin").disabled = !isPinned();
    const overlay = view.overlay;
    byId("overlay-status").textContent = overlay
      ? `${overlay.name}: ${count(view.overridden.size)} models at negotiated prices (marked in the table).`
      : "None. An overlay gives percent off a provider or model, or explicit prices, on top of the public catalogue.";
    show(byId("overlay-remove"), overlay !== undefined);
    this.renderRates();
    this.renderHistory();
  }

  /** The rates FX answers today, each with the ECB publication date or the planning rates it comes from. */
  private renderRates(): void {
    const rates = ratesOn(activeCatalogue().data.fx, today());
    byId("fx-status").textContent = rates.length
      ? "Planning rates (the organisation's budget rates) take precedence over the ECB's reference rates."
      : "None yet. Refresh from the ECB's euro reference rates below; an organisation's catalogue or overlay may carry planning rates.";
    show(byId("fx-rates"), rates.length > 0);
    byId("fx-body").replaceChildren(
      ...rates.map(({ code, rate }) =>
        h(
          "tr",
          {},
          h("td", {}, code),
          h("td", { class: "num" }, rate.perUsd.toSignificantDigits(6).toString()),
          h("td", {}, origin(rate.origin)),
        ),
      ),
    );
  }

  private showSourceUrl(): void {
    // The 90-day file: recent history at a fraction of the full history's size (its address can be pasted instead).
    this.url.value = this.source.value === ECB ? ECB_URLS.last90Days : (SOURCES[this.source.value as SourceKind].url ?? "");
    this.url.placeholder = this.url.value ? "" : "https://…/catalogue.json";
  }

  private async fetchProposal(): Promise<void> {
    const kind = this.source.value as SourceKind;
    const url = this.url.value.trim();
    const refused = httpsOnly(url);
    if (refused) return this.say("refresh-message", refused, true);
    const seconds = Number(this.timeout.value);
    if (!(seconds > 0)) return this.say("refresh-message", "The time limit must be a number of seconds above 0.", true);
    this.closeProposal();
    this.fetchButton.disabled = true;
    this.say("refresh-message", `Fetching ${url} …`, false);
    try {
      const { publicCatalogue, overlay } = this.state.current;
      const options = { timeoutMs: seconds * 1000, overlay };
      const outcome =
        this.source.value === ECB
          ? await refreshRates(url, publicCatalogue, options)
          : await refreshCatalogue(kind, url, publicCatalogue, options);
      if (!outcome.ok) return this.say("refresh-message", outcome.reason, true);
      this.proposal = outcome.proposal;
      show(byId("refresh-message"), false);
      this.renderProposal(outcome.proposal);
    } finally {
      this.fetchButton.disabled = false;
    }
  }

  private async accept(): Promise<void> {
    const proposal = this.proposal;
    if (!proposal) return;
    const { version, models } = proposal.catalogue;
    const kept = this.state.current.overlay;
    const prices = proposal.overlay
      ? `, with its organisation prices ${proposal.overlay.name}${kept && kept.name !== proposal.overlay.name ? ` in place of ${kept.name}` : ""}${unmatchedNote(proposal.overlay, proposal.catalogue)}`
      : "";
    await this.act(
      "refresh-message",
      async () => {
        await this.state.accept(proposal);
        this.closeProposal();
        this.fetchButton.focus(); // the button pressed has gone
      },
      `Accepted version ${version} (${count(models.length)} models)${this.state.workbook ? ", pinned to this workbook" : ""}${prices}`,
      "Accepting",
    );
  }

  private closeProposal(): void {
    this.proposal = undefined;
    show(byId("proposal"), false);
    byId("proposal-details").replaceChildren();
  }

  private renderProposal(p: Proposal): void {
    const { diff } = p;
    byId("proposal-summary").textContent = `Version ${p.catalogue.version}, as of ${p.catalogue.as_of}: ${p.summary}.`;
    const flagged = diff.changed.flatMap((m) => m.changes.filter((c) => c.flagged).map((c) => ({ id: m.id, c })));
    const idItem = (m: { id: string }) => h("li", {}, m.id);
    byId("proposal-details").replaceChildren(
      section(
        "Flagged: moved more than ×10",
        flagged,
        ({ id, c }) => h("li", { class: "flagged" }, h("code", {}, id), ` ${changeText(c)}`),
        true,
        "flagged",
      ),
      section("Changed", diff.changed, modelChange),
      section("Added", diff.added, idItem),
      section("Removed", diff.removed, idItem),
      section("Rejected entries", p.rejected, (r) => h("li", {}, h("code", {}, r.entry), h("span", { class: "why" }, r.reason))),
    );
    show(byId("proposal"), true);
  }

  private renderHistory(): void {
    const versions = this.state.store.history();
    const items = versions.map((v, i) =>
      h(
        "li",
        { class: i === 0 ? "latest" : undefined },
        h("div", { class: "history-what" }, h("strong", {}, v.version), ` · ${count(v.models)} models · as of ${v.as_of}`),
        h("div", { class: "history-source", title: v.source }, v.source),
        h("div", { class: "history-when" }, `Accepted ${v.accepted_at.slice(0, 16).replace("T", " ")} UTC`),
        i === 0 ? h("span", { class: "badge" }, "Latest") : h("button", { type: "button", "data-version": v.id }, "Roll back"),
      ),
    );
    byId("history").replaceChildren(
      ...(items.length ? items : [h("li", { class: "hint" }, "Nothing accepted yet: the bundled catalogue is in use.")]),
    );
  }

  private async loadOverlay(): Promise<void> {
    const url = byId<HTMLInputElement>("overlay-url").value.trim();
    const refused = httpsOnly(url);
    if (refused) return this.say("overlay-message", refused, true);
    let overlay;
    try {
      const text = await fetchFeed(url, { timeoutMs: Number(this.timeout.value) * 1000 || FETCH_TIMEOUT_MS });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new FeedError("the response is not JSON");
      }
      overlay = parseOverlay(json);
    } catch (e) {
      return this.say(
        "overlay-message",
        `Loading the organisation prices failed: ${(e as Error).message}; the prices in force stay.`,
        true,
      );
    }
    await this.act(
      "overlay-message",
      () => this.state.setOverlay(overlay),
      `Applied ${overlay.name}${unmatchedNote(overlay, this.state.current.publicCatalogue)}`,
      "Applying the organisation prices",
    );
  }

  /** Runs a state change, then says in one sentence that it happened or what went wrong. */
  private async act(where: string, step: () => Promise<void>, done: string, doing: string): Promise<void> {
    try {
      await step();
      this.say(where, `${done}.`, false);
    } catch (e) {
      this.say(where, `${doing} failed: ${(e as Error).message}; the catalogue in use has not changed.`, true);
    }
  }

  private say(id: string, text: string, error: boolean): void {
    const el = byId(id);
    el.textContent = text;
    el.classList.toggle("message-error", error);
    show(el, true);
  }
}

/** Only https addresses are fetched: a sentence saying so, or undefined for a good address. */
export function httpsOnly(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `“${url}” is not a web address; nothing was fetched.`;
  }
  return parsed.protocol === "https:" ? undefined : `Only https addresses are fetched, not “${url}”; nothing was fetched.`;
}

/** " (2 rules match no model)" when some of an overlay's rules price nothing in `catalogue`, else "". */
function unmatchedNote(overlay: Overlay, catalogue: Catalogue): string {
  const n = applyOverlay(catalogue, overlay).unmatched.length;
  return n ? ` (${count(n)} ${n === 1 ? "rule matches" : "rules match"} no model)` : "";
}

function percent(p: Dec | null): string {
  if (p === null) return "";
  const rounded = p.toDecimalPlaces(1);
  return ` (${rounded.isNegative() ? "−" : "+"}${rounded.abs().toFixed()}%)`;
}

/** A changed value as the Prices tab shows it: money with at least cents, but a variant's multiplier as it is. */
function valueText(field: string, value: string | null): string {
  if (value === null) return "none";
  return field.endsWith(" multiplier") ? value : money(new Dec(value));
}

function changeText(c: ValueChange): string {
  const when = c.from ? `from ${c.from}, ` : "";
  return `${when}${c.field}: ${valueText(c.field, c.old)} → ${valueText(c.field, c.new)}${percent(c.percent)}`;
}

function modelChange(m: ModelChange): HTMLLIElement {
  return h(
    "li",
    {},
    h("code", {}, m.id),
    h("ul", {}, ...m.changes.map((c) => h("li", { class: c.flagged ? "flagged" : undefined }, changeText(c)))),
  );
}

/** A collapsible list of one kind of change; at most LIST_LIMIT items are rendered, the rest counted. */
function section<T>(title: string, items: readonly T[], render: (item: T) => HTMLLIElement, open = false, kind = ""): HTMLElement {
  const more = items.length > LIST_LIMIT ? [h("li", { class: "hint" }, `… and ${count(items.length - LIST_LIMIT)} more`)] : [];
  return h(
    "details",
    { class: `diff ${kind}`.trim(), open: open && items.length > 0 },
    h("summary", {}, `${title} `, h("span", { class: "n" }, count(items.length))),
    h("ul", {}, ...items.slice(0, LIST_LIMIT).map(render), ...more, items.length === 0 && h("li", { class: "hint" }, "None.")),
  );
}

function origin(o: RateOrigin): string {
  if (o.kind === "reference") return `ECB, ${o.date}`;
  return o.kind === "planning" ? `Planning rate: ${o.name}` : "";
}
