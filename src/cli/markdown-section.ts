/**
 * Generated sections of a hand-written Markdown file, such as REPRODUCTION.md's claims table:
 * the text between `<!-- name:begin -->` and `<!-- name:end -->` is replaced, the rest kept.
 *
 * @example
 *   replaceSection('a\n<!-- runs:begin -->\nold\n<!-- runs:end -->\n', 'runs', 'new\n', 'R.md');
 *   // 'a\n<!-- runs:begin -->\nnew\n<!-- runs:end -->\n'
 */
import * as fs from 'node:fs';
import { UsageError } from './errors';

export const sectionMarkers = (name: string): [string, string] => [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`];

export function replaceSection(text: string, name: string, body: string, file: string): string {
  const [beginMarker, endMarker] = sectionMarkers(name);
  const [begin, end] = [text.indexOf(beginMarker), text.indexOf(endMarker)];
  if (begin < 0 || end < begin) throw new UsageError(`${file} has no ${beginMarker} … ${endMarker} section to replace`);
  return `${text.slice(0, begin + beginMarker.length)}\n${body}${text.slice(end)}`;
}

/** Rewrites `file` with its section `name` replaced by `body`. */
export function replaceSectionInFile(file: string, name: string, body: string): void {
  fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), name, body, file));
}
