/**
 * `si influence`: validates the final-model influence (paper §4, −H⁻¹g_i) against actual retraining
 * on a small MNIST set: predicted vs actual change in a test loss on removing K training samples,
 * with Pearson and Spearman correlations, and τ / TracIn vs self-influence. Writes a JSON record.
 *
 * @example
 *   si influence --model logreg --train-size 1000 --removals 50
 *   si influence --model mlp --hidden 32 --train-size 1000 --weight-decay 1e-2 --grad-tol 1e-5
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { loadEngine } from '../../engine';
import { loadDataset } from '../../data/load';
import { takeFirst } from '../../data/part';
import { DATASET_NAMES } from '../../data/registry';
import { SOLVER_NAMES } from '../../influence/influence';
import { validateInfluence } from '../../influence/validate';
import { dataDir } from '../../paths';
import { dataDirOption, decimal, engineOption, integer, integerList, pathValue } from '../options';

/** logreg or mlp; a conv network is refused with the reason (its layers have no Hessian-vector product yet). */
function influenceModel(value: string): 'logreg' | 'mlp' {
  if (value === 'logreg' || value === 'mlp') return value;
  if (value !== 'cnn-small' && !/^(conv|pool|relu|flatten|dense)/.test(value))
    throw new InvalidArgumentError(`'${value}' is not a model: logreg or mlp.`);
  throw new InvalidArgumentError(
    'influence on a convolutional network is not available yet: it needs Hessian-vector products, ' +
      'which the engines have for dense layers only (logreg, mlp).',
  );
}

