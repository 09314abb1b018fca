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
import { fig01ReadingsMarkdown } from '../../report/readings-table';
import { parseFlags, UsageError, type FlagTable } from '../args';
import { replaceSection, sectionMarkers } from '../markdown-section';

const [CLAIMS_BEGIN, CLAIMS_END] = sectionMarkers('claims');
const [READINGS_BEGIN] = sectionMarkers('fig01-readings');

export const CLAIMS_FLAGS = {
  profile: { type: 'string', default: 'quick', choices: PROFILE_NAMES, help: 'experiment profile whose figure data to read' },
  out: { type: 'string', help: 'write the table to this file instead of printing it' },
  into: {
    type: 'string',
    help: `replace the table between the markers ${CLAIMS_BEGIN} and ${CLAIMS_END} of this file (e.g. REPRODUCTION.md), and Figure 1's readings table between ${READINGS_BEGIN} … where the file has those markers`,
  },
} satisfies FlagTable;

export async function claimsCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, CLAIMS_FLAGS);
  if (!fs.existsSync(figureDataDir(f.profile!))) {
    throw new UsageError(`no figure data for profile '${f.profile}' in ${figureDataDir(f.profile!)}; run \`si experiments --profile ${f.profile}\` first`);
  }
  const table = claimsMarkdown(f.profile!);
  if (f.into) {
    let text = replaceSection(fs.readFileSync(f.into, 'utf8'), 'claims', table, f.into);
    const readings = text.includes(READINGS_BEGIN);
    if (readings) text = replaceSection(text, 'fig01-readings', fig01ReadingsMarkdown(f.profile!), f.into);
    fs.writeFileSync(f.into, text);
    console.error(`claims table${readings ? " and Figure 1's readings" : ''} updated in ${f.into}`);
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
