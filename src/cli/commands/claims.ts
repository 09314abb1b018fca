/**
 * `si claims`: the paper's claims, each with our measurement and a verdict, from a profile's
 * figure data, as a Markdown table (printed, or written to --out).
 *
 * @example
 *   si claims --profile paper --out reports/paper/claims.md
 */
import * as fs from 'fs';
import * as path from 'path';
import { figureDataDir } from '../../paths';
import { PROFILE_NAMES } from '../../experiments/profiles';
import { claimsMarkdown } from '../../report/claims-table';
import { parseFlags, UsageError, type FlagTable } from '../args';

export const CLAIMS_BEGIN = '<!-- claims:begin -->';
export const CLAIMS_END = '<!-- claims:end -->';

export function replaceBetweenMarkers(text: string, table: string, file: string): string {
  const [begin, end] = [text.indexOf(CLAIMS_BEGIN), text.indexOf(CLAIMS_END)];
  if (begin < 0 || end < begin) throw new UsageError(`${file} has no ${CLAIMS_BEGIN} … ${CLAIMS_END} section to replace`);
  return `${text.slice(0, begin + CLAIMS_BEGIN.length)}\n${table}${text.slice(end)}`;
}

export const CLAIMS_FLAGS = {
  profile: { type: 'string', default: 'quick', choices: PROFILE_NAMES, help: 'experiment profile whose figure data to read' },
  out: { type: 'string', help: 'write the table to this file instead of printing it' },
  into: { type: 'string', help: `replace the table between the markers ${CLAIMS_BEGIN} and ${CLAIMS_END} of this file (e.g. REPRODUCTION.md)` },
} satisfies FlagTable;

export async function claimsCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, CLAIMS_FLAGS);
  if (!fs.existsSync(figureDataDir(f.profile!))) {
    throw new UsageError(`no figure data for profile '${f.profile}' in ${figureDataDir(f.profile!)}; run \`si experiments --profile ${f.profile}\` first`);
  }
  const table = claimsMarkdown(f.profile!);
  if (f.into) {
    fs.writeFileSync(f.into, replaceBetweenMarkers(fs.readFileSync(f.into, 'utf8'), table, f.into));
    console.error(`claims table updated in ${f.into}`);
    return 0;
  }
  if (!f.out) {
    process.stdout.write(table);
    return 0;
  }
  fs.mkdirSync(path.dirname(path.resolve(f.out)), { recursive: true });
  fs.writeFileSync(f.out, table);
  console.error(`claims table written to ${f.out}`);
  return 0;
}
