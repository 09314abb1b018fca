/**
 * The sample explorer in the browser: a WebGL scatter of every training sample (regl-scatterplot,
 * with d3 axes kept in step with its pan and zoom), score axes, colour by class, cluster or
 * correctness, filters by class and score range, a top-k list, and a detail panel for the clicked
 * sample (image, label, prediction, ranks, β per layer and NLL over epochs drawn by Vega, and its
 * nearest neighbours in importance-trajectory space).
 *
 * `window.siExplorer` lets a test (or a console user) drive the page: select a sample, find where
 * a sample is drawn on screen.
 */
import createScatterplot from 'regl-scatterplot';
import { type Axis, axisBottom, axisLeft, type NumberValue } from 'd3-axis';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import * as vega from 'vega';
import type { PageMeta } from '../page-meta';
import {
  betaRows,
  type Dataset,
  decodeDataset,
  nearestNeighbours,
  nllRows,
  ranks,
  readMeta,
  sampleImage,
} from './data';
import { STYLE } from './style';

const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#aec7e8',
  '#ffbb78',
  '#98df8a',
  '#d62728',
  '#c5b0d5',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#9edae5',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
  '#3182bd',
  '#e6550d',
  '#31a354',
];
const CORRECTNESS_COLOURS = ['#d62728', '#9fb3c8'];
/** Scores shown on a log axis by default (they span decades). */
const LOG_BY_DEFAULT = new Set(['tau', 'final_nll', 'el2n']);
const WIDTH = 640;
const HEIGHT = 520;
const MARGIN = { left: 56, bottom: 40 };

type ColourBy = 'class' | 'cluster' | 'correct';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function options(select: HTMLSelectElement, items: { value: string; label: string }[], selected?: string): void {
  select.replaceChildren(
    ...items.map((o) => {
      const opt = el('option', { value: o.value }, o.label);
      if (o.value === selected) opt.selected = true;
      return opt;
    }),
  );
}

function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

/** Class predicted by the final model, or undefined when the page has no probabilities. */
function predicted(d: Dataset, i: number): number | undefined {
  const p = d.probabilities;
  if (!p) return undefined;
  const C = d.meta.classNames.length;
  let best = 0;
  for (let c = 1; c < C; c++) if (p[i * C + c]! > p[i * C + best]!) best = c;
  return best;
}

/**
 * An axis over log10 values: ticks at whole decades labelled 1e<k> (every second or third decade
 * over a wide range), or, within one decade, the values themselves; a linear axis otherwise.
 */
function logTicks(axis: Axis<NumberValue>, scale: ScaleLinear<number, number>, log: boolean): void {
  if (!log) {
    axis.ticks(8).tickFormat((v) => formatValue(Number(v)));
    return;
  }
  const [a, b] = scale.domain() as [number, number];
  const lo = Math.ceil(Math.min(a, b));
  const hi = Math.floor(Math.max(a, b));
  if (hi - lo < 1) {
    axis.ticks(5).tickFormat((v) => formatValue(10 ** Number(v)));
    return;
  }
  const step = Math.ceil((hi - lo + 1) / 9);
  const decades: number[] = [];
  for (let k = lo; k <= hi; k += step) decades.push(k);
  axis.tickValues(decades).tickFormat((v) => `1e${v}`);
}

class Explorer {
  private dataset!: Dataset;
  private readonly datasets = new Map<number, Dataset>();
  private readonly rankCache = new Map<string, Uint32Array>();
  private readonly scatter: ReturnType<typeof createScatterplot>;
  /** The axes' scales, whose domains regl-scatterplot keeps in step with its pan and zoom. */
  private xScale: ScaleLinear<number, number> = scaleLinear();
  private yScale: ScaleLinear<number, number> = scaleLinear();
  private readonly ui = {
    dataset: el('select', { id: 'dataset' }),
    x: el('select', { id: 'x-axis' }),
    y: el('select', { id: 'y-axis' }),
    xLog: el('input', { type: 'checkbox', id: 'x-log' }),
    yLog: el('input', { type: 'checkbox', id: 'y-log' }),
    colour: el('select', { id: 'colour-by' }),
    classFilter: el('select', { id: 'class-filter' }),
    rangeScore: el('select', { id: 'range-score' }),
    rangeMin: el('input', { type: 'number', id: 'range-min', step: 'any', placeholder: 'min' }),
    rangeMax: el('input', { type: 'number', id: 'range-max', step: 'any', placeholder: 'max' }),
    topScore: el('select', { id: 'top-score' }),
    topK: el('input', { type: 'number', id: 'top-k', value: '24', min: '1', max: '500' }),
    topOrder: el('select', { id: 'top-order' }),
    status: el('div', { id: 'status' }),
    legend: el('div', { id: 'legend' }),
    axes: document.createElementNS('http://www.w3.org/2000/svg', 'svg'),
    detail: el('div', { id: 'detail' }, el('p', { class: 'hint' }, 'Click a point to see its sample.')),
    top: el('div', { id: 'top-list', class: 'thumbs' }),
    selection: el('div', { id: 'selection' }),
  };
  /** Positions drawn (after filters), and each position's point. */
  private visible: number[] = [];
  private x: ArrayLike<number> = [];
  private y: ArrayLike<number> = [];
  selected: number | undefined;

