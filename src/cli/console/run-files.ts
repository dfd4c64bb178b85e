import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RunRecord } from '../../../contracts/run.js';
import { loadGateContract, loadWorkflow } from '../../config/definitions.js';
import type { Workspace } from '../../config/workspace.js';
import { pathVars } from '../../engine/gate-ops.js';
import { resolveOutputPath } from '../../engine/output-paths.js';
import type { ConsoleStore } from '../../../state/store.js';

/**
 * Facts the screens show that live in files, not in events: prompt packets, whether each required
 * output exists yet (the packet screen's live ✓/✗), and the remediation a verdict file gives.
 * Polled, so it works the same for a run of this process and one followed from another.
 */
export function watchRunFiles(store: ConsoleStore, ws: Workspace, runDir: string, everyMs = 400): { stop(): void } {
  const outputs = new Map<string, { display: string; abs: string }[]>();
  const verdictsRead = new Set<string>();

  const refresh = () => {
    const s = store.getState();
    const run = s.run;
    if (!run) return;
    for (const g of Object.values(s.gates)) {
      if (g.packet === null) {
        const text = readText(join(runDir, g.packetPath));
        if (text !== undefined) s.setGatePacket(g.gate, text);
      }
      const key = `${g.gate}#${g.attempt}`;
      if (!outputs.has(key)) outputs.set(key, requiredOutputs(ws, run, runDir, g.gate));
      s.setGateOutputs(g.gate, outputs.get(key)!.map((o) => ({ path: o.display, exists: isFile(o.abs) })));
    }
    for (const v of Object.values(s.verdicts)) {
      const key = `${v.step}#${v.seq}`;
      if (verdictsRead.has(key)) continue;
      verdictsRead.add(key);
      const remediation = remediationOf(runDir, v.verdict_file);
      if (remediation) s.setRemediation(v.step, remediation);
    }
  };

  const timer = setInterval(refresh, everyMs);
  timer.unref();
  refresh();
  return { stop: () => clearInterval(timer) };
}

function requiredOutputs(ws: Workspace, run: RunRecord, runDir: string, gate: string): { display: string; abs: string }[] {
  try {
    const step = loadWorkflow(ws, run.workflow.name).steps.find((x) => x.id === gate);
    if (!step?.contract) return [];
    const vars = pathVars(run, runDir);
    return loadGateContract(ws, step.contract).contract.required_outputs.map((t) => {
      const p = resolveOutputPath(t, vars, ws.projectRoot);
      return { display: p.display, abs: p.abs };
    });
  } catch {
    // A contract that no longer loads: the engine reports it; the screen shows no outputs.
    return [];
  }
}

/** The verdict JSON's `remediation` (text or list), looked up beside the run folder and its record/. */
function remediationOf(runDir: string, verdictFile: string): string | undefined {
  const candidates = isAbsolute(verdictFile) ? [verdictFile] : [join(runDir, verdictFile), join(runDir, 'record', verdictFile)];
  for (const path of candidates) {
    const text = readText(path);
    if (text === undefined) continue;
    try {
      const r = (JSON.parse(text) as { remediation?: unknown }).remediation;
      if (typeof r === 'string' && r) return r;
      if (Array.isArray(r) && r.length) return r.map(String).join('; ');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
