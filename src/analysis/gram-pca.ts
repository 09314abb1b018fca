/**
 * Exact PCA of m very long vectors (m parameter snapshots of P ≈ 0.7–1.9 million floats) without
 * holding them all: the centred Gram matrix X_c X_cᵀ (m × m, dot products in float64) carries
 * everything PCA needs. Its eigendecomposition V Λ Vᵀ gives Y = V Λ^½ with Y Yᵀ = X_c X_cᵀ, so Y
 * is X_c written in an orthonormal basis of its own row space; ml-pca on Y then yields the same
 * scores (up to sign) and explained-variance ratios as PCA on the raw m × P matrix.
 *
 * Vectors are loaded through a callback, as many at a time as `blockBytes` allows, so memory is
 * O(m² + blockBytes); each vector is loaded about m / (2·blockSize) + 1 times.
 *
 * @example
 *   const { scores, explained } = gramPca(snapshots.length, (j) => snapshots[j], { components: 2 });
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { PCA } from 'ml-pca';

export interface GramPcaOptions {
  /** Principal components kept in `scores`. */
  components: number;
  /**
   * Memory for the vectors held at once while forming the Gram matrix. With the default 2 GiB the
   * paper's 357 MNIST snapshots (2.7 MB each) are read once, its CIFAR-10 ones (6.4 MB) about twice;
   * a block of 8 vectors re-read them some 20 times.
   */
  blockBytes: number;
}

export const GRAM_PCA_DEFAULTS: Required<GramPcaOptions> = { components: 2, blockBytes: 2 * 2 ** 30 };

export interface GramPcaResult {
  /** m rows of `components` coordinates. */
  scores: number[][];
  /** Explained-variance ratio of every component, largest first. */
  explained: number[];
}

/** Float64 dot product; four partial sums let the CPU overlap the additions. */
function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`snapshots differ in length: ${a.length} and ${b.length}`);
  let [s0, s1, s2, s3] = [0, 0, 0, 0];
  const n4 = a.length - (a.length % 4);
  for (let k = 0; k < n4; k += 4) {
    s0 += a[k]! * b[k]!;
    s1 += a[k + 1]! * b[k + 1]!;
    s2 += a[k + 2]! * b[k + 2]!;
    s3 += a[k + 3]! * b[k + 3]!;
  }
  for (let k = n4; k < a.length; k++) s0 += a[k]! * b[k]!;
  return s0 + s1 + s2 + s3;
}

/** X Xᵀ of the m vectors, loading a block of them at a time. */
export function gramMatrix(m: number, load: (j: number) => Float32Array, blockSize: number): Float64Array {
  const gram = new Float64Array(m * m);
  const set = (i: number, j: number, v: number): void => {
    gram[i * m + j] = v;
    gram[j * m + i] = v;
  };
  for (let start = 0; start < m; start += blockSize) {
    const block = Array.from({ length: Math.min(blockSize, m - start) }, (_, k) => load(start + k));
    block.forEach((a, p) => {
      block.slice(0, p + 1).forEach((b, q) => {
        set(start + p, start + q, dot(a, b));
      });
    });
    for (let j = start + block.length; j < m; j++) {
      const other = load(j);
      block.forEach((a, p) => {
        set(start + p, j, dot(a, other));
      });
    }
  }
  return gram;
}

/** Double centring: the Gram matrix of the vectors minus their mean. */
export function centreGram(gram: Float64Array, m: number): Float64Array {
  const rowMean = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) rowMean[i]! += gram[i * m + j]! / m;
  const grand = rowMean.reduce((a, b) => a + b, 0) / m;
  return gram.map((g, k) => g - rowMean[Math.floor(k / m)]! - rowMean[k % m]! + grand);
}

/** Y = V Λ^½ with Y Yᵀ = the centred Gram matrix (tiny negative eigenvalues are rounding: 0). */
export function gramFactor(centred: Float64Array, m: number): Matrix {
  const evd = new EigenvalueDecomposition(
    new Matrix(Array.from({ length: m }, (_, i) => Array.from(centred.subarray(i * m, (i + 1) * m)))),
    { assumeSymmetric: true },
  );
  const roots = evd.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  const vectors = evd.eigenvectorMatrix;
  return new Matrix(Array.from({ length: m }, (_, i) => roots.map((r, j) => vectors.get(i, j) * r)));
}

export function gramPca(
  m: number,
  load: (j: number) => Float32Array,
  opts: Partial<GramPcaOptions> = {},
): GramPcaResult {
  const { components, blockBytes } = { ...GRAM_PCA_DEFAULTS, ...opts };
  if (m < 2) throw new RangeError(`PCA needs at least 2 snapshots, got ${m}`);
  const blockSize = Math.max(1, Math.min(m, Math.floor(blockBytes / load(0).byteLength)));
  const y = gramFactor(centreGram(gramMatrix(m, load, blockSize), m), m);
  const pca = new PCA(y, { center: true, scale: false });
  const scores = pca.predict(y, { nComponents: Math.min(components, m) }).to2DArray();
  return { scores, explained: pca.getExplainedVariance() };
}
