/**
 * Where each figure's data file lives, and which datasets a profile has data for, so a notebook
 * finds its inputs without knowing any path.
 *
 * @example
 *   for (const { dataset, file } of figureDataFiles('quick', 'fig02')) console.log(dataset, file);
 */
import * as fs from 'fs';
import * as path from 'path';
import { figureDataDir } from '../paths';

export function figureDataFile(profile: string, dataset: string, figure: string): string {
  return path.join(figureDataDir(profile), dataset, `${figure}.json`);
}

/** The figure's data files of a profile, one per dataset that has it, in dataset order. */
export function figureDataFiles(profile: string, figure: string): { dataset: string; file: string }[] {
  const root = figureDataDir(profile);
  if (!fs.existsSync(root)) {
    throw new Error(`no figure data for profile '${profile}' in ${root}; run \`si experiments --profile ${profile}\` (or \`make report\`) first`);
  }
  const order = ['mnist', 'cifar10', 'fashion-mnist'];
  return fs
    .readdirSync(root)
    .filter((d) => fs.existsSync(figureDataFile(profile, d, figure)))
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b))
    .map((dataset) => ({ dataset, file: figureDataFile(profile, dataset, figure) }));
}
