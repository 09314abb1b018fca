/**
 * `si influence`: validates the final-model influence (paper §4, −H⁻¹g_i) against actual retraining
 * on a small MNIST set: predicted vs actual change in a test loss on removing K training samples,
 * with Pearson and Spearman correlations, and τ / TracIn vs self-influence. Writes a JSON record.
 *
 * @example
 *   si influence --model logreg --train-size 1000 --removals 50
 *   si influence --model mlp --hidden 32 --train-size 1000 --weight-decay 1e-2 --grad-tol 1e-5
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadEngine, ENGINE_CHOICES, type EngineChoice } from '../../engine';
import { loadDataset } from '../../data/load';
import { takeFirst } from '../../data/part';
import { dataDir } from '../../paths';
import { SOLVER_NAMES, type SolverName } from '../../influence/influence';
import { validateInfluence } from '../../influence/validate';
import { parseFlags, UsageError, type FlagTable } from '../args';

export const INFLUENCE_FLAGS = {
  dataset: { type: 'string', default: 'mnist', choices: ['mnist', 'fashion-mnist', 'cifar10'], help: 'dataset' },
  trainSize: { type: 'int', default: 1000, min: 10, help: 'first N training samples of the paper split' },
  testSize: { type: 'int', default: 1000, min: 1, help: 'first N test samples (the target test points are chosen among them)' },
  model: { type: 'string', default: 'logreg', choices: ['logreg', 'mlp'], help: 'multinomial logistic regression, or an MLP with --hidden' },
  hidden: { type: 'int-list', default: [32], help: 'hidden widths of the MLP (ignored for logreg)' },
  weightDecay: { type: 'number', default: 1e-2, min: 0, help: 'λ of J = (1/n)ΣL_i + (λ/2)‖θ_W‖²' },
  testPoints: { type: 'int', default: 1, min: 1, help: 'target T = summed loss of this many highest-loss test samples' },
  testIndices: { type: 'int-list', help: 'explicit test sample indices for T (1-based positions are not used: 0-based, comma-separated; overrides --test-points)' },
  removals: { type: 'int', default: 50, min: 2, help: 'training samples removed and retrained (chosen across the score range)' },
  solver: { type: 'string', default: 'cg', choices: SOLVER_NAMES, help: 'inverse-HVP solver' },
  damping: { type: 'number', default: 0, min: 0, help: 'δ: solve (H + δI) s = ∇T' },
  maxDamping: { type: 'number', default: 0.1, min: 0, help: 'on negative curvature, retry CG with δ = 1e-4, 1e-3, … up to this (0: never)' },
  tolerance: { type: 'number', default: 1e-6, min: 0, help: 'solver tolerance (CG: relative residual)' },
  maxIterations: { type: 'int', default: 500, min: 1, help: 'CG iterations (LiSSA: --lissa-depth)' },
  lissaDepth: { type: 'int', default: 2000, min: 1, help: 'LiSSA recursion depth' },
  lissaRepetitions: { type: 'int', default: 2, min: 1, help: 'LiSSA repetitions averaged' },
  lissaBatch: { type: 'int', default: 200, min: 1, help: 'LiSSA mini-batch size' },
  gradTol: { type: 'number', default: 1e-6, min: 0, help: '‖∇J‖ at which θ* and each retraining count as converged' },
  valueTol: { type: 'number', default: 0, min: 0, help: 'also stop θ* / a retraining once J improves by ≤ this·|J| over 25 L-BFGS iterations (ReLU nets: try 1e-10)' },
  retrainIterations: { type: 'int', default: 5000, min: 1, help: 'L-BFGS iteration cap of each retraining' },
  optimumIterations: { type: 'int', default: 5000, min: 1, help: 'L-BFGS iteration cap for θ*' },
  epochs: { type: 'int', default: 20, min: 0, help: 'SGD epochs before full-batch convergence (record τ)' },
  lr: { type: 'number', default: 0.1, help: 'SGD learning rate η' },
  batchSize: { type: 'int', default: 100, min: 1, help: 'SGD batch size' },
  selfSamples: { type: 'int', default: 30, min: 2, help: 'random samples whose self-influence g_iᵀH⁻¹g_i is solved for' },
  seed: { type: 'int', default: 1, min: 0, help: 'seed' },
  engine: { type: 'string', default: 'auto', choices: ENGINE_CHOICES, help: 'engine' },
  out: { type: 'string', default: 'figures/data/influence', help: 'folder for the JSON result' },
  dataDir: { type: 'string', help: 'dataset folder (default: SI_DATA_DIR, then data/raw/)' },
} satisfies FlagTable;

export async function influenceCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, INFLUENCE_FLAGS);
  if (f._.length) throw new UsageError(`unexpected argument '${f._[0]}'`);
  const engine = await loadEngine(f.engine as EngineChoice);
  console.error(`engine: ${engine.name} (${engine.backend})`);
  const ds = loadDataset(f.dataset!, { dataDir: dataDir(f.dataDir), split: 'paper' });
  const train = takeFirst(ds.train, Math.min(f.trainSize!, ds.train.n));
  const test = takeFirst(ds.test, Math.min(f.testSize!, ds.test.n));
  const hidden = f.model === 'logreg' ? [] : f.hidden!;
  const result = await validateInfluence({
    engine,
    train,
    test,
    classes: ds.classNames.length,
    hidden,
    weightDecay: f.weightDecay!,
    seed: f.seed!,
    sgd: { epochs: f.epochs!, lr: f.lr!, batchSize: f.batchSize! },
    testPoints: f.testIndices ?? f.testPoints!,
    removals: f.removals!,
    maxDamping: f.maxDamping!,
    solver: {
      solver: f.solver as SolverName,
      damping: f.damping!,
      tolerance: f.tolerance!,
      maxIterations: f.maxIterations!,
      lissa: { depth: f.lissaDepth!, repetitions: f.lissaRepetitions!, batchSize: f.lissaBatch!, seed: f.seed! },
    },
    gradientTolerance: f.gradTol!,
    maxIterations: f.retrainIterations!,
    optimumIterations: f.optimumIterations!,
    valueTolerance: f.valueTol!,
    selfInfluenceSamples: f.selfSamples!,
    onProgress: (m) => console.error(m),
  });
  const c = result.correlation;
  const s = result.importance.spearman;
  console.log(`${result.model.kind} ${result.model.sizes.join('-')} on ${f.dataset} n=${result.n}, λ=${result.weightDecay}; target: test ${result.target.testIndices.join(',')} (T=${result.target.value.toFixed(4)})`);
  console.log(`solver ${result.solve.solver}, δ=${result.solve.damping}: ${result.solve.iterations} iterations, residual ${result.solve.finalResidual.toExponential(2)}${result.solve.negativeCurvature.length ? `, negative curvature at ${result.solve.negativeCurvature.map((q) => q.iteration).join(',')}` : ''}`);
  console.log(`θ*: L-BFGS ${result.optimum.iterations} iterations, ‖∇J‖ = ${result.optimum.gradientNorm.toExponential(2)}; retraining ${result.retrainSeconds.toFixed(0)} s, ${result.retrainNotConverged} of ${c.samples} above the gradient tolerance`);
  console.log(`predicted vs actual change in T over ${c.samples} removals: Pearson ${c.pearson.toFixed(4)}, Spearman ${c.spearman.toFixed(4)}`);
  console.log(`Spearman over ${result.importance.samples.length} samples: τ vs self-influence ${s.tauVsSelfInfluence.toFixed(3)}, TracIn vs self-influence ${s.tracinVsSelfInfluence.toFixed(3)}, τ vs ‖g_i(θ*)‖² ${s.tauVsFinalGradNormSq.toFixed(3)}; over all n: τ vs |I_i| ${s.tauVsAbsTargetInfluenceAll.toFixed(3)}`);
  fs.mkdirSync(f.out!, { recursive: true });
  const file = path.join(f.out!, `influence-${f.dataset}-${result.model.kind}-n${result.n}-${f.solver}.json`);
  fs.writeFileSync(file, JSON.stringify({ dataset: f.dataset, ...result }, null, 1));
  console.log(`wrote ${file} (${result.seconds.toFixed(0)} s)`);
  return 0;
}
