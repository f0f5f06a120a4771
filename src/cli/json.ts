/**
 * `--json`: every command prints exactly one JSON object on stdout, in the schema
 * docs/json.md describes. Its first members say what it is: `schema` (JSON_SCHEMA, raised when a
 * member changes meaning or goes away; new members may appear within a version), `command`, and
 * `status` (the exit status). A trace is json-trace.ts's record. Ints of the IR are 64-bit: they are written as decimal strings.
 */
export const JSON_SCHEMA = 'boxless/1';

export function jsonText(command: string, status: number, body: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ schema: JSON_SCHEMA, command, status, ...body }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2);
}

export function printJson(command: string, status: number, body: Readonly<Record<string, unknown>>): number {
  console.log(jsonText(command, status, body));
  return status;
}

/** Whether `--json` is among a command's arguments (before `--`): errors then come as JSON too. */
export function wantsJson(argv: readonly string[]): boolean {
  for (const word of argv) {
    if (word === '--') return false;
    if (word === '--json') return true;
  }
  return false;
}
