/**
 * Broken on purpose (c): a guard's exit keeps its plain fail args but drops the resume data of
 * the virtual ones: where the interpreter should get a rebuilt object, it gets null.
 */
import { type ExitDesc, NULL, type Trace } from '../../src/ir/index.ts';
import { entryState, Virtualizer } from '../../src/optimizer/virtualize.ts';

class DropsVirtualFailArgs extends Virtualizer {
  override describeExit(exit: ExitDesc): ExitDesc {
    const described = super.describeExit(exit);
    return { values: described.values.map((x) => (x.kind === 'virtual' ? NULL : x)), virtuals: [] };
  }
}

export function virtualizeDroppingResumeData(trace: Trace): Trace {
  const run = new DropsVirtualFailArgs(trace.ops, entryState(trace), { classes: trace.classes }).run();
  return { ...trace, ops: run.ops };
}
