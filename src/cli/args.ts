// A small, strict command-line parser: flags are declared, unknown ones are errors.

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FlagSpec {
  /** Takes a value (`-e NAME`); repeated values accumulate. */
  value?: boolean;
  alias?: string;
}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const byName = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) {
    byName.set(name, name);
    if (s.alias !== undefined) byName.set(s.alias, name);
  }
  const out: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      let key = arg;
      let inline: string | undefined;
      const eq = arg.indexOf('=');
      if (arg.startsWith('--') && eq > 0) {
        key = arg.slice(0, eq);
        inline = arg.slice(eq + 1);
      }
      const name = byName.get(key);
      if (name === undefined) throw new UsageError(`unknown option ${key}`);
      if (spec[name]!.value === true) {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`option ${key} needs a value`);
        const list = out.values.get(name) ?? [];
        list.push(v);
        out.values.set(name, list);
      } else {
        out.flags.add(name);
      }
      continue;
    }
    out.positional.push(arg);
  }
  return out;
}

/** `--workers N`: analysis threads (undefined when not given). */
export function workersOption(args: ParsedArgs): number | undefined {
  const text = single(args, '--workers');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--workers: ${text} is not a number of threads (1–64)`);
  return n;
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const v = args.values.get(name);
  return v === undefined ? undefined : v[v.length - 1];
}
