/**
 * The paper's claims, each with the figure that tests it, the rule that turns our measurement
 * into a verdict, and that measurement quoted. Rules are stated next to each claim so a reader can
 * disagree with a threshold and still read the number.
 *
 * @example
 *   const claim = CLAIMS.find((c) => c.id === 'stable-seeds')!;
 *   claim.evaluate(loadFigureData('figures/data/paper/mnist/fig01.json'), 'mnist');
 *   // { verdict: 'holds', measured: 'min ρ 0.926 (epoch 10) …' }
 */
import type { Frames } from '../analysis/figure-data';
import { FIG01_DEFAULT_READING, measureFig01 } from '../figures/fig01';
import { measureFig02 } from '../figures/fig02';
import { measureFig03 } from '../figures/fig03';
import { measureFig04 } from '../figures/fig04';
import { measureClusterFigure } from '../figures/cluster-figure';
import { measureFig07, MIXED_CONSTRUCTIONS } from '../figures/fig07';
import { measureFig08 } from '../figures/fig08';
import { measureFig09 } from '../figures/fig09';
import { measureFig10 } from '../figures/fig10';
import type { FigureId } from '../figures';
import { fmt, pct } from '../figures/inputs';

export type Verdict = 'holds' | 'partly holds' | 'does not hold';

export interface ClaimResult {
  verdict: Verdict;
  measured: string;
}

export interface Claim {
  id: string;
  /** The claim, close to the paper's words, with its section. */
  text: string;
  figure: FigureId;
  /** Datasets the paper makes the claim for. */
  datasets: string[];
  /** How the measurement becomes a verdict. */
  rule: string;
  /** null when the figure data cannot answer (e.g. too few runs). */
  evaluate: (frames: Frames, dataset: string) => ClaimResult | null;
}

const BOTH = ['mnist', 'cifar10'];

/** 'holds' when all of the tests pass, 'partly holds' when some do, else 'does not hold'. */
function verdictOf(...tests: boolean[]): Verdict {
  const passed = tests.filter(Boolean).length;
  return passed === tests.length ? 'holds' : passed > 0 ? 'partly holds' : 'does not hold';
}

const clusterClaim = (figure: FigureId, dataset: string): Pick<Claim, 'figure' | 'datasets'> => ({ figure, datasets: [dataset] });

function clusterTiming(frames: Frames): ClaimResult {
  const { easy, medium, hard } = measureClusterFigure(frames).byDifficulty;
  return {
    verdict: verdictOf(easy.peakEpoch < hard.peakEpoch, easy.peakEpoch <= medium.peakEpoch && medium.peakEpoch <= hard.peakEpoch),
    measured: `α peaks at epoch ${easy.peakEpoch} (easy), ${medium.peakEpoch} (medium), ${hard.peakEpoch} (hard)`,
  };
}

function clusterLayers(frames: Frames): ClaimResult {
  const { easy, hard } = measureClusterFigure(frames).byDifficulty;
  return {
    verdict: verdictOf(easy.shares.Out > hard.shares.Out, hard.shares.L1 > easy.shares.L1),
    measured: `Out ${pct(easy.shares.Out)} (easy) vs ${pct(hard.shares.Out)} (hard); L1 ${pct(easy.shares.L1)} (easy) vs ${pct(hard.shares.L1)} (hard)`,
  };
}

