/**
 * The shape shared by `si ablations` and `si order-sources`: a sweep beside a profile's own runs,
 * on some datasets, that trains what is missing (cached, resumable), writes its figure data and
 * prints a Markdown table — or replaces a marked section of a file with it (REPRODUCTION.md).
 *
 * @example
 *   sideSweepCommand({ name: 'ablations', description: '…', dataId: 'fig01-ablations', load: async () => … });
 */
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import type { Frames } from '../analysis/frames';
import type { DatasetName } from '../data/registry';
import type { Engine } from '../engine/types';
import type { Profile } from '../experiments/profiles';
import { datasetLabel, type RunDataset } from '../run/config';
import type { TrainProgress } from '../run/train';
import { dataDir, runsDir } from '../paths';
import { replaceSectionInFile } from './markdown-section';
import {
  dataDirOption,
  datasetList,
  engineOption,
  pathValue,
  profileOption,
  runDataset,
  runsDirOption,
} from './options';
import { ProgressBar } from './progress';
import { provenance } from './provenance';

export interface SweepContext {
  engine?: Engine;
  runsDir: string;
  dataDir: string;
  finishedOnly: boolean;
  log: (line: string) => void;
  onProgress: (p: TrainProgress) => void;
  /** The figure data this sweep wrote before for the dataset, when it declares recordsRuns and the file exists. */
  previous?: { frames: Frames; source: string };
}

export interface SideSweep {
  name: string;
  description: string;
  /** The figure data file's id: figures/data/<profile>/<dataset>/<dataId>.json. */
  dataId: string;
  /** The datasets it runs on without --datasets; default the profile's. */
  datasets?: DatasetName[];
  /** It also runs on users' .npz files (--datasets npz:FILE). */
  ownData?: boolean;
  /**
   * Its figure data lists every run's result, so what an earlier call wrote (committed with the
   * results) is handed back as ctx.previous: runs recorded there need not be retrained. The file
   * stays the profile's figure: a call whose options narrow the sweep prints its narrower table and
   * saves the profile's, made from what is recorded.
   */
  recordsRuns?: boolean;
  /** Extra options of the command, added to it. */
  options?: Option[];
  /** The sweep itself, loaded when the command runs (the analyses pull in danfojs, a second to load). */
  load(): Promise<{
    /** `dataset` is a user's npz:FILE only when the sweep declares ownData. */
    run(profile: Profile, dataset: RunDataset, ctx: SweepContext, flags: Record<string, unknown>): Promise<Frames>;
    markdown(frames: Frames): string;
  }>;
}

export function sideSweepCommand(sweep: SideSweep) {
  const command = new Command(sweep.name)
    .description(sweep.description)
    .addOption(profileOption())
    .addOption(
      new Option(
        '--datasets <names>',
        `comma-separated datasets${sweep.ownData ? ', or npz:FILE (your own)' : ''} ` +
          `(default: ${sweep.datasets?.join(',') ?? "the profile's"})`,
      ).argParser((value) => (sweep.ownData ? value.split(',').map((d) => runDataset(d.trim())) : datasetList(value))),
    )
    .addOption(engineOption())
    .addOption(runsDirOption())
    .addOption(dataDirOption())
    .addOption(new Option('--finished-only', 'train nothing: the runs finished so far').default(false))
    .addOption(
      new Option(
        '--into <file>',
        `replace the section between <!-- ${sweep.name}:begin --> and its end marker in this file`,
      ).argParser(pathValue),
    );
  for (const option of sweep.options ?? []) command.addOption(option);
  return command.action(async (o) => {
    const { run, markdown } = await sweep.load();
    const { getProfile } = await import('../experiments/profiles');
    const { figureDataFile, recordedFigureData, saveFigureData } = await import('../figures/data-file');
    const { loadEngine } = await import('../engine');
    const profile = getProfile(o.profile);
    const datasets = o.datasets ?? sweep.datasets ?? [...profile.datasets];
    const bar = new ProgressBar();
    const ctx: SweepContext = {
      engine: o.finishedOnly ? undefined : await loadEngine(o.engine),
      runsDir: runsDir(o.out),
      dataDir: dataDir(o.dataDir),
      finishedOnly: o.finishedOnly,
      log: (line) => {
        bar.done();
        console.error(line);
      },
      onProgress: (p) => bar.update(p),
    };
    const sections: string[] = [];
    const flags = o as Record<string, unknown>;
    const narrowing = sweep.recordsRuns
      ? (sweep.options ?? []).map((option) => option.attributeName()).filter((name) => flags[name] !== undefined)
      : [];
    for (const dataset of datasets) {
      // A .npz file's figure data goes under its label (npz-<name>), a folder name without slashes.
      const file = figureDataFile(profile.name, datasetLabel(dataset), sweep.dataId);
      const recorded = () => (sweep.recordsRuns ? recordedFigureData(file) : undefined);
      const before = recorded();
      let frames = await run(profile, dataset, { ...ctx, previous: before }, o);
      // Another worker on the same grid may have written the file meanwhile: its runs are results too,
      // so the table is made again from both, training nothing.
      const now = recorded();
      if (now && now.text !== before?.text)
        frames = await run(profile, dataset, { ...ctx, engine: undefined, finishedOnly: true, previous: now }, o);
      bar.done();
      // Options that narrow a sweep whose file lists its runs change the table printed, not the file:
      // it stays the profile's figure, made from what is recorded now, training nothing.
      const saved = narrowing.length
        ? await run(
            profile,
            dataset,
            { ...ctx, engine: undefined, finishedOnly: true, previous: { frames, source: file }, log: () => {} },
            Object.fromEntries(Object.entries(o).filter(([name]) => !narrowing.includes(name))),
          )
        : frames;
      saveFigureData(file, saved, { profile: profile.name, dataset });
      sections.push(`${datasets.length > 1 ? `**${dataset}**\n\n` : ''}${markdown(frames)}`);
    }
    const table = sections.join('\n');
    if (o.into) {
      const extra = (sweep.options ?? [])
        .filter((option) => flags[option.attributeName()] !== undefined)
        .map((option) => ` ${option.long} ${String(flags[option.attributeName()])}`);
      const made = provenance(
        `si ${sweep.name} --profile ${profile.name} --datasets ${datasets.join(',')}${extra.join('')} ` +
          `--finished-only --into ${path.basename(o.into)}`,
      );
      replaceSectionInFile(o.into, sweep.name, `${table}\n${made}\n`);
      console.error(`${sweep.name} table updated in ${o.into}`);
    } else process.stdout.write(table);
  });
}
