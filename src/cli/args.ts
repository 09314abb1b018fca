/**
 * A small typed flag parser: each command declares its flags once (type, default, allowed
 * values, help), and every mistake is answered with what is valid.
 *
 * @example
 *   const flags = { epochs: { type: 'int', default: 50, help: 'epochs' } } as const;
 *   parseFlags(['--epochs', '3'], flags);   // { epochs: 3 }
 */
export type FlagSpec =
  | { type: 'int'; default?: number; min?: number; help: string }
  | { type: 'number'; default?: number; min?: number; help: string }
  | { type: 'string'; default?: string; choices?: readonly string[]; help: string }
  | { type: 'int-list'; default?: number[]; help: string }
  | { type: 'bool'; default?: boolean; help: string };

export type FlagTable = Record<string, FlagSpec>;

type ValueOf<S extends FlagSpec> = S extends { type: 'int' | 'number' } ? number
  : S extends { type: 'string' } ? string
  : S extends { type: 'int-list' } ? number[]
  : boolean;

export type ParsedFlags<T extends FlagTable> = { [K in keyof T]: ValueOf<T[K]> | undefined } & { _: string[] };

export class UsageError extends Error {}

/** kebab-case flag name for a camelCase key: trainSize → --train-size. */
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

export function parseFlags<T extends FlagTable>(argv: readonly string[], table: T): ParsedFlags<T> {
  const byName = new Map(Object.keys(table).map((k) => [flagName(k), k]));
  const out: Record<string, unknown> = { _: [] as string[] };
  for (const [k, spec] of Object.entries(table)) out[k] = spec.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      (out._ as string[]).push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = byName.get(name);
    if (!key) throw new UsageError(`unknown option ${name}; valid options: ${[...byName.keys()].join(', ')}`);
    const spec = table[key];
    if (spec.type === 'bool') {
      out[key] = inline === undefined ? true : parseBool(name, inline);
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`option ${name} needs a value (${spec.help})`);
    out[key] = convert(name, raw, spec);
  }
  return out as ParsedFlags<T>;
}

function parseBool(name: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new UsageError(`option ${name} takes true or false, got '${raw}'`);
}

function convert(name: string, raw: string, spec: FlagSpec): unknown {
  switch (spec.type) {
    case 'int':
    case 'number': {
      const v = Number(raw);
      const ok = raw.trim() !== '' && Number.isFinite(v) && (spec.type === 'number' || Number.isInteger(v));
      if (!ok) throw new UsageError(`option ${name} needs ${spec.type === 'int' ? 'an integer' : 'a number'}, got '${raw}'`);
      if (spec.min !== undefined && v < spec.min) throw new UsageError(`option ${name} must be at least ${spec.min}, got ${v}`);
      return v;
    }
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`option ${name} got '${raw}'; valid values: ${spec.choices.join(', ')}`);
      return raw;
    case 'int-list': {
      const parts = raw.split(',').map((s) => Number(s.trim()));
      if (parts.length === 0 || parts.some((v) => !Number.isInteger(v) || v < 1)) {
        throw new UsageError(`option ${name} needs comma-separated positive integers like 512,512,512, got '${raw}'`);
      }
      return parts;
    }
    default:
      return raw;
  }
}

/** Help text: one line per flag with its default and allowed values. */
export function formatFlags(table: FlagTable): string {
  return Object.entries(table)
    .map(([k, s]) => {
      const choices = s.type === 'string' && s.choices ? ` (${s.choices.join('|')})` : '';
      const def = s.default === undefined ? '' : ` [default: ${Array.isArray(s.default) ? s.default.join(',') : s.default}]`;
      return `  ${flagName(k).padEnd(20)} ${s.help}${choices}${def}`;
    })
    .join('\n');
}
