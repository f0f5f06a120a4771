/** What every `boxless` subcommand declares, and how it fails. */
import type { OptionSpec, ParsedArgs } from './args.ts';

export interface Command {
  readonly summary: string;
  readonly positionals: { readonly min: number; readonly max: number; readonly names: string };
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(args: ParsedArgs): Promise<number> | number;
}

/** Raised by a command that already printed its (located) message: exit with `status`. */
export class CommandFailed extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}