export const CLAIMS: Claim[] = [
  {
    id: 'stable-seeds', figure: 'fig01', datasets: BOTH,
    text: 'Sample importance is stable across initialisations: Spearman of α between seeds above 0.9 in every epoch (§3.2)',
    rule: 'holds: minimum over pairs and epochs > 0.9; partly: > 0.8, or > 0.9 under another reading of the protocol',
    evaluate: (frames) => {
      const m = measureFig01(frames);
      if (!m) return null;
      const variants = m.variants.filter((v) => v.name !== FIG01_DEFAULT_READING);
      const best = Math.max(...variants.map((v) => v.spearman));
      return {
        verdict: m.min.spearman > 0.9 ? 'holds' : m.min.spearman > 0.8 || best > 0.9 ? 'partly holds' : 'does not hold',
        measured: `min ρ ${fmt(m.min.spearman)} (epoch ${m.min.epoch})` + variants.map((v) => `; ${v.name}: ${fmt(v.spearman)}`).join(''),
      };
    },
  },
  {
    id: 'early-agree-more', figure: 'fig01', datasets: BOTH,
    text: 'Early epochs show higher consistency between seeds (Fig. 1 caption)',
    rule: 'holds: mean ρ at the first compared epoch above that at the last',
    evaluate: (frames) => {
      const m = measureFig01(frames);
      return m && { verdict: verdictOf(m.meanFirst > m.meanLast), measured: `mean ρ ${fmt(m.meanFirst)} (epoch ${m.epochs[0]}) vs ${fmt(m.meanLast)} (epoch ${m.epochs[m.epochs.length - 1]})` };
    },
  },
  {
    id: 'out-per-parameter', figure: 'fig02', datasets: BOTH,
    text: 'The output layer always has the largest average importance per parameter (§3.3)',
    rule: 'holds: in every epoch; partly: in at least 80% of epochs',
    evaluate: (frames) => {
      const m = measureFig02(frames);
      return { verdict: m.outTopEpochs === m.epochs ? 'holds' : m.outTopEpochs >= 0.8 * m.epochs ? 'partly holds' : 'does not hold', measured: `${m.outTopEpochs} of ${m.epochs} epochs` };
    },
  },
  {
    id: 'out-peaks-early', figure: 'fig02', datasets: BOTH,
    text: "The output layer's contribution peaks in the early training stage and then drops (§3.3)",
    rule: "holds: its total B_Out^t peaks in the first fifth of training and ends below half the peak; partly: one of the two, or only its share of A^t does both",
    evaluate: (frames) => {
      const m = measureFig02(frames);
      const early = (epoch: number) => epoch <= m.epochs / 5;
      const absolute = [early(m.outPeakEpoch), m.outLastOverPeak < 0.5];
      const share = early(m.outSharePeakEpoch) && m.outShareLast < 0.5 * m.outSharePeak;
      const verdict = absolute.every(Boolean) ? 'holds' : absolute.some(Boolean) || share ? 'partly holds' : 'does not hold';
      return {
        verdict,
        measured: `B_Out peaks at epoch ${m.outPeakEpoch} of ${m.epochs} and ends at ${pct(m.outLastOverPeak)} of the peak; its share of A^t peaks at epoch ${m.outSharePeakEpoch} (${pct(m.outSharePeak)}) and ends at ${pct(m.outShareLast)}`,
      };
    },
  },
  {
    id: 'l2-over-l3', figure: 'fig02', datasets: BOTH,
    text: 'The 2nd layer contributes more than the 3rd (§3.3)',
    rule: 'holds: L2 share of all importance > L3 share',
    evaluate: (frames) => {
      const m = measureFig02(frames);
      return { verdict: verdictOf(m.shares.L2 > m.shares.L3), measured: `L2 ${pct(m.shares.L2)}, L3 ${pct(m.shares.L3)}` };
    },
  },
  {
    id: 'l1-largest-cifar', figure: 'fig02', datasets: ['cifar10'],
    text: 'On CIFAR-10 the 1st layer provides the largest contribution (§3.3)',
    rule: 'holds: L1 has the largest share',
    evaluate: (frames) => {
      const m = measureFig02(frames);
      return { verdict: verdictOf(Object.values(m.shares).every((v) => v <= m.shares.L1)), measured: Object.entries(m.shares).map(([l, v]) => `${l} ${pct(v)}`).join(', ') };
    },
  },
  {
    id: 'classes-unequal', figure: 'fig02', datasets: BOTH,
    text: 'Classes do not provide the same amount of importance (§3.3)',
    rule: 'holds: the most important class carries > 1.2× the least; partly: > 1.05×',
    evaluate: (frames) => {
      const m = measureFig02(frames);
      return { verdict: m.classRatio > 1.2 ? 'holds' : m.classRatio > 1.05 ? 'partly holds' : 'does not hold', measured: `${m.mostClass} / ${m.leastClass} = ${fmt(m.classRatio)}×` };
    },
  },
  {
    id: 'top20-majority', figure: 'fig03', datasets: BOTH,
    text: 'The top 20% most important samples contribute the majority of importance (§3.3)',
    rule: 'holds: top 20% by τ carry > 50% of all β',
    evaluate: (frames) => {
      const m = measureFig03(frames);
      return { verdict: verdictOf(m.top20 > 0.5), measured: `top 20% carry ${pct(m.top20)} (top 10% ${pct(m.top10)})` };
    },
  },
  {
    id: 'top10-almost-all-mnist', figure: 'fig03', datasets: ['mnist'],
    text: 'On MNIST the top 10% of samples contribute almost all importance (§3.3)',
    rule: 'holds: top 10% carry ≥ 80%; partly: ≥ 50%',
    evaluate: (frames) => {
      const m = measureFig03(frames);
      return { verdict: m.top10 >= 0.8 ? 'holds' : m.top10 >= 0.5 ? 'partly holds' : 'does not hold', measured: `top 10% carry ${pct(m.top10)}` };
    },
  },
  {
    id: 'top-lower-layers-cifar', figure: 'fig03', datasets: ['cifar10'],
    text: 'On CIFAR-10 the most important samples contribute more in lower layers than in the output layer (§3.3)',
    rule: "holds: the top 10%'s share is larger in L1 than in Out",
    evaluate: (frames) => {
      const m = measureFig03(frames);
      return { verdict: verdictOf(m.top10ByLayer.L1 > m.top10ByLayer.Out), measured: `top 10% share: L1 ${pct(m.top10ByLayer.L1)}, Out ${pct(m.top10ByLayer.Out)}` };
    },
  },
  {
    id: 'nll-correlation-rises', figure: 'fig04', datasets: BOTH,
    text: 'NLL and importance become more correlated as training goes on (§3.4)',
    rule: 'holds: Spearman(NLL^t, α^t) ends higher than it starts, positive, and rises in at least 2/3 of epoch-to-epoch steps; partly: ends higher only',
    evaluate: (frames) => {
      const m = measureFig04(frames);
      const higher = m.last.spearman > m.first.spearman && m.last.spearman > 0;
      return {
        verdict: higher && m.risingSteps >= 2 / 3 ? 'holds' : higher ? 'partly holds' : 'does not hold',
        measured: `ρ ${fmt(m.first.spearman)} (epoch ${m.first.epoch}), ${fmt(m.secondSpearman)} (epoch ${m.first.epoch + 1}), ${fmt(m.last.spearman)} (epoch ${m.last.epoch}); rises in ${pct(m.risingSteps)} of steps`,
      };
    },
  },
  {
    id: 'nll-not-predictive', figure: 'fig04', datasets: BOTH,
    text: 'NLL is not predictive of importance: many samples have high NLL but small importance, and vice versa (§3.4)',
    rule: 'holds: ≥ 20% of the top 10% by final NLL fall outside the top 10% by τ; partly: ≥ 5%',
    evaluate: (frames) => {
      const m = measureFig04(frames);
      const share = m.highNllOutsideTopTau;
      return { verdict: share >= 0.2 ? 'holds' : share >= 0.05 ? 'partly holds' : 'does not hold', measured: `${pct(share)} outside; Spearman(final NLL, τ) ${fmt(m.overallSpearman)}` };
    },
  },
  { id: 'easy-early-mnist', ...clusterClaim('fig05', 'mnist'), text: 'Easy samples matter early, hard samples late (§3.5, MNIST "5")', rule: 'holds: peak epochs ordered easy < hard and easy ≤ medium ≤ hard; partly: easy < hard only', evaluate: clusterTiming },
  { id: 'easy-top-mnist', ...clusterClaim('fig05', 'mnist'), text: 'Easy samples shape the output layer, hard samples the bottom layer (§3.5, MNIST "5")', rule: "holds: the easy cluster's Out share exceeds the hard one's, and the hard cluster's L1 share exceeds the easy one's; partly: one of the two", evaluate: clusterLayers },
  { id: 'easy-early-cifar', ...clusterClaim('fig06', 'cifar10'), text: 'The same timing holds on CIFAR-10 (§3.5, "horse")', rule: 'as for MNIST', evaluate: clusterTiming },
  { id: 'easy-top-cifar', ...clusterClaim('fig06', 'cifar10'), text: 'The same layer pattern holds on CIFAR-10 (§3.5, "horse")', rule: 'as for MNIST', evaluate: clusterLayers },
  {
    id: 'l1-every-cluster-cifar', figure: 'fig06', datasets: ['cifar10'],
    text: 'On CIFAR-10 all three clusters have a very large impact on the bottom layer (§3.5)',
    rule: 'holds: L1 has the largest share of β in each of the three clusters',
    evaluate: (frames) => {
      const clusters = Object.entries(measureClusterFigure(frames).byDifficulty);
      const l1Largest = clusters.map(([, c]) => Object.values(c.shares).every((v) => v <= c.shares.L1));
      return { verdict: verdictOf(...l1Largest), measured: clusters.map(([d, c]) => `${d} L1 ${pct(c.shares.L1)}`).join(', ') };
    },
  },
  ...constructionClaims(),
  {
    id: 'paths-mnist-similar', figure: 'fig08', datasets: ['mnist'],
    text: 'On MNIST the parameter paths of all constructions are very similar (§3.6)',
    rule: 'holds: end points at most 0.5× the distance travelled apart in (PC1, PC2); partly: < 1×',
    evaluate: (frames) => {
      const m = measureFig08(frames);
      if (!m || m.constructions < 7) return null;
      const r = m.spread / m.travel;
      return { verdict: r < 0.5 ? 'holds' : r < 1 ? 'partly holds' : 'does not hold', measured: `end points ${fmt(r)}× the distance travelled apart` };
    },
  },
  {
    id: 'paths-cifar-differ', figure: 'fig08', datasets: ['cifar10'],
    text: 'On CIFAR-10 construction, and even the order of batches, changes where parameters converge (§3.6)',
    rule: 'holds: end points ≥ 1× the distance travelled apart, and each reversed order ends ≥ 0.5× apart from its forward one; partly: one of the two',
    evaluate: (frames) => {
      const m = measureFig08(frames);
      if (!m || m.constructions < 7) return null;
      const reversed = Object.values(m.reversedApart);
      return {
        verdict: verdictOf(m.spread / m.travel >= 1, reversed.length > 0 && reversed.every((v) => v >= 0.5)),
        measured: `end points ${fmt(m.spread / m.travel)}× apart; ${Object.entries(m.reversedApart).map(([p, v]) => `${p} ${fmt(v)}×`).join(', ')}`,
      };
    },
  },
  {
    id: 'classes-learned-unequally', figure: 'fig09', datasets: BOTH,
    text: 'Classes are learned unequally: class-specific NLL differs (Fig. 9)',
    rule: 'holds: the hardest class ends with > 1.2× the mean NLL of the easiest',
    evaluate: (frames) => {
      const m = measureFig09(frames);
      return { verdict: verdictOf(m.classNllRatio > 1.2), measured: `${m.hardestClass} / ${m.easiestClass} = ${fmt(m.classNllRatio)}×; train error ${pct(m.trainError)}, test error ${pct(m.testError)}` };
    },
  },
  {
    id: 'most-small', figure: 'fig10', datasets: BOTH,
    text: 'Most samples have small overall importance (§3.3, Fig. 10)',
    rule: 'holds: ≥ 70% of samples have τ below the mean τ (a heavy right tail); partly: ≥ 55%',
    evaluate: (frames) => {
      const m = measureFig10(frames);
      if (m.belowMean === undefined || m.mean === undefined) return null;
      const verdict = m.belowMean >= 0.7 ? 'holds' : m.belowMean >= 0.55 ? 'partly holds' : 'does not hold';
      return { verdict, measured: `${pct(m.belowMean)} below the mean; median τ ${fmt(m.median)} = ${fmt(m.median / m.mean)}× the mean` };
    },
  },
];

