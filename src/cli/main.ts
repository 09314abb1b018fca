#!/usr/bin/env node
/**
 * The `si` command line (commands in ./program.ts). Exit status: 0 done, 1 failed, 2 a usage
 * mistake (bad flag, value or argument), 3 a run that diverged (kept on disk as a result).
 *
 * @example
 *   si info
 *   si train --dataset mnist --epochs 50
 */
import { CommanderError } from '@commander-js/extra-typings';
import { UsageError } from './errors';
import { buildProgram } from './program';

const USAGE_EXIT = 2;

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof CommanderError) {
      // commander printed the message (or the help or version) already.
      process.exitCode = err.exitCode === 0 ? 0 : USAGE_EXIT;
      return;
    }
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof UsageError || err instanceof RangeError ? USAGE_EXIT : 1;
  });
