import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { courtLine, flowProject, PHASES, phaseLine } from '../flow/harness.js';
import { tmp } from '../support/gantry.js';
import { privateTmux } from '../support/private-tmux.js';
import { chaosSeed, checkRecords, latestRun, readEventsOf, readJson, rngFor, running } from './support.js';

/**
 * The external auditor (WF_SUBAGENT_VALIDATOR_CMD) misbehaving at a random phase of a flow — hanging,
 * crashing, printing garbage, writing a garbage, wrongly shaped or missing verdict. The court fails
 * closed every time: `unverified`, the flow halts there with exit code 8, and the phase's verdict file
 * names the violated law and the next command.
 */
const SEED = chaosSeed('auditor');

/**
 * The auditor: `auditor.sh <bad phase> <misbehaviour> --evidence E --output O --phase P`. It passes every
 * other phase with a well-formed verdict, and misbehaves at the bad one.
 */
const AUDITOR = `bad=$1 mode=$2; shift 2
while [ $# -gt 1 ]; do case $1 in --output) out=$2 ;; --phase) phase=$2 ;; esac; shift 2; done
verdict() { printf '{"phase":"%s","status":"%s","pass":%s,"violations":[],"violated_laws":[],"checked_at":"2026-01-01T00:00:00.000Z","engine":"chaos-auditor","remediation":null}\\n' "$1" "$2" "$3" >"$out"; }
[ "$phase" = "$bad" ] || { verdict "$phase" pass true; exit 0; }
case $mode in
hang) sleep 30 ;;
exit-leaving-child) sleep 30 & exit 0 ;;
pass-leaving-child) verdict "$phase" pass true; sleep 30 & echo $! >>"$CHILDREN"; exit 0 ;;
crash-signal) kill -SEGV $$ ;;
crash-garbage) head -c 3000000 /dev/zero | tr '\\0' '\\377'; printf '\\033[31mTraceback (most recent call last):\\n' >&2; exit 3 ;;
garbage-verdict) printf 'VERDICT: looks fine to me {{{' >"$out" ;;
wrong-shape) printf '{"ok": true, "phase": "%s"}' "$phase" >"$out" ;;
wrong-phase) verdict P42 pass true ;;
inconsistent) verdict "$phase" pass false ;;
no-verdict) echo "PASS" ;;
esac
`;

/** Each misbehaviour and what the constitutional verdict must say about it. */
const CASES: { mode: string; says: RegExp }[] = [
  { mode: 'hang', says: /auditor timed out after 2s/ },
  { mode: 'exit-leaving-child', says: /auditor exited 0 without writing .*: \(no output\)/ },
  { mode: 'crash-signal', says: /auditor was killed by SIGSEGV before giving a verdict/ },
  { mode: 'crash-garbage', says: /auditor exited 3 without writing .*: Traceback \(most recent call last\):$/ },
  { mode: 'garbage-verdict', says: /auditor verdict is not JSON/ },
  { mode: 'wrong-shape', says: /auditor verdict does not match the verdict schema/ },
  { mode: 'wrong-phase', says: /auditor judged phase P42, not P\d\d/ },
  { mode: 'inconsistent', says: /auditor verdict is inconsistent: status pass but pass=false/ },
  { mode: 'no-verdict', says: /auditor exited 0 without writing .*: PASS/ },
];

