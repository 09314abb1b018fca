/** This package's version, read once from package.json (recorded in every run.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './paths';

let cached: string | undefined;

export function packageVersion(): string {
  cached ??= (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return `sample-importance@${cached}`;
}
