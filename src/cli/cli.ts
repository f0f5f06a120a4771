/**
 * The `boxless` command. Each subcommand declares its options and positionals; bad arguments
 * and bad trace files end with one clear message and exit status 2, a failed check with 1.
 * `boxless help CMD` and `boxless CMD --help` print a command's usage with every option's help.
 * An exception that reaches here from anything else is a bug in boxless, reported as such.
 */
import { TraceError } from '../ir/errors.ts';
import { HelpRequested, optionSyntax, parseArgs, UsageError } from './args.ts';
import { type Command, CommandFailed } from './command.ts';
import { COMMANDS } from './commands.ts';
import { printJson, wantsJson } from './json.ts';

function usage(): string {
  const lines = ['usage: boxless <command> [options]', '', 'commands:'];
  for (const [name, command] of Object.entries(COMMANDS)) {
    const options = Object.entries(command.options).map(([o, spec]) => `[${optionSyntax(o, spec)}]`);
    lines.push(`  ${[name, command.positionals.names, ...options].filter(Boolean).join(' ')}`);
    lines.push(`      ${command.summary}`);
  }
  lines.push('', "'boxless <command> --help' (or 'boxless help <command>') says what each option does.");
  return lines.join('\n');
}

/** One command's usage: its synopsis, what it does, and each option with its help. */
export function commandUsage(name: string, command: Command): string {
  const options = Object.entries(command.options).map(([o, spec]) => [optionSyntax(o, spec), spec.help] as const);
  options.push(['-h, --help', 'print this help']);
  const width = Math.max(...options.map(([syntax]) => syntax.length));
  return [
    `usage: boxless ${[name, command.positionals.names, Object.keys(command.options).length > 0 ? '[options]' : ''].filter(Boolean).join(' ')}`,
    '',
    command.summary,
    '',
    'options:',
    ...options.map(([syntax, help]) => `  ${syntax.padEnd(width)}  ${help}`),
  ].join('\n');
}

function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
      console.log(usage());
      return name === undefined ? 2 : 0;
    }
    if (name === 'help') {
      const topic = rest[0]!;
      const command = Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
      if (!command) throw unknownCommand(topic);
      if (rest.length > 1) throw new UsageError(`help: expected one command, got ${rest.join(' ')}`);
      console.log(commandUsage(topic, command));
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw unknownCommand(name);
    try {
      return await command.run(parseArgs(name, rest, command.options, command.positionals));
    } catch (err) {
      if (err instanceof HelpRequested) {
        console.log(commandUsage(name, command));
        return 0;
      }
      throw err;
    }
  } catch (err) {
    // With --json, a usage or input error is the one JSON object too (and still on stderr).
    const asJson = (code: string, status: number, message: string) => {
      if (wantsJson(rest)) printJson(name ?? '', status, { error: { code, message } });
      return status;
    };
    if (err instanceof UsageError) {
      console.error(`boxless: ${err.message}`);
      return asJson('usage', 2, err.message);
    }
    if (err instanceof CommandFailed) return asJson('input', err.status, 'see the message on stderr');
    if (err instanceof TraceError) {
      console.error(`boxless: ${err.message}`);
      return asJson('input', 2, err.message);
    }
    console.error(`boxless: internal error (a bug in boxless, please report it): ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.BOXLESS_DEBUG) console.error(err);
    return 70;
  }
}

/**
 * When the reader of our output goes away (`boxless demo | head -3`), writing fails with EPIPE.
 * Stop at once and quietly, with the status of a process killed by SIGPIPE (128 + 13), as `cat`
 * or `git log` do in the same place; no stack trace.
 */
export function exitQuietlyOnBrokenPipe(): void {
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(141);
    // Any other failure to write (a full disk): say so on stderr if it still works, and stop.
    process.stderr.write(`boxless: cannot write the output: ${err.message}\n`, () => process.exit(74));
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 141 : 74));
}
