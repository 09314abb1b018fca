/**
 * `si claims`: the paper's claims, each with our measurement and a verdict, from a profile's
 * figure data, as a Markdown table (printed, written to --out, or replaced in place with --into).
 *
 * @example
 *   si claims --profile paper --into REPRODUCTION.md
 *   si claims --profile cnn --beside quick --into REPRODUCTION.md   # the section claims-cnn
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { figureDataDir } from '../../paths';
import { UsageError } from '../errors';
import { provenance } from '../provenance';
import { replaceSection, sectionMarkers } from '../markdown-section';
import { pathValue, profileOption } from '../options';
import { PROFILE_NAMES } from '../../experiments/profiles';

const [CLAIMS_BEGIN, CLAIMS_END] = sectionMarkers('claims');

export function claimsCommand() {
  return new Command('claims')
    .description("the paper's claims with our measurement and a verdict each, from a profile's figure data")
    .addOption(profileOption('experiment profile whose figure data to read'))
    .addOption(
      new Option(
        '--beside <profile>',
        "the verdicts on this profile's figure data beside each claim, for the datasets --profile has data for " +
          '(with --into: the section claims-<profile>)',
      ).choices(PROFILE_NAMES),
    )
    .addOption(new Option('--out <file>', 'write the table to this file instead of printing it').argParser(pathValue))
    .addOption(
      new Option(
        '--into <file>',
        `replace the table between ${CLAIMS_BEGIN} and ${CLAIMS_END} of this file (e.g. REPRODUCTION.md), ` +
          "and Figure 1's readings and Figure 7's final errors (sections fig01-readings, fig07-final) where the file " +
          'has their markers',
      ).argParser(pathValue),
    )
    .action(async (o) => {
      if (!fs.existsSync(figureDataDir(o.profile))) {
        throw new UsageError(
          `no figure data for profile '${o.profile}' in ${figureDataDir(o.profile)}; ` +
            `run \`si experiments --profile ${o.profile}\` first`,
        );
      }
      // Loaded here, not at start-up: the tables pull in danfojs (a second of loading).
      const { claimsMarkdown, claimsComparisonMarkdown } = await import('../../report/claims-table');
      const { fig01ReadingsMarkdown } = await import('../../report/readings-table');
      const { fig07FinalErrorsMarkdown } = await import('../../report/final-errors-table');
      const figureTables = [
        { name: 'fig01-readings', markdown: fig01ReadingsMarkdown },
        { name: 'fig07-final', markdown: fig07FinalErrorsMarkdown },
      ];
      if (o.beside && !fs.existsSync(figureDataDir(o.beside)))
        throw new UsageError(`no figure data for profile '${o.beside}' (--beside) in ${figureDataDir(o.beside)}`);
      const table = o.beside ? claimsComparisonMarkdown(o.profile, o.beside) : claimsMarkdown(o.profile);
      if (o.into) {
        const beside = o.beside ? ` --beside ${o.beside}` : '';
        const made = provenance(`si claims --profile ${o.profile}${beside} --into ${path.basename(o.into)}`);
        const section = o.beside ? `claims-${o.profile}` : 'claims';
        let text = replaceSection(fs.readFileSync(o.into, 'utf8'), section, `${table}\n${made}\n`, o.into);
        // Figure 1's readings and Figure 7's final errors go with a profile's own claims table.
        const extras = o.beside ? [] : figureTables.filter(({ name }) => text.includes(sectionMarkers(name)[0]));
        for (const { name, markdown } of extras) text = replaceSection(text, name, markdown(o.profile), o.into);
        fs.writeFileSync(o.into, text);
        console.error(`${[section, ...extras.map((e) => e.name)].join(', ')} updated in ${o.into}`);
      } else if (o.out) {
        fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
        fs.writeFileSync(o.out, table);
        console.error(`claims table written to ${o.out}`);
      } else {
        process.stdout.write(table);
      }
    });
}
