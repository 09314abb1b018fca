/**
 * The notebooks' code is TypeScript that tslab compiles cell by cell against the built library; a
 * renamed export or a changed signature would surface only when someone ran the notebook. Here every
 * notebook's code cells are type-checked together, as one module, against the library's sources,
 * by the compiler tslab itself runs (its bundled TypeScript 5.0, older than the project's).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from '@tslab/typescript-for-tslab';
import { notebooksDir, projectRoot } from '../../src/paths';
import { readNotebook, text } from '../../src/report/notebook-file';

/** Options close to tslab's: strict, modern target, top-level await; the library resolved to its sources. */
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  types: ['node'],
  baseUrl: projectRoot(),
  paths: { 'sample-importance': ['src/index.ts'] },
};

test("every notebook's code cells type-check against the library", () => {
  const sources = new Map(
    fs
      .readdirSync(notebooksDir())
      .filter((f) => f.endsWith('.ipynb'))
      .map((f) => {
        const cells = readNotebook(path.join(notebooksDir(), f)).cells.filter((c) => c.cell_type === 'code');
        return [
          path.join(notebooksDir(), f.replace(/\.ipynb$/, '.ts')),
          `${cells.map((c) => text(c.source)).join('\n\n')}\nexport {};\n`,
        ];
      }),
  );
  assert.ok(sources.size >= 11, 'the ten figure notebooks and the influence notebook');
  const host = ts.createCompilerHost(OPTIONS);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => sources.get(path.resolve(file)) ?? readFile(file);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => sources.has(path.resolve(file)) || fileExists(file);
  const program = ts.createProgram([...sources.keys()], OPTIONS, host);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && sources.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const name = d.file ? path.basename(d.file.fileName, '.ts') : '?';
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${name}.ipynb, code line ${where ? where.line + 1 : '?'}: ${message}`;
    });
  assert.deepEqual(problems, []);
});
