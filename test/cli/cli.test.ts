/**
 * The `si` command line as a user meets it: mistakes are refused while parsing, with a message
 * that names the option and a suggestion where one fits, exit status 2, and nothing on disk.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completions } from '../../src/cli/completion';
import { buildProgram } from '../../src/cli/program';
import { tempDir } from '../support/tmp';

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');

/** Runs `si` with a fresh, empty runs folder; returns what it printed and that folder. */
function si(args: string[]): { status: number | null; stderr: string; stdout: string; runs: string } {
  const runs = tempDir();
  const res = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SI_RUNS_DIR: runs },
  });
  return { status: res.status, stderr: res.stderr, stdout: res.stdout, runs };
}

const MISTAKES: [string[], RegExp][] = [
  [['train', '--epoch', '3'], /unknown option '--epoch'\n\(Did you mean --epochs\?\)/],
  [['train', '-e', '5'], /unknown option '-e'/],
  [['train', 'cifar10'], /too many arguments for 'train'/],
  [['train', '--out', '--epochs', '2'], /option '--out <dir>' argument '--epochs' is invalid\. needs a path/],
  [['train', '--seed', '4294967297'], /--seed <n>' argument '4294967297' is invalid\. must be at most 4294967295/],
  [['train', '--epochs', '1e20'], /--epochs <n>' argument '1e20' is invalid\. needs an integer/],
  [['train', '--epochs', '1e9'], /--epochs <n>' argument '1e9' is invalid\. needs an integer/],
  [['train', '--epochs', '20000'], /must be at most 10000/],
  [['train', '--hidden', '100000000'], /--hidden <widths>' argument '100000000' is invalid\. must be at most 65536/],
  [['train', '--hidden', '4,x'], /needs an integer, got 'x'/],
  [['train', '--engine', 'gpu'], /argument 'gpu' is invalid\. Allowed choices are auto, cuda, native, tfjs/],
  [['train', '--lr', '0'], /--lr <eta>' argument '0' is invalid\. must be at least/],
  [['experiments', '--datasets', 'mnist,svhn'], /unknown dataset svhn; valid datasets: mnist, fashion-mnist, cifar10/],
  [['download'], /missing required argument 'datasets'/],
  [
    ['download', 'svhn'],
    /value 'svhn' is invalid for argument 'datasets'\. Allowed choices are mnist, fashion-mnist, cifar10/,
  ],
  [['trian'], /unknown command 'trian'\n\(Did you mean train\?\)/],
  [
    ['train', '--model', 'resnet50'],
    new RegExp(
      "--model <network>' argument 'resnet50' is invalid\\. 'resnet50' is not a layer: " +
        'write conv<filters>k<kernel>p<padding>.*; or name a preset: mlp, cnn-small',
    ),
  ],
  [['bench', '--model', 'conv8k3'], /'conv8k3' is not a layer/],
  [['influence', '--model', 'cnn-small'], /influence on a convolutional network is not available yet/],
  [['scores', '--out', 'x.csv'], /required option '--run <dir>' not specified/],
  [
    ['scores', '--run', 'no/such/run', '--out', 'x.csv'],
    /--run no\/such\/run is not a run folder \(it has no run\.json\)/,
  ],
  [
    ['scores', '--run', 'r', '--epoch', '0', '--out', 'x.csv'],
    /--epoch <T>' argument '0' is invalid\. must be at least 1/,
  ],
];

for (const [args, message] of MISTAKES) {
  test(`si ${args.join(' ')}: refused before anything runs, exit 2`, () => {
    const res = si(args);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, message);
    assert.deepEqual(fs.readdirSync(res.runs), [], 'nothing written to the runs folder');
  });
}

test('si <command> --help lists that command’s options with their defaults; si --version prints the version', () => {
  const help = si(['train', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: si train \[options\]/);
  assert.match(help.stdout, /--epochs <n> +epochs \(default: 50\)/);
  assert.match(si(['--version']).stdout, /^sample-importance@\d+\.\d+\.\d+\n$/);
});

test('completion: commands, a command’s flags, an option’s choices and a positional’s choices', () => {
  const program = buildProgram();
  assert.ok(completions(program, 'si ').includes('train'));
  assert.ok(!completions(program, 'si ').includes('completion-server'), 'the hidden server is not offered');
  assert.ok(completions(program, 'si train --ep').includes('--epochs'));
  assert.deepEqual(completions(program, 'si train --engine '), ['auto', 'cuda', 'native', 'tfjs']);
  assert.deepEqual(completions(program, 'si download '), ['mnist', 'fashion-mnist', 'cifar10']);
  const script = si(['completion', 'bash']);
  assert.equal(script.status, 0);
  assert.match(script.stdout, /complete -o default -F _si_completion si/);
});
