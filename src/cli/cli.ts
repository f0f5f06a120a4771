/**
 * The `boxless` command. Each subcommand declares its options and positionals; bad arguments
 * and bad trace files end with one clear message and exit status 2, a failed check with 1.
 * An exception that reaches here from anything else is a bug in boxless, reported as such.
 */
import { TraceError } from '../ir/index.ts';
import { parseArgs, UsageError } from './args.ts';
import { CommandFailed } from './command.ts';
import { COMMANDS } from './commands.ts';

function usage(): string {
  const lines = ['usage: boxless <command> [options]', '', 'commands:'];
  for (const [name, command] of Object.entries(COMMANDS)) {
    const options = Object.entries(command.options).map(([o, spec]) => `[--${o}${spec.kind === 'flag' ? '' : spec.kind === 'int' ? ' N' : ' X'}]`);
    lines.push(`  ${[name, command.positionals.names, ...options].filter(Boolean).join(' ')}`);
    lines.push(`      ${command.summary}`);
  }
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await command.run(parseArgs(name, rest, command.options, command.positionals));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`boxless: ${err.message}`);
      return 2;
    }
    if (err instanceof CommandFailed) return err.status;
    if (err instanceof TraceError) {
      console.error(`boxless: ${err.message}`);
      return 2;
    }
    console.error(`boxless: internal error (a bug in boxless, please report it): ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.BOXLESS_DEBUG) console.error(err);
    return 70;
  }
}
