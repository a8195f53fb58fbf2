import {
  type Catalogue,
  CatalogueStore,
  type Component,
  type KeyValueStorage,
  type Overlay,
  type Proposal,
  applyOverlay,
  bundledCatalogue,
  compileCatalogue,
  deserialise,
  overlayAfter,
  parseOverlay,
  serialise,
  setActiveCatalogue,
} from "@tokenledger/core/catalogue";
import { OVERLAY_NAMESPACE, PIN_NAMESPACE, readPart, removePart, writePart } from "./workbook";

/**
 * Which catalogue the TL functions price with, and where it is kept. The public catalogue (a
 * refresh, the workbook's pin, or the bundled default) with the organisation's overlay on top
 * becomes core's active catalogue; in Excel the workbook keeps its pinned catalogue and overlay
 * in custom XML parts, and this browser keeps the accepted catalogues (the latest is what new
 * workbooks start with) and, outside Excel, the overlay.
 */

/** Runs a step against the open workbook; absent in a plain browser. */
export type RunInWorkbook = <T>(step: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface View {
  /** The public catalogue in force, before the overlay: what a refresh is compared with. */
  readonly publicCatalogue: Catalogue;
  readonly overlay: Overlay | undefined;
  /** Model id → components the overlay changed. */
  readonly overridden: ReadonlyMap<string, readonly Component[]>;
  readonly pinned: boolean;
}

const OVERLAY_KEY = "tokenledger.overlay";

/** Where each piece of saved state lives, for sentences. */
const PIN_PART = `the workbook's pinned catalogue (custom XML part ${PIN_NAMESPACE})`;
const OVERLAY_PART = `the workbook's organisation prices (custom XML part ${OVERLAY_NAMESPACE})`;
const OVERLAY_LOCAL = `the kept organisation prices (browser storage key ${OVERLAY_KEY})`;

/** Reads one piece of saved state: what it holds, or why it cannot be read (a clause). */
async function attempt<T>(read: () => Promise<T> | T): Promise<{ value: T } | { problem: string }> {
  try {
    return { value: await read() };
  } catch (e) {
    return { problem: (e as Error).message.replace(/^(catalogue|overlay): /, "") };
  }
}

export class CatalogueState {
  readonly store: CatalogueStore;
  private view: View = { publicCatalogue: bundledCatalogue().data, overlay: undefined, overridden: new Map(), pinned: false };
  /**
   * Saved state that is there but could not be read, by where it is: never overwritten by an
   * accept, only by the user's explicit Unpin, overlay load or removal.
   */
  private unreadablePin: string | undefined;
  private unreadableOverlay: string | undefined;

  constructor(
    private readonly local: KeyValueStorage,
    /** The open workbook, in Excel. */
    readonly workbook: RunInWorkbook | undefined,
  ) {
    this.store = new CatalogueStore(local);
  }

  get current(): View {
    return this.view;
  }

  /**
   * At start: the workbook's pinned catalogue if it has one, else the newest readable catalogue
   * accepted here, else the bundled one; with the overlay the workbook (or, outside Excel, this
   * browser) keeps. Each piece is read on its own, so one that cannot be read spoils nothing else.
   * Returns what could not be read, in one sentence naming where it is, or undefined.
   */
  async load(): Promise<string | undefined> {
    const problems: string[] = [];
    const workbook = this.workbook;
    const pinRead = workbook
      ? await attempt(async () => {
          const text = await workbook((context) => readPart(context, PIN_NAMESPACE));
          return text === null ? undefined : deserialise(text);
        })
      : { value: undefined };
    const overlayRead = await attempt(async () => {
      const text = workbook ? await workbook((context) => readPart(context, OVERLAY_NAMESPACE)) : this.local.get(OVERLAY_KEY);
      if (text === null) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error("it is not JSON (damaged or cut short)");
      }
      return parseOverlay(json);
    });
    const pinned = "value" in pinRead ? pinRead.value : undefined;
    const overlay = "value" in overlayRead ? overlayRead.value : undefined;
    this.unreadablePin = "problem" in pinRead ? `${PIN_PART} could not be read (${pinRead.problem})` : undefined;
    const overlayWhere = workbook ? OVERLAY_PART : OVERLAY_LOCAL;
    this.unreadableOverlay = "problem" in overlayRead ? `${overlayWhere} could not be read (${overlayRead.problem})` : undefined;
    const kept = pinned ? { catalogue: null, problems: [] } : this.store.load();
    problems.push(...[this.unreadablePin, this.unreadableOverlay].filter((p) => p !== undefined), ...kept.problems);
    const publicCatalogue = pinned ?? kept.catalogue ?? bundledCatalogue().data;
    if (pinned || overlay || publicCatalogue !== bundledCatalogue().data) this.activate(publicCatalogue, overlay, pinned !== undefined);
    if (problems.length === 0) return undefined;
    const inUse = pinned
      ? "the pinned catalogue"
      : kept.catalogue
        ? `the kept catalogue ${publicCatalogue.version}`
        : "the bundled catalogue";
    const guard = this.unreadablePin || this.unreadableOverlay ? ", and what could not be read is left as it is until you replace it" : "";
    return `${capitalise(problems.join("; "))}; ${inUse} ${overlay ? "with the organisation prices " : ""}is in use${guard}.`;
  }

  /**
   * The user's "accept": compiled first (a catalogue that cannot compile changes nothing), pinned
   * into the open workbook, then kept in this browser's history, then made active: a failed
   * workbook write records nothing. An organisation's catalogue that carries its prices replaces
   * the overlay kept before, and keeps its own.
   */
  async accept(proposal: Proposal): Promise<void> {
    const overlay = overlayAfter(proposal, this.view.overlay);
    const compiled = this.compile(proposal.catalogue, overlay);
    await this.pin(proposal.catalogue);
    if (proposal.overlay) await this.keepOverlay(proposal.overlay);
    // The first accept also keeps what it replaces, so the history can go back to it.
    if (this.store.history().length === 0) this.store.accept(this.view.publicCatalogue);
    this.store.accept(proposal.catalogue);
    this.setActive(proposal.catalogue, overlay, compiled, this.workbook !== undefined);
  }

  /** Makes a version of the history the latest again and the one in use. */
  async rollback(id: string): Promise<void> {
    const catalogue = this.store.kept(id);
    const compiled = this.compile(catalogue, this.view.overlay);
    // The workbook first: a failed write leaves the history as it was.
    await this.pin(catalogue);
    this.store.rollback(id);
    this.setActive(catalogue, this.view.overlay, compiled, this.workbook !== undefined);
  }

  /** Keeps the catalogue in use inside the workbook. */
  async pinCurrent(): Promise<void> {
    await this.pin(this.view.publicCatalogue);
    this.activate(this.view.publicCatalogue, this.view.overlay, true);
  }

  /** Drops the workbook's pin (every pin part, read or not: the user's word): it prices with the latest catalogue of this browser again. */
  async unpin(): Promise<void> {
    await this.workbook?.((context) => removePart(context, PIN_NAMESPACE));
    this.unreadablePin = undefined;
    this.activate(this.store.current() ?? bundledCatalogue().data, this.view.overlay, false);
  }

  /** Applies an organisation's prices on top of the public catalogue and keeps them (the user's word: replaces an unreadable one). */
  async setOverlay(overlay: Overlay | undefined): Promise<void> {
    const compiled = this.compile(this.view.publicCatalogue, overlay);
    this.unreadableOverlay = undefined;
    await this.keepOverlay(overlay);
    this.setActive(this.view.publicCatalogue, overlay, compiled, this.view.pinned);
  }

  /** Keeps the overlay in the workbook, or outside Excel in this browser; none removes it. */
  private async keepOverlay(overlay: Overlay | undefined): Promise<void> {
    if (this.unreadableOverlay)
      throw new Error(`${this.unreadableOverlay}, and is not replaced unless you load or remove organisation prices`);
    const text = overlay && JSON.stringify(overlay);
    if (this.workbook) {
      await this.workbook((context) => (text ? writePart(context, OVERLAY_NAMESPACE, text) : removePart(context, OVERLAY_NAMESPACE)));
    } else if (text) this.local.set(OVERLAY_KEY, text);
    else this.local.remove(OVERLAY_KEY);
  }

  private async pin(catalogue: Catalogue): Promise<void> {
    if (this.workbook && this.unreadablePin) throw new Error(`${this.unreadablePin}, and is not replaced unless you unpin`);
    const text = serialise(catalogue);
    await this.workbook?.((context) => writePart(context, PIN_NAMESPACE, text));
  }

  private compile(catalogue: Catalogue, overlay: Overlay | undefined) {
    const result = overlay ? applyOverlay(catalogue, overlay) : undefined;
    return { compiled: compileCatalogue(result?.catalogue ?? catalogue), overridden: result?.overridden ?? new Map() };
  }

  private activate(catalogue: Catalogue, overlay: Overlay | undefined, pinned: boolean): void {
    this.setActive(catalogue, overlay, this.compile(catalogue, overlay), pinned);
  }

  private setActive(
    catalogue: Catalogue,
    overlay: Overlay | undefined,
    result: ReturnType<CatalogueState["compile"]>,
    pinned: boolean,
  ): void {
    this.view = { publicCatalogue: catalogue, overlay, overridden: result.overridden, pinned };
    setActiveCatalogue(result.compiled, { pinned }); // its listeners re-render and recalculate
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