export function influenceCommand() {
  return new Command('influence')
    .description('influence of samples on the final model (−H⁻¹g, paper §4), checked against retraining')
    .addOption(new Option('--dataset <name>', 'dataset').choices(DATASET_NAMES).default('mnist'))
    .addOption(
      new Option('--train-size <n>', 'first N training samples of the paper split')
        .argParser(integer({ min: 10 }))
        .default(1000),
    )
    .addOption(
      new Option('--test-size <n>', 'first N test samples (the target test points are chosen among them)')
        .argParser(integer({ min: 1 }))
        .default(1000),
    )
    .addOption(
      new Option(
        '--model <kind>',
        'logreg (multinomial logistic regression) or mlp (with --hidden); conv networks: not yet',
      )
        .argParser(influenceModel)
        .default('logreg' as const),
    )
    .addOption(
      new Option('--hidden <widths>', 'hidden widths of the MLP (ignored for logreg)')
        .argParser(integerList({ min: 1 }))
        .default([32]),
    )
    .addOption(
      new Option('--weight-decay <lambda>', 'λ of J = (1/n)ΣL_i + (λ/2)‖θ_W‖²')
        .argParser(decimal({ min: 0 }))
        .default(1e-2),
    )
    .addOption(
      new Option('--test-points <n>', 'target T = summed loss of this many highest-loss test samples')
        .argParser(integer({ min: 1 }))
        .default(1),
    )
    .addOption(
      new Option(
        '--test-indices <list>',
        'explicit 0-based test sample indices for T, comma-separated (overrides --test-points)',
      ).argParser(integerList({ min: 0 })),
    )
    .addOption(
      new Option('--removals <n>', 'training samples removed and retrained (chosen across the score range)')
        .argParser(integer({ min: 2 }))
        .default(50),
    )
    .addOption(new Option('--solver <name>', 'inverse-HVP solver').choices(SOLVER_NAMES).default('cg'))
    .addOption(new Option('--damping <delta>', 'δ: solve (H + δI) s = ∇T').argParser(decimal({ min: 0 })).default(0))
    .addOption(
      new Option(
        '--max-damping <delta>',
        'on negative curvature, retry CG with δ = 1e-4, 1e-3, … up to this (0: never)',
      )
        .argParser(decimal({ min: 0 }))
        .default(0.1),
    )
    .addOption(
      new Option('--tolerance <tol>', 'solver tolerance (CG: relative residual)')
        .argParser(decimal({ min: 0 }))
        .default(1e-6),
    )
    .addOption(
      new Option('--max-iterations <n>', 'CG iterations (LiSSA: --lissa-depth)')
        .argParser(integer({ min: 1 }))
        .default(500),
    )
    .addOption(new Option('--lissa-depth <n>', 'LiSSA recursion depth').argParser(integer({ min: 1 })).default(2000))
    .addOption(
      new Option('--lissa-repetitions <n>', 'LiSSA repetitions averaged').argParser(integer({ min: 1 })).default(2),
    )
    .addOption(new Option('--lissa-batch <n>', 'LiSSA mini-batch size').argParser(integer({ min: 1 })).default(200))
    .addOption(
      new Option('--grad-tol <tol>', '‖∇J‖ at which θ* and each retraining count as converged')
        .argParser(decimal({ min: 0 }))
        .default(1e-6),
    )
    .addOption(
      new Option(
        '--value-tol <tol>',
        'also stop θ* / a retraining once J improves by ≤ this·|J| over 25 L-BFGS iterations (ReLU nets: try 1e-10)',
      )
        .argParser(decimal({ min: 0 }))
        .default(0),
    )
    .addOption(
      new Option('--retrain-iterations <n>', 'L-BFGS iteration cap of each retraining')
        .argParser(integer({ min: 1 }))
        .default(5000),
    )
    .addOption(
      new Option('--optimum-iterations <n>', 'L-BFGS iteration cap for θ*')
        .argParser(integer({ min: 1 }))
        .default(5000),
    )
    .addOption(
      new Option('--epochs <n>', 'SGD epochs before full-batch convergence (record τ)')
        .argParser(integer({ min: 0 }))
        .default(20),
    )
    .addOption(
      new Option('--lr <eta>', 'SGD learning rate η').argParser(decimal({ min: Number.MIN_VALUE })).default(0.1),
    )
    .addOption(new Option('--batch-size <n>', 'SGD batch size').argParser(integer({ min: 1 })).default(100))
    .addOption(
      new Option('--self-samples <n>', 'random samples whose self-influence g_iᵀH⁻¹g_i is solved for')
        .argParser(integer({ min: 2 }))
        .default(30),
    )
    .addOption(new Option('--seed <n>', 'seed').argParser(integer({ min: 0, max: 0xffffffff })).default(1))
    .addOption(engineOption())
    .addOption(
      new Option('--out <dir>', 'folder for the JSON result').argParser(pathValue).default('figures/data/influence'),
    )
    .addOption(dataDirOption())
    .action(async (f) => {
      const engine = await loadEngine(f.engine);
      console.error(`engine: ${engine.name} (${engine.backend})`);
      const ds = loadDataset(f.dataset, { dataDir: dataDir(f.dataDir), split: 'paper' });
      const train = takeFirst(ds.train, Math.min(f.trainSize, ds.train.n));
      const test = takeFirst(ds.test, Math.min(f.testSize, ds.test.n));
      const result = await validateInfluence({
        engine,
        train,
        test,
        classes: ds.classNames.length,
        hidden: f.model === 'logreg' ? [] : [...f.hidden],
        weightDecay: f.weightDecay,
        seed: f.seed,
        sgd: { epochs: f.epochs, lr: f.lr, batchSize: f.batchSize },
        testPoints: f.testIndices ?? f.testPoints,
        removals: f.removals,
        maxDamping: f.maxDamping,
        solver: {
          solver: f.solver,
          damping: f.damping,
          tolerance: f.tolerance,
          maxIterations: f.maxIterations,
          lissa: { depth: f.lissaDepth, repetitions: f.lissaRepetitions, batchSize: f.lissaBatch, seed: f.seed },
        },
        gradientTolerance: f.gradTol,
        maxIterations: f.retrainIterations,
        optimumIterations: f.optimumIterations,
        valueTolerance: f.valueTol,
        selfInfluenceSamples: f.selfSamples,
        onProgress: (m) => console.error(m),
      });
      const c = result.correlation;
      const s = result.importance.spearman;
      console.log(
        `${result.model.kind} ${result.model.sizes.join('-')} on ${f.dataset} n=${result.n}, ` +
          `λ=${result.weightDecay}; target: test ${result.target.testIndices.join(',')} ` +
          `(T=${result.target.value.toFixed(4)})`,
      );
      const negativeCurvature = result.solve.negativeCurvature.length
        ? `, negative curvature at ${result.solve.negativeCurvature.map((q) => q.iteration).join(',')}`
        : '';
      console.log(
        `solver ${result.solve.solver}, δ=${result.solve.damping}: ${result.solve.iterations} iterations, ` +
          `residual ${result.solve.finalResidual.toExponential(2)}${negativeCurvature}`,
      );
      console.log(
        `θ*: L-BFGS ${result.optimum.iterations} iterations, ‖∇J‖ = ${result.optimum.gradientNorm.toExponential(2)}; ` +
          `retraining ${result.retrainSeconds.toFixed(0)} s, ` +
          `${result.retrainNotConverged} of ${c.samples} above the gradient tolerance`,
      );
      console.log(
        `predicted vs actual change in T over ${c.samples} removals: ` +
          `Pearson ${c.pearson.toFixed(4)}, Spearman ${c.spearman.toFixed(4)}`,
      );
      console.log(
        `Spearman over ${result.importance.samples.length} samples: ` +
          `τ vs self-influence ${s.tauVsSelfInfluence.toFixed(3)}, ` +
          `TracIn vs self-influence ${s.tracinVsSelfInfluence.toFixed(3)}, ` +
          `τ vs ‖g_i(θ*)‖² ${s.tauVsFinalGradNormSq.toFixed(3)}; ` +
          `over all n: τ vs |I_i| ${s.tauVsAbsTargetInfluenceAll.toFixed(3)}`,
      );
      fs.mkdirSync(f.out, { recursive: true });
      const file = path.join(f.out, `influence-${f.dataset}-${result.model.kind}-n${result.n}-${f.solver}.json`);
      fs.writeFileSync(file, JSON.stringify({ dataset: f.dataset, ...result }, null, 1));
      console.log(`wrote ${file} (${result.seconds.toFixed(0)} s)`);
    });
}
