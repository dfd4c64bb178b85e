import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHIPPED_CONFIGS } from '../config/package-root.js';
import { shCommand } from '../exec/index.js';

let text: string | undefined;
const runnerScript = () => (text ??= readFileSync(join(SHIPPED_CONFIGS, 'workstation-runner.sh'), 'utf8'));

/** The tracked task's command: configs/workstation-runner.sh with the run's audit folder and report settings. */
export function runnerCommand(auditDir: string, projectDir: string, reportDir: string, reportName: string): string {
  return shCommand(['sh', '-c', runnerScript(), 'gantry-runner', auditDir, projectDir, reportDir, reportName]);
}
