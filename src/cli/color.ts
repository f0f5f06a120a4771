/**
 * Colors on a terminal: only when the stream is a TTY, and never when NO_COLOR is set to
 * anything but the empty string (https://no-color.org) or TERM is `dumb`. Output to a file or a
 * pipe stays plain text, so what `boxless` writes there parses back.
 */

export interface Palette {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

const plain = (text: string) => text;
const PLAIN: Palette = { red: plain, green: plain, cyan: plain, bold: plain, dim: plain };

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const ANSI: Palette = { red: sgr(31, 39), green: sgr(32, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };

export function colorsWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function palette(stream: { readonly isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): Palette {
  return colorsWanted(stream, env) ? ANSI : PLAIN;
}

/** A unified diff with removed lines red, added lines green, hunk headers cyan. */
export function colorDiff(diff: string, colors: Palette): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---')
        ? colors.bold(line)
        : line.startsWith('@@')
          ? colors.cyan(line)
          : line.startsWith('+')
            ? colors.green(line)
            : line.startsWith('-')
              ? colors.red(line)
              : line,
    )
    .join('\n');
}
