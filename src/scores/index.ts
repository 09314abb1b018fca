/**
 * Training-dynamics scores of every training sample from run records (docs/SCORES.md).
 *
 * @example
 *   import { openRun, scoreTable, scoreFrame } from 'sample-importance';
 *   scoreFrame(scoreTable([openRun('runs/mnist-4e6abb0dbb77')], labels)).head().print();
 */
export {
  sampleScores,
  scoreNames,
  unavailableScores,
  scoreEpoch,
  forgettingEvents,
  confidenceAndVariability,
  type ScoredRun,
  type SampleScoreOptions,
} from './sample-scores';
export { scoreTable, scoreFrame, scoreCsv, type ScoreTable, type ScoreTableRun } from './score-table';
