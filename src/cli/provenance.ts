/**
 * The line a generated table carries in a committed document: the command that made it and the
 * project commit it ran at, so a reader can tell which code produced which numbers.
 *
 * @example
 *   provenance('si claims --profile paper --into REPRODUCTION.md');
 *   // '_Made by `si claims --profile paper --into REPRODUCTION.md` at commit 1f00e22._'
 */
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../paths';

function git(args: string[]): string | undefined {
  const res = spawnSync('git', ['-C', projectRoot(), ...args], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : undefined;
}

export function provenance(command: string): string {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  if (!commit) return `_Made by \`${command}\` (not in a git checkout: commit unknown)._`;
  // Source changes not yet committed would make the commit a wrong answer; generated documents do not count.
  const changed = (git(['status', '--porcelain', '--', 'src', 'native']) ?? '').length > 0;
  return `_Made by \`${command}\` at commit ${commit}${changed ? ' plus uncommitted changes to src/' : ''}._`;
}
