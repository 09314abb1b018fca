/**
 * Engines registered by priority; `auto` takes the best that loads and says which. An engine
 * whose hardware check has not passed (`unverified` gives why) is ranked after every verified
 * one and is never `auto`'s choice: it is used only when asked for by name. An explicit choice
 * that cannot load is an error carrying the loader's reason.
 *
 * @example
 *   const engine = await loadEngine('auto');
 *   console.log(engine.name, engine.backend);
 */
import type { Engine, EngineName } from './types';

export type EngineChoice = EngineName | 'auto';
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'cuda', 'native', 'tfjs'];

interface Registration {
  readonly name: EngineName;
  /** Higher runs first under `auto`. */
  readonly priority: number;
  /** Rejects with an Error whose message says why the engine is unavailable and how to get it. */
  readonly load: () => Promise<Engine>;
  /** Why `auto` must not pick this engine (its hardware check has not passed here), or undefined. */
  readonly unverified?: () => string | undefined;
  /**
   * When `auto` passes over this engine because it does not load, say so once on stderr: an engine
   * a user expects everywhere (native), unlike one that needs hardware (CUDA).
   */
  readonly noticeWhenMissing?: boolean;
}

export interface ProbedEngine {
  name: EngineName;
  /** The engine, when it loads. */
  engine?: Engine;
  /** Why it does not load. */
  reason?: string;
  /** Why `auto` passes it over although it may load (only `--engine <name>` uses it). */
  notInAuto?: string;
}

const registry: Registration[] = [];

export function registerEngine(reg: Registration): void {
  const existing = registry.findIndex((r) => r.name === reg.name);
  if (existing >= 0) registry.splice(existing, 1);
  registry.push(reg);
  registry.sort((a, b) => b.priority - a.priority);
}

/** Registrations in `auto`'s order: verified engines by priority, then those `auto` passes over. */
function autoOrder(): { reg: Registration; notInAuto?: string }[] {
  const ranked = registry.map((reg) => ({ reg, notInAuto: reg.unverified?.() }));
  return [...ranked.filter((r) => !r.notInAuto), ...ranked.filter((r) => r.notInAuto)];
}

/** Engine names in `auto`'s order. */
export function registeredEngines(): readonly EngineName[] {
  return autoOrder().map((r) => r.reg.name);
}

/** Tries each engine, in `auto`'s order; returns those that load and, for the rest, why not. */
export async function probeEngines(): Promise<ProbedEngine[]> {
  const out: ProbedEngine[] = [];
  for (const { reg, notInAuto } of autoOrder()) {
    const probed: ProbedEngine = { name: reg.name, ...(notInAuto && { notInAuto }) };
    try {
      probed.engine = await reg.load();
    } catch (err) {
      probed.reason = (err as Error).message;
    }
    out.push(probed);
  }
  return out;
}

export async function loadEngine(choice: EngineChoice): Promise<Engine> {
  if (!ENGINE_CHOICES.includes(choice)) {
    throw new Error(`unknown engine '${choice}'; valid engines: ${ENGINE_CHOICES.join(', ')}`);
  }
  if (choice !== 'auto') {
    const reg = registry.find((r) => r.name === choice);
    if (!reg) throw new Error(`engine '${choice}' is not registered`);
    try {
      return await reg.load();
    } catch (err) {
      throw new Error(`engine '${choice}' cannot be used: ${(err as Error).message}`);
    }
  }
  const reasons: string[] = [];
  const missing: string[] = [];
  for (const { reg, notInAuto } of autoOrder()) {
    if (notInAuto) {
      reasons.push(`${reg.name}: ${notInAuto}`);
      continue;
    }
    try {
      const engine = await reg.load();
      for (const notice of missing) noticeOnce(`note: ${notice}; auto uses ${engine.name} instead`);
      return engine;
    } catch (err) {
      reasons.push(`${reg.name}: ${(err as Error).message}`);
      if (reg.noticeWhenMissing) missing.push(`the ${reg.name} engine is unavailable (${(err as Error).message})`);
    }
  }
  throw new Error(`no engine could be loaded:\n  ${reasons.join('\n  ')}`);
}

const noticed = new Set<string>();

function noticeOnce(line: string): void {
  if (noticed.has(line)) return;
  noticed.add(line);
  console.error(line);
}
