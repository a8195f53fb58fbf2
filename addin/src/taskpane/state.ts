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

export class CatalogueState {
  readonly store: CatalogueStore;
  private view: View = { publicCatalogue: bundledCatalogue().data, overlay: undefined, overridden: new Map(), pinned: false };

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
   * At start: the workbook's pinned catalogue if it has one, else the latest accepted here, else
   * the bundled one; with the overlay the workbook (or, outside Excel, this browser) keeps.
   * Returns what could not be read, in one sentence, or undefined.
   */
  async load(): Promise<string | undefined> {
    const problems: string[] = [];
    let pinnedText: string | null = null;
    let overlayText: string | null;
    if (this.workbook) {
      [pinnedText, overlayText] = await this.workbook(async (context) => [
        await readPart(context, PIN_NAMESPACE),
        await readPart(context, OVERLAY_NAMESPACE),
      ]);
    } else {
      overlayText = this.local.get(OVERLAY_KEY);
    }
    let pinned: Catalogue | undefined;
    if (pinnedText !== null) {
      try {
        pinned = deserialise(pinnedText);
      } catch (e) {
        problems.push(`the workbook's pinned catalogue could not be read (${(e as Error).message})`);
      }
    }
    let overlay: Overlay | undefined;
    if (overlayText !== null) {
      try {
        overlay = parseOverlay(JSON.parse(overlayText));
      } catch (e) {
        problems.push(`the kept organisation prices could not be read (${(e as Error).message})`);
      }
    }
    const publicCatalogue = pinned ?? this.store.current() ?? bundledCatalogue().data;
    if (pinned || overlay || publicCatalogue !== bundledCatalogue().data) this.activate(publicCatalogue, overlay, pinned !== undefined);
    return problems.length ? `${capitalise(problems.join("; "))}; using the ${pinned ? "pinned" : "latest"} prices instead.` : undefined;
  }

  /**
   * The user's "accept": compiled first (a catalogue that cannot compile changes nothing), kept
   * in this browser's history, pinned into the open workbook, then made active. An organisation's
   * catalogue that carries its prices replaces the overlay kept before, and keeps its own.
   */
  async accept(proposal: Proposal): Promise<void> {
    const overlay = overlayAfter(proposal, this.view.overlay);
    const compiled = this.compile(proposal.catalogue, overlay);
    // The first accept also keeps what it replaces, so the history can go back to it.
    if (this.store.history().length === 0) this.store.accept(this.view.publicCatalogue);
    this.store.accept(proposal.catalogue);
    await this.pin(proposal.catalogue);
    if (proposal.overlay) await this.keepOverlay(proposal.overlay);
    this.setActive(proposal.catalogue, overlay, compiled, this.workbook !== undefined);
  }

  /** Makes a version of the history the latest again and the one in use. */
  async rollback(id: string): Promise<void> {
    const catalogue = this.store.rollback(id);
    const compiled = this.compile(catalogue, this.view.overlay);
    await this.pin(catalogue);
    this.setActive(catalogue, this.view.overlay, compiled, this.workbook !== undefined);
  }

  /** Keeps the catalogue in use inside the workbook. */
  async pinCurrent(): Promise<void> {
    await this.pin(this.view.publicCatalogue);
    this.activate(this.view.publicCatalogue, this.view.overlay, true);
  }

  /** Drops the workbook's pin: it prices with the latest catalogue of this browser again. */
  async unpin(): Promise<void> {
    await this.workbook?.((context) => removePart(context, PIN_NAMESPACE));
    this.activate(this.store.current() ?? bundledCatalogue().data, this.view.overlay, false);
  }

  /** Applies an organisation's prices on top of the public catalogue and keeps them. */
  async setOverlay(overlay: Overlay | undefined): Promise<void> {
    const compiled = this.compile(this.view.publicCatalogue, overlay);
    await this.keepOverlay(overlay);
    this.setActive(this.view.publicCatalogue, overlay, compiled, this.view.pinned);
  }

  /** Keeps the overlay in the workbook, or outside Excel in this browser; none removes it. */
  private async keepOverlay(overlay: Overlay | undefined): Promise<void> {
    const text = overlay && JSON.stringify(overlay);
    if (this.workbook) {
      await this.workbook((context) => (text ? writePart(context, OVERLAY_NAMESPACE, text) : removePart(context, OVERLAY_NAMESPACE)));
    } else if (text) this.local.set(OVERLAY_KEY, text);
    else this.local.remove(OVERLAY_KEY);
  }

  private async pin(catalogue: Catalogue): Promise<void> {
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
