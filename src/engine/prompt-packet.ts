import type { GateContract } from '../../contracts/gate-contract.js';
import type { RunRecord } from '../../contracts/run.js';
import type { StepDef } from '../../contracts/workflow.js';

/** The prompt packet: everything an agent or person needs to do a gate's work, in one text. */
export function buildPromptPacket(opts: {
  rec: RunRecord;
  step: StepDef;
  attempt: number;
  contract: GateContract | undefined;
  resolvedOutputs: string[];
  promptText: string | undefined;
  answerWith: string[];
}): string {
  const { rec, step, attempt, contract } = opts;
  const lines = [
    `# Prompt packet — ${step.id} ${step.name} (attempt ${attempt})`,
    '',
    '## Run context',
    `run_id:        ${rec.run_id}`,
    `workflow:      ${rec.workflow.name} (${rec.workflow.version})`,
    `slug:          ${rec.workflow.slug}`,
    `artifact_path: ${rec.workflow.artifact_path}`,
    `depth:         ${rec.depth}`,
    '',
  ];
  if (step.intent) lines.push('## Intent', step.intent, '');
  if (contract) {
    lines.push('## Contract', `${contract.gate} — ${contract.name}`);
    if (contract.description) lines.push(contract.description);
    if (contract.instructions) lines.push('', contract.instructions.trimEnd());
    lines.push('', '## Required outputs');
    lines.push(...(opts.resolvedOutputs.length ? opts.resolvedOutputs.map((p) => `- ${p}`) : ['(none)']));
    lines.push('', '## Validations');
    lines.push(
      ...(contract.validations.length
        ? contract.validations.map((v) => `- ${v.type} ${v.path}${'min' in v ? ` (min ${v.min})` : ''}${'headings' in v ? `: ${v.headings.join(', ')}` : ''}${'pattern' in v ? `: "${v.pattern}" (${v.severity})` : ''}`)
        : ['(none beyond required outputs)']),
    );
    lines.push('');
  }
  if (opts.promptText) lines.push('## Prompt', opts.promptText.trimEnd(), '');
  lines.push('## When done', ...opts.answerWith.map((c) => `  ${c}`), '');
  return lines.join('\n');
}
