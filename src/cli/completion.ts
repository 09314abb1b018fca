/**
 * Shell completion for `si` through @pnpm/tabtab: `si completion bash` prints the script a shell
 * sources; the script calls back `si completion-server`, which answers from the commands and
 * options the program declares (names, flags, choices), so completion never lags behind them.
 *
 * @example
 *   si completion bash >> ~/.bashrc     # or zsh, fish
 */
import { Argument, Command, type CommandUnknownOpts, type Option } from '@commander-js/extra-typings';

/** The words that may come next on `line` (the command line up to the cursor, `si` first). */
export function completions(program: CommandUnknownOpts, line: string): string[] {
  const words = line.split(/\s+/).slice(1);
  const current = words.pop() ?? '';
  const visible = program.commands.filter((c) => c.name() !== 'completion-server');
  const command = visible.find((c) => c.name() === words[0]);
  if (!command) return visible.map((c) => c.name());
  const options = command.options as readonly Option[];
  const previous = options.find((o) => o.long === words[words.length - 1]);
  if (previous?.required) return previous.argChoices ?? [];
  if (current.startsWith('-')) return [...options.map((o) => o.long ?? ''), '--help'].filter(Boolean);
  const argument = (command.registeredArguments as readonly Argument[])[0];
  return argument?.argChoices ?? options.map((o) => o.long ?? '').filter(Boolean);
}

/** `completion` (prints the script) and the hidden `completion-server` the script calls. */
export function completionCommands(program: CommandUnknownOpts): {
  script: CommandUnknownOpts;
  server: CommandUnknownOpts;
} {
  const script = new Command('completion')
    .description('print the shell completion script (add it to your shell profile)')
    .addArgument(new Argument('[shell]', 'shell').choices(['bash', 'zsh', 'fish'] as const).default('bash' as const))
    .action(async (shell) => {
      const { default: tabtab } = await import('@pnpm/tabtab');
      process.stdout.write(`${await tabtab.getCompletionScript({ name: 'si', completer: 'si', shell })}\n`);
    });
  const server = new Command('completion-server')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async () => {
      // Loaded when completing, not each time `si` starts.
      const { default: tabtab } = await import('@pnpm/tabtab');
      const env = tabtab.parseEnv(process.env);
      if (!env.complete) return;
      const shell = tabtab.getShellFromEnv(process.env);
      tabtab.log(completions(program, env.partial), shell);
    });
  return { script, server };
}
