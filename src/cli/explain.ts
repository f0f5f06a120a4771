/**
 * `optimize --explain`: the optimizer's report in words. "Why is this allocation still in my
 * loop?" and "why is this guard still here?", each answered with a place in the input file.
 */
import type { ExplainReport, Place, Section } from '../optimizer/explain.ts';

function where(place: Place | null): string {
  if (!place) return 'an op the input does not have';
  return `${place.op} (op ${place.index}${place.line === null ? '' : `, line ${place.line}`})`;
}

function inSection(section: Section): string {
  return section === 'trace' ? '' : section === 'preamble' ? ' (preamble)' : ' (loop body)';
}

export function formatExplanation(report: ExplainReport): string {
  const lines: string[] = [];
  lines.push(report.allocations.length === 0 ? 'allocations: none survived' : `allocations that survived (${report.allocations.length}):`);
  for (const a of report.allocations) {
    const forced = a.forcedBy ? `, forced by ${where(a.forcedBy)}` : '';
    lines.push(`  ${a.name}${inSection(a.section)}, allocated at ${where(a.allocatedAt)}${forced}: ${a.why}`);
  }
  lines.push(report.guards.length === 0 ? 'guards: none survived' : `guards that survived (${report.guards.length}):`);
  for (const g of report.guards) lines.push(`  guard ${g.guardId}${inSection(g.section)} at ${where(g.at)}: ${g.why}`);
  return lines.join('\n');
}