describe('chaos: the external auditor misbehaves at a random phase', () => {
  const tmux = privateTmux();
  afterAll(() => tmux.stop());
  const auditor = join(tmp(), 'auditor.sh');
  writeFileSync(auditor, AUDITOR);

  /** Runs a flow whose auditor misbehaves at `bad`; checks the halt, the verdict files and the record. */
  async function haltsAt(bad: string, command: string, says: RegExp): Promise<void> {
    const p = await flowProject({ LIUM_TARGET: 'local', WF_SUBAGENT_VALIDATOR_CMD: command, WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS: '2' });
    const r = await p.flow(['--sweep', 'skip'], tmux.env);
    expect(r.code, r.stdout).toBe(8);
    expect(courtLine(r.stdout, bad)).toMatch(new RegExp(`^PHASE=${bad} COURT=fail DET=pass CONST=unverified VERDICT=`));
    expect(r.stdout).toContain(`FIRST_FAILING_PHASE=${bad} CODE=105`);
    // Every phase before passed its court; none after ran.
    const at = PHASES.indexOf(bad);
    for (const ph of PHASES.slice(0, at)) expect(courtLine(r.stdout, ph)).toMatch(/COURT=pass DET=pass CONST=pass/);
    for (const ph of PHASES.slice(at + 1)) expect(phaseLine(r.stdout, ph)).toBeUndefined();

    checkRecords(p.runs);
    const run = latestRun(p.runs);
    const phases = join(run, 'record', 'phases');
    const constitutional = readJson(join(phases, `phase.${bad}.constitutional.json`));
    expect(constitutional).toMatchObject({ phase: bad, status: 'unverified', pass: false, violated_laws: ['LAW_9_PHASE_END_CONSTITUTIONAL_VALIDATION'] });
    expect(constitutional.violations.join('\n')).toMatch(says);
    const verdict = readJson(join(phases, `phase.${bad}.verdict.json`));
    expect(verdict).toMatchObject({ phase: bad, verdict: 'unverified', det: 'pass', const: 'unverified', enforced: true });
    expect(verdict.violated_laws).toContain('LAW_9_PHASE_END_CONSTITUTIONAL_VALIDATION');
    expect(verdict.next_command).toMatch(/check WF_SUBAGENT_VALIDATOR_CMD .* then: gantry flow/);
    expect(readJson(join(run, 'record', 'RUN.json')).status).toBe('FAILED');
    expect(readJson(join(run, 'record', 'flow.summary.json'))).toMatchObject({ status: 'failed', first_failing_phase: bad, first_failing_code: 105 });
    // However much garbage the auditor printed, the record holds a short, printable excerpt of it.
    for (const f of ['RUN.json', 'events.jsonl', `phases/phase.${bad}.verdict.json`]) {
      const text = readFileSync(join(run, 'record', f), 'utf8');
      expect(text.length).toBeLessThan(100_000);
      expect(text).not.toMatch(/\u001b|\\u001b|\ufffd/);
    }
    const events = readEventsOf(run);
    expect(events.filter((e) => e.type === 'step.started').map((e) => e.step)).toEqual(PHASES.slice(0, at + 1));
    expect(events.find((e) => e.type === 'error.recorded' && e.tier === 'policy' && e.step === bad)?.message).toMatch(/court unverified \(code 105\)/);
  }

  for (const c of CASES) {
    it(`${c.mode}: unverified and a halt (exit 8) at that phase`, async () => {
      const bad = PHASES[rngFor(SEED, c.mode).int(0, PHASES.length - 1)]!;
      console.log(`[chaos] auditor ${c.mode} at ${bad}`);
      await haltsAt(bad, `sh ${auditor} ${bad} ${c.mode}`, c.says);
    });
  }

  it('an auditor that gives its verdict and leaves a child running: the verdict counts, the child is ended', async () => {
    const children = join(tmp(), 'children');
    const p = await flowProject({ LIUM_TARGET: 'local', WF_SUBAGENT_VALIDATOR_CMD: `sh ${auditor} P10 pass-leaving-child`, WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS: '20' });
    const t0 = Date.now();
    const r = await p.flow(['--sweep', 'skip'], { ...tmux.env, CHILDREN: children });
    expect(r.code, r.stdout).toBe(0);
    expect(courtLine(r.stdout, 'P10')).toMatch(/COURT=pass DET=pass CONST=pass/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const pids = readFileSync(children, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(pids).toHaveLength(1);
    expect(running(pids[0]!)).toBe(false);
  });

  it('an auditor that cannot be started: unverified and a halt at the first phase', async () => {
    await haltsAt('P00', join(tmp(), 'no-such-auditor'), /auditor could not run/);
  });
});
