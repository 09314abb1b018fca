/**
 * Engines registered by priority; `auto` takes the best that loads and says which.
 * An explicit choice that cannot load is an error carrying the loader's reason.
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
}

const registry: Registration[] = [];

export function registerEngine(reg: Registration): void {
  const existing = registry.findIndex((r) => r.name === reg.name);
  if (existing >= 0) registry.splice(existing, 1);
  registry.push(reg);
  registry.sort((a, b) => b.priority - a.priority);
}

export function registeredEngines(): readonly EngineName[] {
  return registry.map((r) => r.name);
}

/** Tries each engine; returns those that load and, for the rest, why not. */
export async function probeEngines(): Promise<{ name: EngineName; engine?: Engine; reason?: string }[]> {
  const out: { name: EngineName; engine?: Engine; reason?: string }[] = [];
  for (const reg of registry) {
    try {
      out.push({ name: reg.name, engine: await reg.load() });
    } catch (err) {
      out.push({ name: reg.name, reason: (err as Error).message });
    }
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
  for (const reg of registry) {
    try {
      return await reg.load();
    } catch (err) {
      reasons.push(`${reg.name}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no engine could be loaded:\n  ${reasons.join('\n  ')}`);
}
