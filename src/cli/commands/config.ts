/**
 * `si config`: shows where the data, the runs and the notebooks' default profile come from, and
 * with flags stores them in the project's settings file (si.config.json), which notebook kernels,
 * scripts and the CLI all read (an environment variable still wins).
 *
 * @example
 *   si config --data-dir ../shared/data   # every kernel started from this clone finds the data
 *   si config                              # each setting, its value and where it comes from
 */
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { dataDir, defaultProfileName, projectConfigFile, projectRoot, resolveSetting, runsDir } from '../../paths';
import { updateProjectConfig } from '../../project-config';
import { PROFILE_NAMES } from '../../experiments/profiles';
import { pathValue } from '../options';

/** A folder as the settings file keeps it: relative to the project root when inside it. */
function storedPath(dir: string): string {
  const relative = path.relative(projectRoot(), dir);
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative || '.';
}

export function configCommand() {
  return new Command('config')
    .description('show where data, runs and the default profile come from; flags store them in si.config.json')
    .addOption(new Option('--data-dir <dir>', 'store the dataset folder').argParser(pathValue))
    .addOption(new Option('--runs-dir <dir>', 'store the runs folder').argParser(pathValue))
    .addOption(new Option('--profile <name>', "store the notebooks' default profile").choices(PROFILE_NAMES))
    .addOption(
      new Option('--unset <setting>', 'remove a stored setting').choices(['dataDir', 'runsDir', 'profile'] as const),
    )
    .action((o) => {
      const changes = {
        ...(o.dataDir ? { dataDir: storedPath(path.resolve(o.dataDir)) } : {}),
        ...(o.runsDir ? { runsDir: storedPath(path.resolve(o.runsDir)) } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        ...(o.unset ? { [o.unset]: undefined } : {}),
      };
      if (Object.keys(changes).length > 0) updateProjectConfig(projectConfigFile(), changes);
      const rows: [string, string, { source: string }][] = [
        ['data dir', dataDir(), resolveSetting('dataDir', 'SI_DATA_DIR', '')],
        ['runs dir', runsDir(), resolveSetting('runsDir', 'SI_RUNS_DIR', '')],
        ['profile', defaultProfileName(), resolveSetting('profile', 'SI_PROFILE', '')],
      ];
      console.log(`settings file: ${projectConfigFile()}`);
      for (const [name, value, { source }] of rows) console.log(`${`${name}:`.padEnd(10)} ${value}  (${source})`);
    });
}
