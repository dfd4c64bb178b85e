import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { EngineEvent } from '../../contracts/events.js';
import type { FlowOptions, FlowSummary } from '../../contracts/flow.js';
import { loadWorkflow } from '../config/definitions.js';
import type { Workspace } from '../config/workspace.js';
import { refusingAnswerer } from '../engine/answers.js';
import { GATE_HANDLERS, runWorkflow, type WorkflowResult } from '../engine/run-workflow.js';
import type { StepHandlers } from '../engine/step-handler.js';
import { ExecutorPool } from '../exec/pool.js';
import type { Prompter } from '../exec/prompter.js';
import { acquireLock } from '../records/lock.js';
import { resetChecklist, tickChecklist } from './checklist.js';
import { chooseConfig } from './config.js';
import { headerFields } from './header.js';
import { phaseHandler } from './phase-runner.js';
import { fetchArtifacts, summary, teardown } from './phases/finish.js';
import { monitor } from './phases/monitor.js';
import { precheck } from './phases/precheck.js';
import { bootstrap, checkout } from './phases/prepare.js';
import { sweep } from './phases/sweep.js';
import { bindTarget, podReady, provision } from './phases/target.js';
import type { Confirm, FlowSession } from './session.js';
import { openFlow } from './start.js';
import { buildSummary, flowExitCode } from './summary.js';
import { killLiveSweepTasks } from './sweep/cancel.js';

export const FLOW_WORKFLOW = 'remote-experiment';

export interface FlowRequest {
  ws: Workspace;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Options from the command line; teardown falls back to WF_DEFAULT_TEARDOWN, then keep. */
  options: Omit<FlowOptions, 'teardown'> & { teardown: FlowOptions['teardown'] | undefined };
  interactive: boolean;
  consent: boolean;
  confirm: Confirm;
  signal: AbortSignal;
  version: string;
  listener: (e: EngineEvent) => void;
  /** Asks about unknown host keys and key passphrases; only when a terminal is attached. */
  prompter?: Prompter;
  /** --accept-new-host-key (SSH_ACCEPT_NEW_HOST_KEY=1 in the config does the same). */
  acceptNewHostKey: boolean;
  /** What a cancel does to sweep tasks live on the target: keep them running (default) or kill them. */
  onCancel: 'keep' | 'kill';
}

export interface FlowOutcome {
  runId: string;
  exitCode: number;
  summary: FlowSummary;
  result: WorkflowResult;
}

/** The step kinds of remote-experiment, each a phase under the court. */
function flowHandlers(s: FlowSession): StepHandlers {
  const h = (fn: Parameters<typeof phaseHandler>[1]) => phaseHandler(s, fn);
  return {
    ...GATE_HANDLERS,
    precheck: h(precheck),
    provision: h(provision),
    bind_target: h(bindTarget),
    ready: h(podReady),
    command: h(bootstrap),
    checkout: h(checkout),
    sweep: h(sweep),
    monitor: h(monitor),
    fetch: h(fetchArtifacts),
    teardown: h(teardown),
    summary: h(summary),
  };
}

/**
 * `gantry flow`: one workspace-wide flow at a time (a lock), a new or resumed run, the header, P00..P99
 * through the engine, then flow.summary.json and the checklist's end. Always closes the record.
 */
export async function runFlow(req: FlowRequest): Promise<FlowOutcome> {
  const { ws } = req;
  const def = loadWorkflow(ws, FLOW_WORKFLOW);
  const choice = chooseConfig(ws, req.env, req.cwd);
  const raw = existsSync(choice.path) ? parseDotenv(readFileSync(choice.path)) : {};
  const teardownDefault = raw.WF_DEFAULT_TEARDOWN === 'delete' ? 'delete' : 'keep';
  const options: FlowOptions = { ...req.options, teardown: req.options.teardown ?? teardownDefault };
  const consent = req.consent || raw.LIUM_YES === '1';
  const lock = acquireLock(join(ws.root, '.flow.lock'), 'gantry flow', 'the workspace flow lock');
  let opened: ReturnType<typeof openFlow> | undefined;
  const pool = new ExecutorPool({
    env: req.env,
    prompter: req.prompter,
    acceptNewHostKey: req.acceptNewHostKey || raw.SSH_ACCEPT_NEW_HOST_KEY === '1',
    onCorrectableError: (e) =>
      opened?.writer.append({ type: 'error.recorded', tier: 'correctable', step: null, message: `${e.target}: ${e.reason} (retry ${e.attempt} in ${e.delayMs} ms)` }),
  });
  try {
    opened = openFlow({ ws, def, choice, options, interactive: req.interactive, consent, version: req.version, listener: req.listener });
    const { writer } = opened;
    const s: FlowSession = {
      ws,
      writer,
      signal: req.signal,
      choice,
      env: null,
      options,
      interactive: req.interactive,
      consent,
      confirm: req.confirm,
      start: opened.start,
      startFile: opened.startFile,
      binding: opened.binding,
      exec: opened.binding ? pool.get(opened.binding.target) : null,
      attempt: opened.attempt,
      sweep: null,
      tornDown: false,
      halted: null,
      connect: async (target) => pool.get(target),
      disconnect: () => pool.closeAll(),
    };
    writer.append({ type: 'run.header', fields: headerFields(opened.start, opened.attempt) });
    if (opened.attempt > 1)
      writer.append({ type: 'note', step: null, message: `resuming flow ${opened.start.flow_id} (attempt ${opened.attempt}); phases that passed are not repeated; options now: ${Object.entries(options).map(([k, v]) => `--${k} ${v}`).join(' ')}` });
    const result = await runWorkflow({ ws, def, writer, answerer: refusingAnswerer, signal: req.signal, options }, flowHandlers(s));
    if (result.status === 'CANCELED' && req.onCancel === 'kill') await killLiveSweepTasks(s);
    const summaryValue = buildSummary(s, result);
    writer.writeRecordJson('flow.summary.json', summaryValue);
    endChecklist(s, summaryValue);
    return { runId: writer.runId, exitCode: flowExitCode(summaryValue, result), summary: summaryValue, result };
  } finally {
    await pool.closeAll();
    opened?.writer.close();
    lock.release();
  }
}

function endChecklist(s: FlowSession, summaryValue: FlowSummary): void {
  const path = s.env?.WF_CHECKLIST_PATH;
  if (!path) return;
  const file = resolve(s.ws.projectRoot, path);
  const firstFail = summaryValue.first_failing_phase ? ` at ${summaryValue.first_failing_phase} (code ${summaryValue.first_failing_code})` : '';
  tickChecklist(file, 'P99', summaryValue.status === 'passed', `flow ${summaryValue.flow_id} ${summaryValue.status}${firstFail}`);
  if (s.env?.WF_CHECKLIST_RESET_ON_END === '1') resetChecklist(file);
}
