/**
 * README.md cannot drift from the code (STYLE.md practice 12): its trace text example parses,
 * validates and runs on the reference; every `npx boxless COMMAND [--option …]` line of its
 * command section names a real command and only options that command takes, and every command
 * and option the CLI has is in that section; every pass README names is a pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { PASSES } from '../../src/optimizer/pipeline.ts';
import { parseTrace } from '../../src/text/index.ts';
import { runReference } from '../../spec/interpreter.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first fenced block after the heading `## <title>`. */
function firstBlockAfter(title: string): string {
  const section = readme.slice(readme.indexOf(`## ${title}\n`));
  const match = /^```[a-z]*\n([\s\S]*?)^```$/m.exec(section);
  if (!match) throw new Error(`README has no code block under '## ${title}'`);
  return match[1]!;
}

describe('README', () => {
  it("the trace text example parses, validates and runs on its input set", () => {
    const trace = parseTrace(firstBlockAfter('Trace text'), 'README.md');
    expect(trace.inputSets.length).toBeGreaterThan(0);
    for (const set of trace.inputSets) expect(runReference(trace, set, { fuel: 3 }).exit.kind).not.toBe('undefined');
  });

  it('lists every command with only the options it takes, and every option each command takes', () => {
    const listed = new Map<string, Set<string>>();
    for (const line of firstBlockAfter('The command').split('\n')) {
      const usage = /^npx boxless (\S+)(.*?)(#|$)/.exec(line);
      if (!usage) continue;
      const [, name, rest] = usage;
      if (name === 'help') continue; // cli.ts answers `help` and `--help` itself, for every command
      expect(Object.keys(COMMANDS), `README names a command '${name}'`).toContain(name);
      const options = listed.get(name!) ?? new Set<string>();
      for (const [, option] of rest!.matchAll(/--([a-z-]+)/g)) options.add(option!);
      listed.set(name!, options);
    }
    for (const [name, command] of Object.entries(COMMANDS)) {
      if (name === 'demo') continue; // `npm start` runs it; README's set-up section says so
      expect([...listed.keys()], `README does not list 'boxless ${name}'`).toContain(name);
      expect([...listed.get(name)!].sort(), `options of 'boxless ${name}' in README`).toEqual(Object.keys(command.options).sort());
    }
  });

  it('names only passes that exist, and all of them', () => {
    const paragraph = readme.slice(readme.indexOf('Passes: '), readme.indexOf('\n\n', readme.indexOf('Passes: ')));
    const named = [...paragraph.matchAll(/`([a-z]+)` \(|`([a-z]+)`[,;]/g)].map((m) => m[1] ?? m[2]);
    for (const pass of Object.keys(PASSES)) expect(named, `README's Passes paragraph names ${pass}`).toContain(pass);
  });
});
