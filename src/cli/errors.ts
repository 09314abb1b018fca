/**
 * A mistake in how `si` was called (a missing file named by an option, a combination that cannot
 * work): reported without a stack trace, exit status 2, like commander's own parse errors.
 *
 * @example
 *   throw new UsageError(`no runs folder at ${dir}; train with \`si train\` first`);
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
