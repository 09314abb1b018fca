/**
 * The two ways a dataset can fail to load, as error classes so that callers (the CLI) can tell
 * "the files are not there, here is how to fetch them" from "this file is broken".
 *
 * @example
 *   try { loadDataset('mnist'); }
 *   catch (e) { if (e instanceof MissingDatasetError) console.error(e.message); else throw e; }
 */

/** A file exists but its content is not what it should be (bad magic, truncated, bad label...). */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetFileError';
  }
}

/** Some of a dataset's files are absent; the message names them and the command that fetches them. */
export class MissingDatasetError extends Error {
  constructor(
    readonly dataset: string,
    readonly missingFiles: readonly string[],
    readonly help: string,
  ) {
    super(help);
    this.name = 'MissingDatasetError';
  }
}
