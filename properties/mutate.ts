/**
 * Small random edits of a trace, for testing a checker of traces rather than a transformation:
 * delete an op, nudge a constant, read another variable of the same type, change a fail arg,
 * swap two neighbouring ops, renumber a guard. Every result validates (edits that would not are
 * skipped: the function returns null), and most change what the trace does: the translation
 * validator's soundness property (validate.prop.test.ts) checks that it proves none of those.
 */
import { type Arg, type Trace, validate } from '../src/ir/index.ts';

/** One edit of `trace` chosen by `choose(n)` (a number in [0, n)), or null when it would not validate. */
export function mutateTrace(trace: Trace, choose: (n: number) => number): Trace | null {
  const ops = [...trace.ops];
  if (ops.length === 0) return null;
  const k = choose(ops.length);
  const op = ops[k]!;
  const defined: string[] = trace.inputs.map((i) => i.name);
  for (let j = 0; j < k; j++) if (ops[j]!.result) defined.push(ops[j]!.result!);
  const otherArg = (arg: Arg): Arg | null => {
    if (arg.kind === 'int') return { kind: 'int', value: arg.value + (choose(2) === 0 ? 1n : -1n) };
    if (arg.kind !== 'var') return null;
    const same = defined.filter((d) => d[0] === arg.name[0] && d !== arg.name);
    return same.length === 0 ? null : { kind: 'var', name: same[choose(same.length)]! };
  };
  switch (choose(6)) {
    case 0:
      if (op.name === 'jump' || op.name === 'finish' || op.name === 'label') return null;
      ops.splice(k, 1);
      break;
    case 1:
    case 2: {
      if (op.args.length === 0) return null;
      const a = choose(op.args.length);
      const replaced = otherArg(op.args[a]!);
      if (!replaced) return null;
      ops[k] = { ...op, args: op.args.map((x, j) => (j === a ? replaced : x)) };
      break;
    }
    case 3: {
      if (!op.exit || op.exit.values.length === 0) return null;
      const a = choose(op.exit.values.length);
      const value = op.exit.values[a]!;
      const replaced = value.kind === 'virtual' ? null : otherArg(value);
      if (!replaced) return null;
      ops[k] = { ...op, exit: { ...op.exit, values: op.exit.values.map((x, j) => (j === a ? replaced : x)) } };
      break;
    }
    case 4: {
      const next = ops[k + 1];
      if (!next || ['jump', 'finish', 'label'].includes(next.name) || op.name === 'label') return null;
      ops[k] = next;
      ops[k + 1] = op;
      break;
    }
    default:
      if (op.guardId < 0) return null;
      ops[k] = { ...op, guardId: op.guardId + 1 };
  }
  try {
    return validate({ ...trace, ops });
  } catch {
    return null;
  }
}
