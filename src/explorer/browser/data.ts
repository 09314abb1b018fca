/**
 * The page's data blocks, decoded in the browser: one dataset's packed arrays, its scores as named
 * columns, and its image sheets decoded on first use.
 */
import { fromLogCode, pageIds, type PageDataset, type PageMeta } from '../page-meta';

export interface Dataset {
  readonly meta: PageDataset;
  readonly index: number;
  readonly labels: Uint8Array;
  readonly officialIndex: Int32Array;
  /** Score columns by name, each of length n. */
  readonly scores: ReadonlyMap<string, Float32Array>;
  /** Log codes [n, E, D]. */
  readonly beta: Uint8Array;
  /** Log codes [n, E]. */
  readonly nll: Uint8Array;
  readonly cluster: Uint8Array;
  readonly flipped: Uint8Array;
  /** [n, C], p · 255; undefined when the page was built without an engine. */
  readonly probabilities?: Uint8Array;
}

function blockText(id: string): string {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks its data block #${id} (was it truncated?)`);
  return (el.textContent ?? '').trim();
}

export function readMeta(): PageMeta {
  return JSON.parse(blockText(pageIds.meta)) as PageMeta;
}

/**
 * One dataset's arrays: the browser's own base64 decoder (a data: URL fetched) and inflater
 * (DecompressionStream; zlib is its 'deflate' format), several times faster on the paper profile's
 * 12 MB blocks than decoding in script.
 */
export async function decodeDataset(meta: PageDataset, index: number): Promise<Dataset> {
  const base64 = blockText(pageIds.data(index));
  const deflated = (await fetch(`data:application/octet-stream;base64,${base64}`)).body;
  if (!deflated) throw new Error(`the page's ${meta.dataset} data block could not be read`);
  const buffer = await new Response(deflated.pipeThrough(new DecompressionStream('deflate'))).arrayBuffer();
  const arrays = new Map<string, Uint8Array | Int32Array | Float32Array>();
  for (const { name, type, offset, length } of meta.manifest) {
    arrays.set(
      name,
      type === 'u8'
        ? new Uint8Array(buffer, offset, length)
        : type === 'i32'
          ? new Int32Array(buffer, offset, length)
          : new Float32Array(buffer, offset, length),
    );
  }
  const get = <T>(name: string): T => {
    const a = arrays.get(name);
    if (!a) throw new Error(`the page's ${meta.dataset} data lacks '${name}'`);
    return a as T;
  };
  const scoreValues = get<Float32Array>('scores');
  const scores = new Map(meta.scores.map((s, k) => [s.name, scoreValues.subarray(k * meta.n, (k + 1) * meta.n)]));
  return {
    meta,
    index,
    labels: get('labels'),
    officialIndex: get('officialIndex'),
    scores,
    beta: get('beta'),
    nll: get('nll'),
    cluster: get('cluster'),
    flipped: get('flipped'),
    probabilities: arrays.get('probabilities') as Uint8Array | undefined,
  };
}

/** β of sample i per layer and epoch (0 where it underflowed the page's scale). */
export function betaRows(d: Dataset, i: number): { epoch: number; layer: string; beta: number }[] {
  const { epochs: E, layers } = d.meta;
  const rows: { epoch: number; layer: string; beta: number }[] = [];
  for (let t = 0; t < E; t++) {
    layers.forEach((layer, l) => {
      const code = d.beta[(i * E + t) * layers.length + l]!;
      if (code > 0) rows.push({ epoch: t + 1, layer, beta: fromLogCode(code, d.meta.betaScale) });
    });
  }
  return rows;
}

export function nllRows(d: Dataset, i: number): { epoch: number; nll: number }[] {
  const E = d.meta.epochs;
  const rows: { epoch: number; nll: number }[] = [];
  for (let t = 0; t < E; t++) {
    const code = d.nll[i * E + t]!;
    if (code > 0) rows.push({ epoch: t + 1, nll: fromLogCode(code, d.meta.nllScale) });
  }
  return rows;
}

/**
 * The k samples nearest sample i in importance-trajectory space: Euclidean distance between log10 β
 * trajectories (all epochs and layers), which the page's log codes are linear in. One query reads
 * n·E·D bytes (10 MB at the paper profile): tens of milliseconds, so nothing is precomputed.
 */
export function nearestNeighbours(d: Dataset, i: number, k: number): number[] {
  const width = d.meta.epochs * d.meta.layers.length;
  const own = d.beta.subarray(i * width, (i + 1) * width);
  const best: { j: number; dist: number }[] = [];
  for (let j = 0; j < d.meta.n; j++) {
    if (j === i) continue;
    let dist = 0;
    const at = j * width;
    for (let q = 0; q < width; q++) {
      const diff = d.beta[at + q]! - own[q]!;
      dist += diff * diff;
    }
    if (best.length < k || dist < best[best.length - 1]!.dist) {
      best.push({ j, dist });
      best.sort((a, b) => a.dist - b.dist);
      if (best.length > k) best.pop();
    }
  }
  return best.map((b) => b.j);
}

/** Rank of every sample by a score (1 = largest), computed once per score. */
export function ranks(values: Float32Array): Uint32Array {
  const order = Array.from({ length: values.length }, (_, k) => k).sort((a, b) => values[b]! - values[a]!);
  const out = new Uint32Array(values.length);
  order.forEach((p, r) => {
    out[p] = r + 1;
  });
  return out;
}

const sheetImages = new Map<string, Promise<HTMLImageElement>>();

function sheet(d: Dataset, s: number): Promise<HTMLImageElement> {
  const id = pageIds.sheet(d.index, s);
  let image = sheetImages.get(id);
  if (!image) {
    image = new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => reject(new Error(`image sheet #${id} could not be decoded`));
      img.src = blockText(id);
    });
    sheetImages.set(id, image);
  }
  return image;
}

/** A canvas showing sample i's image, `scale` screen pixels per image pixel (pixelated). */
export function sampleImage(d: Dataset, i: number, scale: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  const shape = d.meta.imageShape;
  if (!shape || d.meta.sheetCount === 0) {
    canvas.width = canvas.height = 0;
    return canvas;
  }
  const [h, w] = shape;
  canvas.width = w * scale;
  canvas.height = h * scale;
  canvas.className = 'sample-image';
  const side = d.meta.sheetSide;
  const perSheet = side * side;
  const k = i % perSheet;
  // After the current task: a sheet's data URL is megabytes, and the page should answer first.
  setTimeout(
    () =>
      void sheet(d, Math.floor(i / perSheet)).then((img) => {
        const ctx = canvas.getContext('2d');
        if (!ctx) return;
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(img, (k % side) * w, Math.floor(k / side) * h, w, h, 0, 0, w * scale, h * scale);
      }),
  );
  return canvas;
}