/** "5 runs", or "1–3 runs" when diverged runs stopped contributing. */
function runsRange(finals: { runs: number }[]): string {
  const [lo, hi] = [Math.min(...finals.map((f) => f.runs)), Math.max(...finals.map((f) => f.runs))];
  return lo === hi ? `${lo} runs` : `${lo}–${hi} runs`;
}

function constructionClaims(): Claim[] {
  const finals = (frames: Frames) => measureFig07(frames).finals;
  const by = (frames: Frames) => new Map(finals(frames).map((f) => [f.construction, f]));
  return [
    {
      id: 'mixed-best', figure: 'fig07', datasets: BOTH,
      text: 'Mixed batches (Rand, NLM, SIM) have the lowest test error (§3.6)',
      rule: 'holds: the three lowest final test errors are Rand, NLM and SIM; partly: two of them',
      evaluate: (frames) => {
        const f = finals(frames);
        if (f.length < 7) return null;
        const mixed = f.slice(0, 3).filter((c) => MIXED_CONSTRUCTIONS.includes(c.construction)).length;
        return { verdict: mixed === 3 ? 'holds' : mixed === 2 ? 'partly holds' : 'does not hold', measured: `${f.map((c) => `${c.construction} ${pct(c.mean)}`).join(' < ')} (${runsRange(f)} at epoch ${f[0].epoch})` };
      },
    },
    {
      id: 'ordered-worst', figure: 'fig07', datasets: ['cifar10'],
      text: 'NLO and SIO perform worst on CIFAR-10 (§3.6)',
      rule: 'holds: the two highest final test errors are NLO and SIO; partly: one of them',
      evaluate: (frames) => {
        const f = finals(frames);
        if (f.length < 7) return null;
        const worst = f.slice(-2).map((c) => c.construction);
        return { verdict: verdictOf(worst.includes('NLO'), worst.includes('SIO')), measured: `worst two: ${worst.join(', ')}` };
      },
    },
    {
      id: 'ordered-train-rises', figure: 'fig07', datasets: BOTH,
      text: 'Under NLO and SIO the training error goes up after the early stage (§3.6, said of CIFAR-10)',
      rule: 'holds: for both, the mean training error climbs > 1 point above its lowest value so far; partly: for one',
      evaluate: (frames) => {
        const m = by(frames);
        const [nlo, sio] = [m.get('NLO'), m.get('SIO')];
        if (!nlo || !sio) return null;
        const rise = (c: typeof nlo) => `${c.construction} +${pct(c.trainRise)} (epoch ${c.trainRiseEpoch})`;
        return { verdict: verdictOf(nlo.trainRise > 0.01, sio.trainRise > 0.01), measured: `largest climb: ${rise(nlo)}, ${rise(sio)}` };
      },
    },
    {
      id: 'reversed-differ', figure: 'fig07', datasets: ['cifar10'],
      text: 'Reversed orders (RNLO, RSIO) perform drastically differently from NLO and SIO on CIFAR-10 (§3.6)',
      rule: 'holds: for both pairs the final test errors differ by more than 2 combined standard errors and 1 point; partly: one pair',
      evaluate: (frames) => {
        const m = by(frames);
        const pairs = [['NLO', 'RNLO'], ['SIO', 'RSIO']].map(([a, b]) => [m.get(a), m.get(b)] as const);
        if (pairs.some(([a, b]) => !a || !b)) return null;
        // One run has no standard error; the 1-point floor then decides alone.
        const se = (c: { se: number }) => (Number.isFinite(c.se) ? c.se : 0);
        const differ = pairs.map(([a, b]) => Math.abs(a!.mean - b!.mean) > Math.max(0.01, 2 * Math.hypot(se(a!), se(b!))));
        return { verdict: verdictOf(...differ), measured: pairs.map(([a, b]) => `${a!.construction} ${pct(a!.mean)} vs ${b!.construction} ${pct(b!.mean)}`).join('; ') };
      },
    },
  ];
}
