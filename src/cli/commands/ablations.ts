/**
 * `si ablations`: Figure 1's stability across seeds under the preprocessing, output-layer and
 * step-size choices the paper leaves open (src/experiments/stability-ablations.ts): trains what is
 * missing (cached, resumable), writes figures/data/<profile>/<dataset>/fig01-ablations.json and
 * prints the table (or replaces it in a file with --into).
 *
 * @example
 *   OPENBLAS_NUM_THREADS=1 si ablations --profile paper --datasets cifar10
 *   si ablations --profile paper --datasets cifar10 --finished-only --into REPRODUCTION.md
 */
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { dataDir, runsDir } from '../../paths';
import { provenance } from '../provenance';
import { replaceSectionInFile } from '../markdown-section';
import { dataDirOption, datasetList, engineOption, pathValue, profileOption, runsDirOption } from '../options';
import { ProgressBar } from '../progress';

export function ablationsCommand() {
  return new Command('ablations')
    .description("Figure 1's stability across seeds under other preprocessing, output-layer init and step size")
    .addOption(profileOption())
    .addOption(new Option('--datasets <names>', 'comma-separated datasets').argParser(datasetList).default(['cifar10']))
    .addOption(engineOption())
    .addOption(runsDirOption())
    .addOption(dataDirOption())
    .addOption(new Option('--finished-only', 'train nothing: the runs finished so far').default(false))
    .addOption(
      new Option('--into <file>', 'replace the section between <!-- ablations:begin --> and its end marker').argParser(
        pathValue,
      ),
    )
    .action(async (o) => {
      // Loaded here, not at start-up: the analyses pull in danfojs.
      const { getProfile } = await import('../../experiments/profiles');
      const { ablationsMarkdown, stabilityAblations } = await import('../../experiments/stability-ablations');
      const { figureDataFile, saveFigureData } = await import('../../figures/data-file');
      const { loadEngine } = await import('../../engine');
      const profile = getProfile(o.profile);
      const engine = o.finishedOnly ? undefined : await loadEngine(o.engine);
      const bar = new ProgressBar();
      const sections: string[] = [];
      for (const dataset of o.datasets) {
        const frames = await stabilityAblations(profile, dataset, {
          engine,
          runsDir: runsDir(o.out),
          dataDir: dataDir(o.dataDir),
          finishedOnly: o.finishedOnly,
          log: (line) => {
            bar.done();
            console.error(line);
          },
          onProgress: (p) => bar.update(p),
        });
        bar.done();
        saveFigureData(figureDataFile(profile.name, dataset, 'fig01-ablations'), frames, {
          profile: profile.name,
          dataset,
        });
        sections.push(`${o.datasets.length > 1 ? `**${dataset}**\n\n` : ''}${ablationsMarkdown(frames)}`);
      }
      const table = sections.join('\n');
      if (o.into) {
        const command =
          `si ablations --profile ${profile.name} --datasets ${o.datasets.join(',')} ` +
          `--finished-only --into ${path.basename(o.into)}`;
        replaceSectionInFile(o.into, 'ablations', `${table}\n${provenance(command)}\n`);
        console.error(`ablations table updated in ${o.into}`);
      } else process.stdout.write(table);
    });
}