  constructor(
    private readonly meta: PageMeta,
    root: HTMLElement,
  ) {
    const canvas = el('canvas', { id: 'scatter' });
    const ui = this.ui;
    ui.axes.setAttribute('class', 'axes');
    ui.axes.setAttribute('width', String(WIDTH + MARGIN.left));
    ui.axes.setAttribute('height', String(HEIGHT + MARGIN.bottom));
    options(
      ui.dataset,
      meta.datasets.map((d, k) => ({ value: String(k), label: d.dataset })),
    );
    options(ui.colour, [
      { value: 'class', label: 'class' },
      { value: 'cluster', label: 'trajectory cluster' },
      { value: 'correct', label: 'correct (final model)' },
    ]);
    options(ui.topOrder, [
      { value: 'desc', label: 'highest' },
      { value: 'asc', label: 'lowest' },
    ]);
    const label = (text: string, ...children: Node[]) => el('label', {}, text, ...children);
    root.append(
      el('header', {}, el('h1', {}, meta.title), el('p', { class: 'caption' }, meta.caption)),
      el(
        'div',
        { class: 'controls' },
        label('dataset ', ui.dataset),
        label('x ', ui.x, ui.xLog, el('span', {}, 'log')),
        label('y ', ui.y, ui.yLog, el('span', {}, 'log')),
        label('colour by ', ui.colour),
        label('class ', ui.classFilter),
        label('range of ', ui.rangeScore, ui.rangeMin, ui.rangeMax),
      ),
      el('p', { id: 'run-caption', class: 'caption' }),
      el(
        'div',
        { class: 'main' },
        el(
          'div',
          { class: 'plot' },
          el('div', { class: 'plot-area', style: `margin-left:${MARGIN.left}px` }, canvas),
          ui.axes,
          ui.legend,
          ui.status,
        ),
        ui.detail,
      ),
      el(
        'section',
        {},
        el('h2', {}, 'Top samples'),
        el('div', { class: 'controls' }, label('top ', ui.topK), label(' by ', ui.topScore), label(' ', ui.topOrder)),
        ui.top,
      ),
      ui.selection,
    );
    canvas.style.width = `${WIDTH}px`;
    canvas.style.height = `${HEIGHT}px`;
    this.scatter = createScatterplot({
      canvas,
      width: WIDTH,
      height: HEIGHT,
      xScale: this.xScale,
      yScale: this.yScale,
      pointSize: 3,
      pointSizeSelected: 4,
      pointOutlineWidth: 2,
      opacity: 0.8,
      colorBy: 'valueA',
      lassoInitiator: false,
    });
    this.scatter.subscribe('view', () => this.drawAxes());
    this.scatter.subscribe('select', ({ points }: { points: number[] }) => this.onSelect(points));
    this.scatter.subscribe('deselect', () => this.ui.selection.replaceChildren());
    ui.dataset.addEventListener('change', () => void this.showDataset(Number(ui.dataset.value)));
    for (const c of [ui.x, ui.y, ui.xLog, ui.yLog]) c.addEventListener('change', () => void this.redraw(true));
    for (const c of [ui.colour, ui.classFilter, ui.rangeScore, ui.rangeMin, ui.rangeMax])
      c.addEventListener('change', () => void this.redraw(false));
    for (const c of [ui.topScore, ui.topK, ui.topOrder]) c.addEventListener('change', () => this.drawTop());
    ui.x.addEventListener('change', () => (ui.xLog.checked = LOG_BY_DEFAULT.has(ui.x.value)));
    ui.y.addEventListener('change', () => (ui.yLog.checked = LOG_BY_DEFAULT.has(ui.y.value)));
  }

