// Engine overhead per phase: what the court (evidence, deterministic checks, the built-in auditor,
// verdict — four atomic, fsync'd JSON files) and the fsync'd step/court events add to each of the 11
// phases of remote-experiment, beyond the phase's own work. Target: ≤ 5 ms per phase.
//
// 1. No-op phases through the engine API (dist/): `gantry flow` cannot run a true no-op — its phases
//    always touch the target — so the bench drives runWorkflow with the flow's own phase runner
//    (phaseHandler: step events, court, verdict) around phases that do nothing. Reference: the same
//    engine loop with handlers that do nothing at all (no court, no events).
// 2. `gantry flow --sweep skip` on the local target, as a user runs it: per phase, its work as the
//    record measured it (step.finished duration_ms) against the rest of the phase's span (the court).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dist, fmt, GANTRY, header, localFlowProject, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 20);
const FLOWS = Number(process.env.BENCH_OVERHEAD_FLOWS ?? 5);
header(`engine overhead per phase (11-phase remote-experiment; median of ${RUNS} no-op flows, ${FLOWS} real ones)`);

const { resolveWorkspace } = await dist('src/config/workspace.js');
const { loadWorkflow } = await dist('src/config/definitions.js');
const { chooseConfig, parseWorkflowEnv } = await dist('src/flow/config.js');
const { openFlow } = await dist('src/flow/start.js');
const { phaseHandler } = await dist('src/flow/phase-runner.js');
const { ok } = await dist('src/flow/session.js');
const { PHASE_CONTRACTS } = await dist('src/flow/constitution.js');
const { runWorkflow, GATE_HANDLERS } = await dist('src/engine/run-workflow.js');
const { refusingAnswerer } = await dist('src/engine/answers.js');

const made = [];
const project = () => {
  const dir = localFlowProject({ 'train.sh': 'echo train\n' });
  made.push(dir);
  return dir;
};

// 1. No-op phases, in process.
const options = { provision: 'auto', sweep: 'skip', wait: 'false', fetch: 'none', teardown: 'keep' };
const signal = new AbortController().signal;

async function noopFlow(dir, withCourt) {
  const ws = resolveWorkspace(undefined, {}, dir);
  const def = loadWorkflow(ws, 'remote-experiment');
  const choice = chooseConfig(ws, {}, dir);
  const opened = openFlow({ ws, def, choice, options, interactive: false, consent: false, version: 'bench', listener: () => {} });
  const s = {
    ws,
    writer: opened.writer,
    signal,
    choice,
    env: parseWorkflowEnv(readFileSync(choice.path, 'utf8'), choice.path),
    options,
    interactive: false,
    consent: false,
    confirm: async () => false,
    start: opened.start,
    startFile: opened.startFile,
    // What P20 would bind (the auditor checks P20 resolved a target); no executor: no phase uses one.
    binding: { target: 'local', source: 'explicit', transport: 'local', pod_id: null, host_key_fingerprint: null, bound_at: new Date().toISOString() },
    exec: null,
    attempt: 1,
    sweep: null,
    tornDown: false,
    halted: null,
    connect: async () => null,
    disconnect: async () => {},
  };
  const noop = withCourt ? phaseHandler(s, async (_s, step) => ok(PHASE_CONTRACTS[step.id].commands[0])) : async () => ({ halt: false, reason: null });
  const handlers = { ...GATE_HANDLERS, ...Object.fromEntries(def.steps.map((st) => [st.kind, noop])) };
  const t = performance.now();
  const result = await runWorkflow({ ws, def, writer: opened.writer, answerer: refusingAnswerer, signal, options }, handlers);
  const ms = performance.now() - t;
  opened.writer.close();
  if (result.status !== 'PASSED') throw new Error(`no-op flow ${result.status}: ${result.reason}`);
  return ms / def.steps.length;
}

const noopDir = project();
await noopFlow(noopDir, true); // warm-up
const court = [];
const bare = [];
for (let i = 0; i < RUNS; i++) {
  court.push(await noopFlow(noopDir, true));
  bare.push(await noopFlow(noopDir, false));
}
const perPhase = median(court);
console.log('1. no-op phases through the engine API (in process)');
console.log(`   engine loop alone (reference)        ${fmt(median(bare))}/phase`);
console.log(`   step events + court + verdict        ${fmt(perPhase)}/phase   (target ≤ 5 ms: ${perPhase <= 5 ? 'met' : 'NOT met'})`);

// 2. `gantry flow --sweep skip` on the local target.
const phases = new Map();
const walls = [];
for (let i = 0; i < FLOWS; i++) {
  const dir = project();
  const t = performance.now();
  execFileSync('node', [GANTRY, 'flow', '--no-tty', '--sweep', 'skip'], { cwd: dir, stdio: 'ignore' });
  walls.push(performance.now() - t);
  const runs = join(dir, 'gantry', 'runs');
  const [run] = execFileSync('ls', [runs], { encoding: 'utf8' }).trim().split('\n');
  const events = readFileSync(join(runs, run, 'record', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const ts = (e) => Date.parse(e.ts);
  for (const started of events.filter((e) => e.type === 'step.started')) {
    const finished = events.find((e) => e.type === 'step.finished' && e.step === started.step);
    const verdict = events.find((e) => e.type === 'court.verdict' && e.step === started.step);
    const p = phases.get(started.step) ?? { work: [], court: [] };
    p.work.push(finished.duration_ms);
    p.court.push(ts(verdict) - ts(started) - finished.duration_ms);
    phases.set(started.step, p);
  }
}
console.log(`2. gantry flow --sweep skip, local target (whole command: ${fmt(median(walls))}; event times have 1 ms resolution)`);
console.log('   phase   work (reference)   court + events');
let work = 0;
let overhead = 0;
for (const [step, p] of phases) {
  work += median(p.work);
  overhead += median(p.court);
  console.log(`   ${step}     ${fmt(median(p.work)).padStart(10)}         ${fmt(median(p.court)).padStart(10)}`);
}
console.log(`   all     ${fmt(work).padStart(10)}         ${fmt(overhead).padStart(10)}   = ${fmt(overhead / phases.size)}/phase beyond the work, ratio to work ${(overhead / work).toFixed(2)}×`);
for (const dir of made) rmSync(dir, { recursive: true, force: true });
