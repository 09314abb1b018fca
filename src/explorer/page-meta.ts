/**
 * What the explorer page carries per dataset besides its packed arrays and image sheets: the
 * contract between the page writer (src/explorer/page.ts, in Node) and the app that reads it
 * (src/explorer/browser/, bundled for the browser). No imports, so both sides compile it.
 */

export type PackedType = 'u8' | 'i32' | 'f32';

export interface PackedEntry {
  readonly name: string;
  readonly type: PackedType;
  /** Byte offset into the inflated buffer (a multiple of 4). */
  readonly offset: number;
  /** Elements. */
  readonly length: number;
}

export interface LogScale {
  /** log10 of the value coded 1. */
  readonly lo: number;
  /** log10 of the value coded 255. */
  readonly hi: number;
}

/** A score axis: its name and how the page labels it. */
export interface ExplorerScore {
  readonly name: string;
  readonly label: string;
}

/** What describes one run's samples, in Node (ExplorerDataset) and in the page (PageDataset) alike. */
export interface DatasetDescription {
  readonly dataset: string;
  readonly runKey: string;
  /** One line naming the run: model, samples, epochs, seed. */
  readonly caption: string;
  readonly n: number;
  readonly epochs: number;
  readonly layers: readonly string[];
  readonly classNames: readonly string[];
  /** [height, width, channels], or undefined when the page carries no images. */
  readonly imageShape?: readonly [number, number, number];
  readonly scores: readonly ExplorerScore[];
  readonly betaScale: LogScale;
  readonly nllScale: LogScale;
  /** k of the importance-trajectory clusters. */
  readonly clusters: number;
  readonly hasProbabilities: boolean;
}

export interface PageDataset extends DatasetDescription {
  readonly manifest: readonly PackedEntry[];
  /** Image sheets (src/explorer/images.ts), each in the element `si-sheet-<dataset index>-<sheet>`. */
  readonly sheetCount: number;
  /** Images per sheet side. */
  readonly sheetSide: number;
}

export interface PageMeta {
  readonly title: string;
  readonly caption: string;
  readonly datasets: readonly PageDataset[];
  /** Vega specs compiled from Vega-Lite: the detail panel's charts, fed with view.data(name, rows). */
  readonly charts: { readonly beta: object; readonly nll: object };
}

/** The element ids of the page's data blocks. */
export const pageIds = {
  meta: 'si-explorer-meta',
  data: (d: number) => `si-data-${d}`,
  sheet: (d: number, s: number) => `si-sheet-${d}-${s}`,
};

/** The value a log code stands for (src/explorer/pack.ts): 0 for code 0. */
export function fromLogCode(code: number, scale: LogScale): number {
  return code === 0 ? 0 : 10 ** (scale.lo + ((code - 1) * (scale.hi - scale.lo)) / 254);
}
