import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ExitCode, isGantryError } from '../../../contracts/errors.js';
import type { GateContract } from '../../../contracts/gate-contract.js';
import type { StepDef } from '../../../contracts/workflow.js';
import { loadGateContract } from '../../config/definitions.js';
import { resolveOutputPath } from '../output-paths.js';
import { buildPromptPacket } from '../prompt-packet.js';
import { failGate, finishGate, pathVars, startGate } from '../gate-ops.js';
import type { RunContext, StepOutcome } from '../step-handler.js';

export function answerCommands(runId: string, gate: string): string[] {
  return [`gantry gate finish --run ${runId} --gate ${gate}`, `gantry gate fail --run ${runId} --gate ${gate} --reason "<why>"`];
}

/**
 * A gate (or approval) step: start an attempt, write the prompt packet, wait for the answer, then run
 * the contract's validations (finish) or record the failure.
 */
export async function runGateStep(step: StepDef, ctx: RunContext): Promise<StepOutcome> {
  const { writer, ws } = ctx;
  const contract: GateContract | undefined = step.contract ? loadGateContract(ws, step.contract).contract : undefined;
  const attempt = startGate(writer, step.id, ctx.answerer.agent);
  const rec = writer.record!;
  const vars = pathVars(rec, writer.paths.dir);
  const resolvedOutputs = (contract?.required_outputs ?? []).map((t) => resolveOutputPath(t, vars, ws.projectRoot).display);
  const promptFile = ctx.options['prompt-file'];
  const answerWith = answerCommands(rec.run_id, step.id);
  const packet = buildPromptPacket({
    rec,
    step,
    attempt,
    contract,
    resolvedOutputs,
    promptText: promptFile ? readFileSync(promptFile, 'utf8') : undefined,
    answerWith,
  });
  const packetPath = writer.writeLog(`gates/${step.id}/prompt.txt`, packet);
  writer.append({ type: 'gate.waiting', gate: step.id, attempt, packet: relative(writer.paths.dir, packetPath), answer_with: answerWith });

  let answer;
  try {
    answer = await ctx.answerer.answer({ runId: rec.run_id, gate: step.id, name: step.name, attempt, packetPath, packet, answerWith }, ctx.signal);
  } catch (e) {
    if (isGantryError(e)) {
      writer.append({ type: 'error.recorded', tier: e.code === ExitCode.POLICY ? 'policy' : 'fatal', step: step.id, message: e.message });
      failGate(writer, step.id, e.message);
    }
    throw e;
  }
  writer.append({ type: 'gate.answer_requested', gate: step.id, action: answer.action, reason: answer.action === 'fail' ? answer.reason : null, by: answer.by });
  const result =
    answer.action === 'finish'
      ? await finishGate(writer, step.id, contract ?? { gate: step.id, name: step.name, required_outputs: [], validations: [] }, ws.projectRoot)
      : failGate(writer, step.id, answer.reason);
  return { halt: result.status !== 'PASS', reason: result.status === 'PASS' ? null : `${step.id} failed: ${result.failure_reason}` };
}
