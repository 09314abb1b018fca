#!/usr/bin/env node
/**
 * The `si` command line: training runs, dataset downloads, engine information, benchmarks.
 *
 * @example
 *   si info
 *   si train --dataset mnist --epochs 50
 */
import { UsageError, formatFlags, type FlagTable } from './args';
import { BENCH_FLAGS, benchCommand } from './commands/bench';
import { DOWNLOAD_FLAGS, downloadCommand } from './commands/download';
import { infoCommand } from './commands/info';
import { TRAIN_FLAGS, trainCommand } from './commands/train';
import { INFLUENCE_FLAGS, influenceCommand } from './commands/influence';
import { REPORT_FLAGS, experimentsCommand, reportCommand } from './commands/report';
import { CLAIMS_FLAGS, claimsCommand } from './commands/claims';
import { RUNS_FLAGS, runsCommand } from './commands/runs';

const COMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; help: string; flags?: FlagTable }> = {
  train: { run: trainCommand, help: 'train one run and record per-sample importance (si train --help)', flags: TRAIN_FLAGS },
  download: { run: downloadCommand, help: 'fetch and verify the official dataset files (si download mnist cifar10)', flags: DOWNLOAD_FLAGS },
  experiments: { run: experimentsCommand, help: "train a profile's runs (cached) and write the per-figure data", flags: REPORT_FLAGS },
  report: { run: reportCommand, help: 'experiments, then every figure notebook executed into reports/<profile>/', flags: REPORT_FLAGS },
  claims: { run: claimsCommand, help: "the paper's claims with our measurement and a verdict each, from a profile's figure data", flags: CLAIMS_FLAGS },
  runs: { run: runsCommand, help: 'what the run cache holds: runs per dataset and construction, their errors and compute', flags: RUNS_FLAGS },
  influence: { run: influenceCommand, help: 'influence of samples on the final model (−H⁻¹g, paper §4), checked against retraining', flags: INFLUENCE_FLAGS },
  info: { run: infoCommand, help: 'list engines, backends, BLAS and threads' },
  bench: { run: benchCommand, help: 'time one SGD step of the paper networks on every engine, with peers', flags: BENCH_FLAGS },
};

function usage(): string {
  return `usage: si <command> [options]\n\ncommands:\n${Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(10)} ${c.help}`).join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`error: unknown command '${name}'; valid commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: si ${name} [options]\n${command.help}\n${command.flags ? `\noptions:\n${formatFlags(command.flags)}` : ''}`);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof UsageError || err instanceof RangeError ? 2 : 1;
  },
);
