import test from 'node:test';
import assert from 'node:assert/strict';
import { CONSTRUCTION_NAMES } from '../../src/analysis/batch-constructions';
import { getProfile } from '../../src/experiments/profiles';
import { queueConnection, runJobOptions } from '../../src/queue/enqueue';
import { constructionJobs, figuresJob, isFirstSeedJob, jobId, jobLabel, jobRun, seedJobs } from '../../src/queue/jobs';
import { tempDir } from '../support/tmp';

const smoke = getProfile('smoke');
const paper = getProfile('paper');

test("a dataset's jobs: seeds, then own-order seeds, then constructions run by run, then its figure data", () => {
  const seeds = seedJobs(smoke, 'mnist', 0);
  assert.deepEqual(
    seeds.map((j) => jobLabel(j.data)),
    ['mnist seed 1', 'mnist seed 2', 'mnist seed 3', 'mnist seed 2, order seed 2', 'mnist seed 3, order seed 3'],
  );
  const constructions = constructionJobs(smoke, 'mnist', 0);
  assert.equal(constructions.length, CONSTRUCTION_NAMES.length * smoke.constructionRuns);
  assert.deepEqual(
    constructions.slice(0, 2).map((j) => jobLabel(j.data)),
    ['mnist Rand run 1', 'mnist NLO run 1'],
  );
  assert.equal(jobLabel(constructions[CONSTRUCTION_NAMES.length]!.data), 'mnist Rand run 2');
  const ordered = [...seeds, ...constructions, figuresJob(smoke, 'mnist', 0)].map((j) => j.priority);
  assert.deepEqual(
    ordered,
    [...ordered].sort((a, b) => a - b),
    'priorities follow the local order',
  );
  assert.ok(ordered[0]! >= 1, 'BullMQ priorities start at 1');
  // The second dataset's jobs all come after the first's.
  const second = [...seedJobs(smoke, 'cifar10', 1), ...constructionJobs(smoke, 'cifar10', 1)];
  assert.ok(Math.min(...second.map((j) => j.priority)) > Math.max(...ordered));
});

test('the paper profile: 3 seeds, 2 own-order seeds, 7 constructions × 5 runs; cnn has no variants', () => {
  assert.equal(seedJobs(paper, 'cifar10', 0).length, 5);
  assert.equal(constructionJobs(paper, 'cifar10', 0).length, 35);
  assert.equal(seedJobs(getProfile('cnn'), 'cifar10', 0).length, 3);
});

test('job ids are unique per profile, dataset and run, and hold no colon (BullMQ refuses them)', () => {
  const all = [
    ...seedJobs(smoke, 'mnist', 0),
    ...constructionJobs(smoke, 'mnist', 0),
    figuresJob(smoke, 'mnist', 0),
    ...seedJobs(paper, 'mnist', 0),
    ...seedJobs(smoke, 'cifar10', 1),
  ].map((j) => jobId(j.data));
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.every((id) => !id.includes(':')));
  assert.equal(jobId(seedJobs(smoke, 'mnist', 0)[3]!.data), 'smoke/mnist/seed-2-order-2');
});

test('only the seed-1 job (order seed 1) adds the constructions', () => {
  const seeds = seedJobs(smoke, 'mnist', 0);
  assert.deepEqual(
    seeds.map((j) => isFirstSeedJob(j.data)),
    [true, false, false, false, false],
  );
  assert.equal(isFirstSeedJob(constructionJobs(smoke, 'mnist', 0)[0]!.data), false);
});

test('a construction job before its seed-1 run is complete says what it waits for and where it looked', () => {
  const job = constructionJobs(smoke, 'mnist', 0)[0]!.data;
  assert.throws(
    () => jobRun(job, tempDir('si-jobs-')),
    /mnist Rand run 1 needs the seed-1 run's final NLL and τ, but .* is not there \(is --runs-dir/,
  );
  assert.throws(() => jobRun(figuresJob(smoke, 'mnist', 0).data, 'runs'), /trains no run/);
});

test('run jobs retry, back off, and let their parent go on when they fail for good', () => {
  const opts = runJobOptions(seedJobs(smoke, 'mnist', 0)[0]!);
  assert.equal(opts.jobId, 'smoke/mnist/seed-1-order-1');
  assert.ok((opts.attempts ?? 1) > 1);
  assert.equal(opts.ignoreDependencyOnFailure, true);
});

test('the queue URL must be a Redis URL', () => {
  assert.deepEqual(queueConnection('redis://10.0.0.5:6379'), {
    url: 'redis://10.0.0.5:6379',
    maxRetriesPerRequest: null,
  });
  assert.throws(() => queueConnection('http://10.0.0.5:6379'), /not a Redis URL; give redis:\/\/HOST:PORT/);
  assert.throws(() => queueConnection('10.0.0.5:6379'), /is not a URL; give redis:\/\/HOST:PORT/);
});