  async showDataset(index: number): Promise<void> {
    let d = this.datasets.get(index);
    if (!d) {
      d = await decodeDataset(this.meta.datasets[index]!, index);
      this.datasets.set(index, d);
      performance.mark(`si-decoded-${index}`);
    }
    this.dataset = d;
    this.rankCache.clear();
    this.selected = undefined;
    const { ui } = this;
    const scoreItems = d.meta.scores.map((s) => ({ value: s.name, label: s.label }));
    // τ against final NLL: Figure 4's axes, the view a reader of the paper knows.
    options(ui.x, scoreItems, d.meta.scores.some((s) => s.name === 'final_nll') ? 'final_nll' : 'tau');
    options(ui.y, scoreItems, 'tau');
    ui.xLog.checked = LOG_BY_DEFAULT.has(ui.x.value);
    ui.yLog.checked = LOG_BY_DEFAULT.has(ui.y.value);
    options(ui.rangeScore, scoreItems, 'tau');
    options(ui.topScore, scoreItems, 'tau');
    options(ui.classFilter, [
      { value: 'all', label: 'all classes' },
      ...d.meta.classNames.map((c, k) => ({ value: String(k), label: c })),
    ]);
    const correctOption = ui.colour.querySelector<HTMLOptionElement>('option[value=correct]');
    if (correctOption) correctOption.disabled = !d.probabilities;
    if (!d.probabilities && ui.colour.value === 'correct') ui.colour.value = 'class';
    document.getElementById('run-caption')!.textContent = `${d.meta.dataset}: ${d.meta.caption}`;
    ui.detail.replaceChildren(el('p', { class: 'hint' }, 'Click a point to see its sample (shift-drag: lasso).'));
    await this.redraw(true);
    performance.mark(`si-drawn-${index}`);
    this.drawTop();
  }

