/**
 * Whether the built CUDA addon has passed its hardware check on this machine. `auto` ranks an
 * engine above the CPU engines only once it has: until scripts/gpu-check.sh has run the
 * conformance suite and the CPU comparison on this machine's GPU and recorded a pass, `cuda` is
 * used only when asked for by name. The record names the addon's SHA-256, so a rebuilt addon
 * needs checking again.
 *
 * @example
 *   cudaVerificationProblem();   // 'not verified on this machine's GPU: …' or undefined
 *   recordCudaVerification({ device: 'NVIDIA H200', summary: 'tests ok, compare ok' });   // gpu-check.sh, on a pass
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { writeFileAtomic } from '../../io/atomic';
import { cudaAddonPath } from './addon';

/** Written beside the addon: build/Release/si_cuda.node → build/Release/si_cuda.verified.json. */
export function cudaVerificationFile(addon: string = cudaAddonPath()): string {
  return `${addon.replace(/\.node$/, '')}.verified.json`;
}

interface CudaVerification {
  addonSha256: string;
  device: string;
  summary: string;
  verifiedAt: string;
}

const hashes = new Map<string, string>();

/** The file's SHA-256, hashed once per size and modification time (the addon is tens of MB). */
function sha256(file: string): string {
  const { size, mtimeMs } = fs.statSync(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  let hash = hashes.get(key);
  if (!hash) {
    hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    hashes.set(key, hash);
  }
  return hash;
}

/** Why `auto` must not pick the CUDA engine yet, or undefined once this addon passed the check. */
export function cudaVerificationProblem(addon: string = cudaAddonPath()): string | undefined {
  const how =
    'it is used only when asked for (--engine cuda) ' +
    'until scripts/gpu-check.sh has passed on this machine (docs/GPU.md)';
  const file = cudaVerificationFile(addon);
  if (!fs.existsSync(addon) || !fs.existsSync(file)) return `never verified on a GPU here; ${how}`;
  let record: Partial<CudaVerification>;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CudaVerification>;
  } catch {
    return `${file} is unreadable; ${how}`;
  }
  if (record.addonSha256 !== sha256(addon)) return `the addon was rebuilt since ${file} was written; ${how}`;
  return undefined;
}

/** Records that the addon now built passed the hardware check (called by scripts/gpu-check.sh). */
export function recordCudaVerification(
  facts: { device: string; summary: string },
  addon: string = cudaAddonPath(),
): string {
  const record: CudaVerification = { addonSha256: sha256(addon), ...facts, verifiedAt: new Date().toISOString() };
  const file = cudaVerificationFile(addon);
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
