import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { FlowStart, TargetBinding, type FlowOptions } from '../../contracts/flow.js';
import type { EngineEvent } from '../../contracts/events.js';
import type { WorkflowDef } from '../../contracts/workflow.js';
import { parseStructuredFile } from '../config/parse-file.js';
import type { Workspace } from '../config/workspace.js';
import { parseTarget } from '../exec/target.js';
import { readEvents } from '../records/event-log.js';
import { runPaths } from '../records/run-paths.js';
import { createRun, listRunIds, openRun, readRun } from '../records/run-store.js';
import type { RunWriter } from '../records/run-writer.js';
import { configSha, type ConfigChoice } from './config.js';
import { fsmStateFile } from './fsm.js';

export interface OpenedFlow {
  writer: RunWriter;
  start: FlowStart;
  startFile: string;
  attempt: number;
  binding: TargetBinding | null;
}

const startFileOf = (w: RunWriter) => join(w.paths.record, 'flow.start.json');

/**
 * The latest flow of this workflow that did not finish (a crash leaves it RUNNING, Ctrl-C CANCELED)
 * and was started from the same config file with the same sha256: `gantry flow` continues it.
 */
function resumable(ws: Workspace, def: WorkflowDef, choice: ConfigChoice, sha: string): string | null {
  for (const id of listRunIds(ws.runsDir).reverse()) {
    const rec = readRun(ws.runsDir, id);
    if (rec.workflow.name !== def.name) continue;
    if (rec.status !== 'RUNNING' && rec.status !== 'CANCELED') return null;
    const file = join(runPaths(ws.runsDir, id).record, 'flow.start.json');
    if (!existsSync(file)) return null;
    const start = parseStructuredFile(file, FlowStart, 'flow.start.json');
    return start.active_config_path === choice.path && start.active_config_sha256 === sha ? id : null;
  }
  return null;
}

/**
 * Opens the flow's run: continues an interrupted one (run.resumed, attempt n+1, its flow.start.json and
 * target binding kept — the target is immutable for the run), or creates a new run and writes
 * flow.start.json. The listener sees every event from the header on.
 */
export function openFlow(opts: {
  ws: Workspace;
  def: WorkflowDef;
  choice: ConfigChoice;
  options: FlowOptions;
  interactive: boolean;
  consent: boolean;
  version: string;
  listener: (e: EngineEvent) => void;
}): OpenedFlow {
  const { ws, def, choice } = opts;
  const sha = configSha(choice.path) ?? 'missing';
  const resumeId = resumable(ws, def, choice, sha);
  if (resumeId) {
    const writer = openRun(ws.runsDir, resumeId, 'gantry flow (resume)');
    writer.subscribe(opts.listener);
    const attempt = readEvents(writer.paths.events).filter((e) => e.type === 'run.resumed').length + 2;
    writer.append({ type: 'run.resumed', pid: process.pid, host: hostname() });
    const startFile = startFileOf(writer);
    const bindFile = join(writer.paths.record, 'target.bind.json');
    return {
      writer,
      start: parseStructuredFile(startFile, FlowStart, 'flow.start.json'),
      startFile,
      attempt,
      binding: existsSync(bindFile) ? parseStructuredFile(bindFile, TargetBinding, 'target binding') : null,
    };
  }
  const raw = existsSync(choice.path) ? parseDotenv(readFileSync(choice.path)) : {};
  const writer = createRun(ws.runsDir, {
    workflow: { name: def.name, version: def.version, slug: 'flow', artifact_path: '.' },
    depth: 'standard',
    steps: def.steps.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
    params: { ...opts.options },
  }, opts.listener);
  const explicit = raw.LIUM_TARGET || raw.OPS_DEFAULT_HOST || '';
  let transport: FlowStart['transport'] = 'none';
  try {
    if (explicit) transport = parseTarget(explicit).kind;
  } catch {
    /* P00/P20 report a malformed target */
  }
  const outputs = raw.OPS_REMOTE_OUTPUTS_DIR ?? '';
  const start: FlowStart = {
    flow_id: writer.runId,
    started_at: new Date().toISOString(),
    constitution_version: raw.WF_CONSTITUTION_VERSION || '1',
    active_config_path: choice.path,
    active_config_sha256: sha,
    canonical_config_path: choice.canonicalPath,
    override: choice.override,
    lium_target: raw.LIUM_TARGET ?? '',
    ops_default_host: raw.OPS_DEFAULT_HOST ?? '',
    target: explicit || null,
    target_source: explicit ? 'explicit' : 'pending',
    transport,
    remote_env_path: `${outputs}/_control/workflow.env`,
    fsm_state_file: fsmStateFile(outputs),
    options: opts.options,
    interactive: opts.interactive,
    consent: opts.consent,
    gantry_version: opts.version,
  };
  const startFile = writer.writeRecordJson('flow.start.json', start);
  return { writer, start, startFile, attempt: 1, binding: null };
}