  private axisValues(name: string, log: boolean): { values: Float32Array; domain: [number, number] } {
    const raw = this.dataset.scores.get(name)!;
    let floor = Infinity;
    if (log) for (const v of raw) if (v > 0 && v < floor) floor = v;
    const values = log ? raw.map((v) => Math.log10(v > 0 ? v : floor)) : Float32Array.from(raw);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi > lo)) hi = lo + 1;
    const pad = (hi - lo) * 0.02;
    return { values, domain: [lo - pad, hi + pad] };
  }

  private colourOf(i: number, by: ColourBy): number {
    const d = this.dataset;
    if (by === 'class') return d.labels[i]!;
    if (by === 'cluster') return d.cluster[i]!;
    return predicted(d, i) === d.labels[i] ? 1 : 0;
  }

  /** Positions passing the class and score-range filters. */
  private filtered(): number[] {
    const d = this.dataset;
    const cls = this.ui.classFilter.value;
    const range = d.scores.get(this.ui.rangeScore.value)!;
    const min = this.ui.rangeMin.value === '' ? -Infinity : Number(this.ui.rangeMin.value);
    const max = this.ui.rangeMax.value === '' ? Infinity : Number(this.ui.rangeMax.value);
    const out: number[] = [];
    for (let i = 0; i < d.meta.n; i++) {
      if (cls !== 'all' && d.labels[i] !== Number(cls)) continue;
      const v = range[i]!;
      if (v < min || v > max) continue;
      out.push(i);
    }
    return out;
  }

  async redraw(axesChanged: boolean): Promise<void> {
    const d = this.dataset;
    const { ui } = this;
    const xs = this.axisValues(ui.x.value, ui.xLog.checked);
    const ys = this.axisValues(ui.y.value, ui.yLog.checked);
    this.x = xs.values;
    this.y = ys.values;
    const by = ui.colour.value as ColourBy;
    const palette = by === 'correct' ? CORRECTNESS_COLOURS : PALETTE;
    const n = d.meta.n;
    const toNdc = (v: number, [lo, hi]: [number, number]) => ((v - lo) / (hi - lo)) * 2 - 1;
    const points = { x: new Array<number>(n), y: new Array<number>(n), z: new Array<number>(n) };
    for (let i = 0; i < n; i++) {
      points.x[i] = toNdc(xs.values[i]!, xs.domain);
      points.y[i] = toNdc(ys.values[i]!, ys.domain);
      points.z[i] = this.colourOf(i, by) % palette.length;
    }
    this.scatter.set({ pointColor: palette });
    if (axesChanged) {
      // New scales, not new domains: the plot reads a scale's domain as its unzoomed view when it is set.
      this.xScale = scaleLinear().domain(xs.domain);
      this.yScale = scaleLinear().domain(ys.domain);
      this.scatter.set({ xScale: this.xScale, yScale: this.yScale });
    }
    const keep = this.selected;
    await this.scatter.draw(points, { zDataType: 'categorical' });
    if (axesChanged) this.scatter.reset();
    this.visible = this.filtered();
    if (this.visible.length === n) await this.scatter.unfilter();
    else await this.scatter.filter(this.visible);
    if (keep !== undefined) this.scatter.select([keep], { preventEvent: true });
    this.drawAxes();
    this.drawLegend(by);
    ui.status.textContent =
      `${this.visible.length.toLocaleString('en')} of ${n.toLocaleString('en')} samples shown. ` +
      'Drag to pan, scroll to zoom, click a point for its details, shift-drag to lasso a group.';
  }

  private drawAxes(): void {
    const svg = select(this.ui.axes);
    svg.selectAll('*').remove();
    const x = axisBottom(this.xScale);
    const y = axisLeft(this.yScale);
    logTicks(x, this.xScale, this.ui.xLog.checked);
    logTicks(y, this.yScale, this.ui.yLog.checked);
    svg.append('g').attr('transform', `translate(${MARGIN.left},${HEIGHT})`).call(x);
    svg.append('g').attr('transform', `translate(${MARGIN.left},0)`).call(y);
    const label = (s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? s.value;
    svg
      .append('text')
      .attr('x', MARGIN.left + WIDTH / 2)
      .attr('y', HEIGHT + 34)
      .attr('text-anchor', 'middle')
      .text(label(this.ui.x) + (this.ui.xLog.checked ? ' (log10)' : ''));
    svg
      .append('text')
      .attr('transform', `translate(14,${HEIGHT / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .text(label(this.ui.y) + (this.ui.yLog.checked ? ' (log10)' : ''));
  }

  private drawLegend(by: ColourBy): void {
    const d = this.dataset;
    const entries =
      by === 'class'
        ? d.meta.classNames.map((c, k) => [c, PALETTE[k % PALETTE.length]!] as const)
        : by === 'cluster'
          ? Array.from({ length: d.meta.clusters }, (_, k) => [`cluster ${k}`, PALETTE[k % PALETTE.length]!] as const)
          : ([
              ['wrong', CORRECTNESS_COLOURS[0]!],
              ['correct', CORRECTNESS_COLOURS[1]!],
            ] as const);
    this.ui.legend.replaceChildren(
      ...entries.map(([name, colour]) =>
        el('span', { class: 'legend-item' }, el('span', { class: 'swatch', style: `background:${colour}` }), name),
      ),
    );
  }

  private rankOf(name: string): Uint32Array {
    let r = this.rankCache.get(name);
    if (!r) {
      r = ranks(this.dataset.scores.get(name)!);
      this.rankCache.set(name, r);
    }
    return r;
  }

  private onSelect(points: number[]): void {
    if (points.length === 1) void this.showDetail(points[0]!);
    else this.showSelection(points);
  }

  private thumb(i: number, scale = 2): HTMLElement {
    const d = this.dataset;
    const button = el(
      'button',
      { class: 'thumb', title: `#${i}: ${d.meta.classNames[d.labels[i]!]}`, 'data-position': String(i) },
      sampleImage(d, i, scale),
      el('span', {}, `#${i}`),
    );
    button.addEventListener('click', () => this.select(i));
    return button;
  }

  private showSelection(points: number[]): void {
    const tau = this.dataset.scores.get('tau')!;
    const shown = [...points].sort((a, b) => tau[b]! - tau[a]!).slice(0, 60);
    this.ui.selection.replaceChildren(
      el('h2', {}, `Lasso selection: ${points.length.toLocaleString('en')} samples (up to 60 by τ)`),
      el('div', { class: 'thumbs' }, ...shown.map((i) => this.thumb(i))),
    );
  }

  private drawTop(): void {
    const d = this.dataset;
    const values = d.scores.get(this.ui.topScore.value)!;
    const k = Math.max(1, Math.min(500, Number(this.ui.topK.value) || 24));
    const sign = this.ui.topOrder.value === 'asc' ? 1 : -1;
    const pool = this.visible.length > 0 ? this.visible : Array.from({ length: d.meta.n }, (_, i) => i);
    const top = [...pool].sort((a, b) => sign * (values[a]! - values[b]!)).slice(0, k);
    this.ui.top.replaceChildren(...top.map((i) => this.thumb(i)));
  }

  /** Selects sample i as a click on its point would. */
  select(i: number): void {
    this.scatter.select([i], { preventEvent: true });
    void this.showDetail(i);
  }

  async showDetail(i: number): Promise<void> {
    const d = this.dataset;
    this.selected = i;
    const label = d.labels[i]!;
    const C = d.meta.classNames.length;
    const pred = predicted(d, i);
    const probs = d.probabilities
      ? Array.from({ length: C }, (_, c) => ({ c, p: d.probabilities![i * C + c]! / 255 }))
          .sort((a, b) => b.p - a.p)
          .slice(0, 3)
      : [];
    const rows = d.meta.scores.map((s) => {
      const rank = this.rankOf(s.name)[i]!;
      return el(
        'tr',
        {},
        el('td', {}, s.label),
        el('td', { class: 'num' }, formatValue(d.scores.get(s.name)![i]!)),
        el('td', { class: 'num' }, `${rank.toLocaleString('en')} / ${d.meta.n.toLocaleString('en')}`),
      );
    });
    const beta = el('div', { class: 'chart', id: 'beta-chart' });
    const nll = el('div', { class: 'chart', id: 'nll-chart' });
    const neighbours = el('div', { class: 'thumbs', id: 'neighbours' });
    this.ui.detail.replaceChildren(
      el(
        'div',
        { class: 'detail-head' },
        sampleImage(d, i, 4),
        el(
          'div',
          {},
          el('h2', { id: 'detail-title' }, `Sample #${i}`),
          el('p', { id: 'detail-index' }, `position ${i}, official training index ${d.officialIndex[i]}`),
          el(
            'p',
            { id: 'detail-label' },
            `label: ${d.meta.classNames[label]}${d.flipped[i] ? ' (flipped by the label noise)' : ''}`,
          ),
          el(
            'p',
            { id: 'detail-prediction' },
            pred === undefined
              ? 'prediction: not in this page (built without an engine, or from an unfinished run)'
              : `prediction: ${d.meta.classNames[pred]} (${pred === label ? 'correct' : 'wrong'}); ` +
                  probs.map(({ c, p }) => `${d.meta.classNames[c]} ${(p * 100).toFixed(1)}%`).join(', '),
          ),
        ),
      ),
      el(
        'table',
        { class: 'scores' },
        el('tr', {}, el('th', {}, 'score'), el('th', {}, 'value'), el('th', {}, 'rank (1 = largest)')),
        ...rows,
      ),
      el('h3', {}, 'β per layer over epochs'),
      beta,
      el('h3', {}, 'NLL over epochs'),
      nll,
      el('h3', {}, 'Nearest in importance trajectory (log β, all epochs and layers)'),
      neighbours,
    );
    await Promise.all([
      this.chart(beta, this.meta.charts.beta, 'beta', betaRows(d, i)),
      this.chart(nll, this.meta.charts.nll, 'nll', nllRows(d, i)),
    ]);
    neighbours.replaceChildren(...nearestNeighbours(d, i, 8).map((j) => this.thumb(j)));
  }

  private async chart(container: HTMLElement, spec: object, name: string, rows: object[]): Promise<void> {
    const view = new vega.View(vega.parse(spec as vega.Spec), { renderer: 'svg', container, hover: true });
    view.data(name, rows);
    await view.runAsync();
  }

  /** Where sample i is drawn, in page (client) coordinates; undefined when it is filtered out. */
  screenPosition(i: number): { x: number; y: number } | undefined {
    if (!this.visible.includes(i)) return undefined;
    const canvas = document.getElementById('scatter')!.getBoundingClientRect();
    return { x: canvas.left + this.xScale(this.x[i]!), y: canvas.top + this.yScale(this.y[i]!) };
  }

  /** The visible samples' screen positions (tests look for one drawn apart from the others). */
  screenPositions(): { i: number; x: number; y: number }[] {
    return this.visible.map((i) => ({ i, ...this.screenPosition(i)! }));
  }
}

function showError(message: string): void {
  const banner = document.getElementById('error') ?? document.body.appendChild(el('div', { id: 'error' }));
  banner.textContent = `The explorer failed: ${message}`;
}

async function main(): Promise<void> {
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.append(style);
  const root = document.body.appendChild(el('div', { id: 'explorer' }));
  try {
    // Marks for timing the page (performance.getEntriesByType('mark')): meta read, each dataset decoded and drawn.
    performance.mark('si-start');
    const meta = readMeta();
    document.title = meta.title;
    const explorer = new Explorer(meta, root);
    performance.mark('si-created');
    (window as unknown as { siExplorer: Explorer }).siExplorer = explorer;
    await explorer.showDataset(0);
    document.body.dataset.ready = 'true';
  } catch (err) {
    showError(err instanceof Error ? err.message : String(err));
    throw err;
  }
}

void main();
