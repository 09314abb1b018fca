#!/usr/bin/env node
/**
 * Runs `si influence` on its own (node dist/influence/main.js [flags]), for when the `si` entry point
 * is not at hand.
 *
 * @example
 *   node dist/influence/main.js --model logreg --train-size 1000 --removals 50
 */
import '../engine';
import { formatFlags, UsageError } from '../cli/args';
import { INFLUENCE_FLAGS, influenceCommand } from '../cli/commands/influence';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(`usage: node dist/influence/main.js [options]\n\noptions:\n${formatFlags(INFLUENCE_FLAGS)}`);
} else {
  influenceCommand(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = err instanceof UsageError || err instanceof RangeError ? 2 : 1;
    },
  );
}
