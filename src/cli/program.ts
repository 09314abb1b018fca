/**
 * The `si` program: every command with its options, declared once with commander, which gives
 * per-command `--help`, suggestions for mistyped commands and flags, and (through ./completion)
 * shell completion. Parse errors, unknown flags and stray arguments stop `si` before any work.
 *
 * @example
 *   await buildProgram().parseAsync(['node', 'si', 'train', '--epochs', '3']);
 */
import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { packageVersion } from '../version';
import { ablationsCommand } from './commands/ablations';
import { benchCommand } from './commands/bench';
import { claimsCommand } from './commands/claims';
import { configCommand } from './commands/config';
import { downloadCommand } from './commands/download';
import { influenceCommand } from './commands/influence';
import { infoCommand } from './commands/info';
import { noisyCommand } from './commands/noisy';
import { notebooksCommand } from './commands/notebooks';
import { orderSourcesCommand } from './commands/order-sources';
import { experimentsCommand, reportCommand } from './commands/report';
import { pruneCommand } from './commands/prune';
import { runsCommand } from './commands/runs';
import { scoresCommand } from './commands/scores';
import { stepDivergenceCommand } from './commands/step-divergence';
import { sweepCommand, workerCommand } from './commands/sweep';
import { trainCommand } from './commands/train';
import { completionCommands } from './completion';

export function buildProgram(): CommandUnknownOpts {
  const program = new Command('si')
    .description('sample importance: per-sample, per-layer, per-epoch importance in SGD training (Gao & Jojic)')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const commands: CommandUnknownOpts[] = [
    trainCommand(),
    downloadCommand(),
    experimentsCommand(),
    reportCommand(),
    claimsCommand(),
    ablationsCommand(),
    orderSourcesCommand(),
    stepDivergenceCommand(),
    runsCommand(),
    notebooksCommand(),
    influenceCommand(),
    scoresCommand(),
    pruneCommand(),
    noisyCommand(),
    infoCommand(),
    configCommand(),
    benchCommand(),
    sweepCommand(),
    workerCommand(),
  ];
  const { script, server } = completionCommands(program);
  for (const command of [...commands, script]) {
    program.addCommand(command.exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  program.addCommand(server, { hidden: true });
  return program;
}
