/**
 * The same SGD step in numpy and PyTorch (python/bench_peer.py), as BenchRows, so the native
 * engine's figures have a yardstick measured on the same machine with the same threads.
 *
 * @example
 *   runPeerBenchmark({
 *     batchSize: 100, stepsPerRep: 10, warmupReps: 2, reps: 7, threads: 2, networks: PAPER_NETWORKS,
 *   });
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot, venvPython } from '../paths';
import type { BenchNetwork } from './networks';
import type { BenchRow } from './step-bench';

export interface PeerOptions {
  readonly batchSize: number;
  readonly stepsPerRep: number;
  readonly warmupReps: number;
  readonly reps: number;
  readonly threads: number;
  readonly networks: readonly BenchNetwork[];
  /** Default: $SI_PEER_PYTHON, then the project's .venv python. */
  readonly python?: string;
}

interface PeerReport {
  versions: Record<string, string>;
  peers: Record<string, Record<string, number> & { unavailable?: string }>;
}

function unavailable(engine: string, reason: string): BenchRow {
  return { engine, backend: '-', network: '-', importance: false, scores: false, unavailable: reason };
}

export function runPeerBenchmark(opts: PeerOptions): BenchRow[] {
  // The networks the peers build: the MLPs, and cnn-small (PyTorch only).
  const peerNetworks = opts.networks.filter((n) => n.sizes !== undefined);
  if (peerNetworks.length === 0) return [];
  const python = opts.python ?? process.env.SI_PEER_PYTHON ?? venvPython();
  if (!fs.existsSync(python))
    return [unavailable('numpy', `no python at ${python} (run \`make setup\`, or set SI_PEER_PYTHON)`)];
  const script = path.join(projectRoot(), 'python', 'bench_peer.py');
  const args = [
    script,
    '--threads',
    `${opts.threads}`,
    '--batch',
    `${opts.batchSize}`,
    '--steps',
    `${opts.stepsPerRep}`,
    '--warmup',
    `${opts.warmupReps}`,
    '--reps',
    `${opts.reps}`,
    '--nets',
    peerNetworks.map((n) => n.sizes).join(','),
  ];
  const run = spawnSync(python, args, { encoding: 'utf8', timeout: 20 * 60 * 1000 });
  const lastLine = run.stdout?.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !lastLine.startsWith('{')) {
    const lastError = (run.stderr || String(run.error ?? '')).trim().split('\n').pop();
    return [unavailable('numpy', `${python} ${path.basename(script)} failed: ${lastError}`)];
  }
  const report = JSON.parse(lastLine) as PeerReport;
  const rows: BenchRow[] = [];
  for (const [engine, results] of Object.entries(report.peers)) {
    if (results.unavailable) {
      rows.push(unavailable(engine, results.unavailable));
      continue;
    }
    const backend = `${engine} ${report.versions[engine] ?? ''} (${opts.threads} threads)`;
    for (const network of peerNetworks) {
      // A conv net's peer also reports the step with per-sample gradient norms (torch.func), as importance.
      for (const importance of [false, true]) {
        const ms = results[`${network.sizes!}${importance ? '+importance' : ''}`];
        if (ms === undefined) continue;
        rows.push({
          engine,
          backend,
          network: network.label,
          importance,
          scores: false,
          msPerStep: ms,
          samplesPerSec: (opts.batchSize * 1000) / ms,
        });
      }
    }
  }
  return rows;
}
