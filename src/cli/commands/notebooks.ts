/**
 * `si notebooks`: writes every figure notebook (notebooks/figNN-*.ipynb) from the figure registry
 * and one template; `--check` writes nothing and fails when a committed notebook differs.
 *
 * @example
 *   si notebooks           # after adding or editing a figure in src/figures/
 *   si notebooks --check   # exit 1 and the names of stale notebooks
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { serializeNotebook, writeNotebook } from '../../report/notebook-file';

export function notebooksCommand() {
  return new Command('notebooks')
    .description('write the figure notebooks from the figure registry (--check: only compare)')
    .addOption(
      new Option('--check', 'write nothing; exit 1 when a notebook differs from what would be written').default(false),
    )
    .action(async (o) => {
      // Loaded here, not at start-up: the figure registry pulls in danfojs (a second of loading).
      const { figureNotebooks } = await import('../../report/figure-notebook');
      const stale = figureNotebooks().filter(
        ({ file, notebook }) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== serializeNotebook(notebook),
      );
      for (const { file, notebook } of stale) {
        if (o.check) console.error(`${path.relative(process.cwd(), file)} differs from the generator`);
        else writeNotebook(file, notebook);
      }
      const verb = o.check ? 'stale' : 'written';
      console.error(
        `${stale.length} of ${figureNotebooks().length} figure notebooks ${verb}` +
          `${o.check && stale.length ? '; run `si notebooks`' : ''}`,
      );
      if (o.check && stale.length > 0) process.exitCode = 1;
    });
}
