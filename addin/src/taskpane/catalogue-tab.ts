import { CATALOG_INFO } from "@tokenledger/core/catalogue/functions";
import { Dec, invoke, toPlain } from "@tokenledger/core";
import {
  type Catalogue,
  FETCH_TIMEOUT_MS,
  FeedError,
  type KeyValueStorage,
  type ModelChange,
  type Overlay,
  type Proposal,
  SOURCES,
  type SourceKind,
  type ValueChange,
  activeCatalogue,
  applyOverlay,
  compileCatalogue,
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
import { type AtRisk, formulasAtRisk } from "./at-risk";
import { byId, count, h, money, show } from "./dom";
import { ageInDays, ageText, dayText, isBundled, sourceText, versionText } from "./freshness";
import type { CatalogueState } from "./state";
import { readTlCells } from "./workbook";

/**
 * The Catalogue tab: what is in use, refreshing it from a source (the address shown before
 * anything is fetched, then the diff to accept or discard), the history to roll back to, pinning
 * to the workbook, and the organisation's prices.
 */

const INFO_LABELS: Record<string, string> = {
  source: "Source",
  as_of: "Prices of",
  version: "Version",
  models: "Models",
  pinned: "Kept in this workbook",
};

/** CATALOG_INFO's values as the pane words them. */
function infoText(label: string, value: string | number | boolean, data: Catalogue): string {
  if (label === "source") return isBundled(data) ? "Bundled with TokenLedger" : sourceText(data);
  if (label === "as_of") return `${dayText(String(value))} (${ageText(ageInDays(String(value), new Date()))})`;
  if (label === "version") return versionText(String(value));
  if (typeof value === "number") return count(value);
  if (typeof value === "boolean") return value ? "Yes: it reopens with these prices anywhere" : "No";
  return value;
}

/** Where the refresh form keeps the source last fetched and the address typed for each source. */
const REFRESH_KEY = "tokenledger.refresh";

/** The refresh source that brings exchange rates, not prices. */
const ECB = "ecb";

/** Longest list of a diff section the pane renders (all of a big feed's rejections); the rest is counted. */
const LIST_LIMIT = 500;

export class CatalogueTab {
  private proposal: Proposal | undefined;
  /** The workbook's formulas the open proposal would break, kept for the diff's search to redraw. */
  private breaking: AtRisk[] | "unreadable" | undefined;
  private readonly find = byId<HTMLInputElement>("proposal-find");
  private readonly source = byId<HTMLSelectElement>("refresh-source");
  private readonly url = byId<HTMLInputElement>("refresh-url");
  private readonly timeout = byId<HTMLInputElement>("refresh-timeout");
  private readonly fetchButton = byId<HTMLButtonElement>("refresh-fetch");
  private readonly prune = byId<HTMLInputElement>("refresh-prune");

  constructor(
    private readonly state: CatalogueState,
    /** This browser's storage, where the refresh form is remembered across reloads. */
    private readonly prefs: KeyValueStorage,
  ) {
    this.timeout.value = String(FETCH_TIMEOUT_MS / 1000);
    this.source.addEventListener("change", () => {
      this.showSourceUrl();
      show(byId("refresh-message"), false); // it was about the other source
    });
    const kept = this.remembered().source;
    if (kept && kept in SOURCES) this.source.value = kept;
    this.showSourceUrl();
    this.find.addEventListener("input", () => this.proposal && this.renderDetails(this.proposal));
    this.fetchButton.addEventListener("click", () => void this.fetchProposal());
    byId("proposal-accept").addEventListener("click", () => void this.accept());
    byId("proposal-discard").addEventListener("click", () => {
      this.closeProposal();
      this.fetchButton.focus(); // the button pressed has gone
      this.say("refresh-message", "Discarded; the catalogue in use has not changed.", false);
    });
    byId("history").addEventListener("click", (e) => {
      const button = (e.target as HTMLElement).closest<HTMLElement>("button[data-version]");
      const id = button?.dataset.version;
      const back = button?.dataset.older !== undefined;
      if (id !== undefined)
        void this.act(
          "refresh-message",
          () => this.state.rollback(id),
          back ? "Rolled back" : "Switched",
          back ? "Rolling back" : "Switching",
        );
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
    const data = activeCatalogue().data;
    byId("catalogue-info").replaceChildren(
      ...(toPlain(invoke(CATALOG_INFO, [])) as [string, string | number | boolean][]).flatMap(([label, value]) => [
        h("dt", {}, INFO_LABELS[label] ?? label),
        h("dd", { "data-info": label, title: label === "source" ? data.source : undefined }, infoText(label, value, data)),
      ]),
    );
    byId<HTMLButtonElement>("pin").disabled = isPinned();
    byId<HTMLButtonElement>("unpin").disabled = !isPinned();
    const overlay = view.overlay;
    byId("overlay-status").textContent = overlay
      ? `${overlay.name}: ${count(view.overridden.size)} models at negotiated prices (marked in the table).`
      : "None. Your organisation can publish its negotiated prices (percent off a provider or model, or set prices) at an https address; they apply on top of the public prices.";
    show(byId("overlay-remove"), overlay !== undefined);
    this.renderRates();
    this.renderHistory();
  }

  /** The refresh form as last used here: the source and, per source, the address. */
  private remembered(): { source?: string; urls: Record<string, string> } {
    try {
      const kept = JSON.parse(this.prefs.get(REFRESH_KEY) ?? "{}") as { source?: unknown; urls?: unknown };
      const urls = kept.urls && typeof kept.urls === "object" ? (kept.urls as Record<string, unknown>) : {};
      return {
        source: typeof kept.source === "string" ? kept.source : undefined,
        urls: Object.fromEntries(Object.entries(urls).filter((e): e is [string, string] => typeof e[1] === "string")),
      };
    } catch {
      return { urls: {} }; // unreadable: the defaults
    }
  }

  private remember(kind: string, url: string): void {
    const { urls } = this.remembered();
    try {
      this.prefs.set(REFRESH_KEY, JSON.stringify({ source: kind, urls: { ...urls, [kind]: url } }));
    } catch {
      // Storage full or off: the address is simply not remembered.
    }
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
    const kind = this.source.value;
    // ECB: the 90-day file, recent history at a fraction of the full history's size (its address can be pasted instead).
    const fallback = kind === ECB ? ECB_URLS.last90Days : (SOURCES[kind as SourceKind].url ?? "");
    this.url.value = this.remembered().urls[kind] ?? fallback;
    this.url.placeholder = this.url.value ? "" : "https://…/catalogue.json";
  }

  private async fetchProposal(): Promise<void> {
    const kind = this.source.value as SourceKind;
    const url = this.url.value.trim();
    const refused = httpsOnly(url);
    if (refused) return this.say("refresh-message", refused, true);
    const seconds = Number(this.timeout.value);
    if (!(seconds > 0)) return this.say("refresh-message", "The time limit must be a number of seconds above 0.", true);
    this.remember(kind, url);
    this.closeProposal();
    this.fetchButton.disabled = true;
    this.say("refresh-message", `Fetching ${url} …`, false);
    try {
      const { publicCatalogue, overlay } = this.state.current;
      const options = { timeoutMs: seconds * 1000, overlay, prune: this.prune.checked };
      const outcome =
        this.source.value === ECB
          ? await refreshRates(url, publicCatalogue, options)
          : await refreshCatalogue(kind, url, publicCatalogue, options);
      if (!outcome.ok) return this.say("refresh-message", outcome.reason, true);
      this.proposal = outcome.proposal;
      show(byId("refresh-message"), false);
      this.renderProposal(outcome.proposal, await this.atRisk(publicCatalogue, outcome.proposal));
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

  /** The workbook's formulas the proposal would break; undefined outside Excel, "unreadable" when the workbook cannot be read. */
  private async atRisk(current: Catalogue, proposal: Proposal): Promise<AtRisk[] | "unreadable" | undefined> {
    if (!this.state.workbook) return undefined;
    try {
      const cells = await this.state.workbook(readTlCells);
      return formulasAtRisk(cells, compileCatalogue(current), compileCatalogue(proposal.catalogue));
    } catch {
      return "unreadable";
    }
  }

  private closeProposal(): void {
    this.proposal = undefined;
    show(byId("proposal"), false);
    byId("proposal-details").replaceChildren();
    this.find.value = "";
  }

  private renderProposal(p: Proposal, atRisk?: AtRisk[] | "unreadable"): void {
    this.breaking = atRisk;
    byId("proposal-summary").textContent = `${sourceText(p.catalogue)}, prices of ${dayText(p.catalogue.as_of)}: ${p.summary}.`;
    this.renderDetails(p);
    show(byId("proposal"), true);
  }

  /** The diff's lists, each narrowed to the entries whose id (or rejected entry) holds the text searched. */
  private renderDetails(p: Proposal): void {
    const { diff } = p;
    const q = this.find.value.trim().toLowerCase();
    const only = <T>(items: readonly T[], key: (item: T) => string) => (q ? items.filter((i) => key(i).toLowerCase().includes(q)) : items);
    const flagged = diff.changed.flatMap((m) => m.changes.filter((c) => c.flagged).map((c) => ({ id: m.id, c })));
    const idItem = (m: { id: string }) => h("li", {}, m.id);
    const idOf = (m: { id: string }) => m.id;
    const open = (items: readonly unknown[]) => q !== "" && items.length > 0;
    const lists = {
      flagged: only(flagged, idOf),
      changed: only(diff.changed, idOf),
      added: only(diff.added, idOf),
      removed: only(diff.removed, idOf),
      kept: only(
        p.kept.filter((k) => k.fields === null),
        idOf,
      ),
      rejected: only(p.rejected, (r) => `${r.entry} ${r.reason}`),
    };
    const atRisk = this.breaking;
    const breaks =
      atRisk === "unreadable"
        ? h("p", { class: "hint" }, "The workbook's formulas could not be read, so the ones this change would break are not listed.")
        : atRisk &&
          section(
            "Formulas that would break",
            atRisk,
            (f) =>
              h("li", { class: "flagged" }, h("code", {}, f.address), " ", h("code", {}, f.formula), h("span", { class: "why" }, f.why)),
            true,
            "flagged",
          );
    byId("proposal-details").replaceChildren(
      ...(breaks ? [breaks] : []),
      section(
        "Flagged: moved more than ×10",
        lists.flagged,
        ({ id, c }) => h("li", { class: "flagged" }, h("code", {}, id), ` ${changeText(c)}`),
        true,
        "flagged",
      ),
      section("Changed", lists.changed, modelChange, open(lists.changed)),
      section("Added", lists.added, idItem, open(lists.added)),
      section("Removed", lists.removed, idItem, open(lists.removed)),
      section("Kept (not listed by the source)", lists.kept, idItem, open(lists.kept)),
      section(
        "Rejected entries",
        lists.rejected,
        (r) => h("li", {}, h("code", {}, r.entry), h("span", { class: "why" }, r.reason)),
        open(lists.rejected),
      ),
    );
  }

  /**
   * The kept catalogues, the one in use first. Another is offered to roll back to when its prices
   * are older than those in use, or to switch to when they are newer.
   */
  private renderHistory(): void {
    const versions = this.state.store.history();
    const current = versions[0];
    // Same prices date: the one accepted first (the store numbers them in order) is the older.
    const older = (v: (typeof versions)[number]) =>
      v.as_of < current.as_of || (v.as_of === current.as_of && Number(v.id) < Number(current.id));
    const items = versions.map((v, i) =>
      h(
        "li",
        { class: i === 0 ? "latest" : undefined },
        h("div", { class: "history-what" }, h("strong", {}, sourceText(v)), ` · ${count(v.models)} models`),
        h("div", { class: "history-source" }, `Prices of ${dayText(v.as_of)} · version ${versionText(v.version)}`),
        h(
          "div",
          { class: "history-when" },
          isBundled(v) ? "Comes with TokenLedger" : `Accepted ${dayText(v.accepted_at)}, ${v.accepted_at.slice(11, 16)} UTC`,
        ),
        i === 0
          ? h("span", { class: "badge" }, "In use")
          : h("button", { type: "button", "data-version": v.id, "data-older": older(v) }, older(v) ? "Roll back" : "Switch to"),
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
