/** The sample explorer: pages that show every training sample's importance (see build-explorer.ts). */
export * from './build-explorer';
export * from './explorer-data';
export * from './images';
export * from './pack';
export * from './page';
export type {
  DatasetDescription,
  ExplorerScore,
  LogScale,
  PackedEntry,
  PackedType,
  PageDataset,
  PageMeta,
} from './page-meta';
