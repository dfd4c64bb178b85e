import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { GovernanceAuditCheck, type RemediationPlan } from '../../contracts/workstation.js';
import { writeFileAtomic, writeJsonAtomic } from '../records/atomic.js';
import { redactString } from '../records/redact.js';
import { AUDIT_FILES, parseProblem } from './audit-folder.js';

export function readAuditCheck(path: string): GovernanceAuditCheck {
  if (!existsSync(path))
    throw new GantryError(ExitCode.NOT_FOUND, `no governance audit check at ${path}`, { hint: 'write one with `gantry audit check --run-dir <dir>`' });
  try {
    return GovernanceAuditCheck.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `${path} is not a governance audit check: ${parseProblem(e)}`, {
      where: path,
      hint: 'write it again with `gantry audit check --run-dir <dir>`',
    });
  }
}

export function planRemediation(auditJson: string, check: GovernanceAuditCheck): RemediationPlan {
  const items = check.checks
    .filter((c) => !c.ok)
    .map((c) => ({ check: c.id, problem: c.detail, file: c.file, command: c.fix ?? 'see the check' }));
  return { ok: items.length === 0, generated_at: new Date().toISOString(), audit_json: auditJson, run_dir: check.run_dir, items };
}

export function remediationMarkdown(plan: RemediationPlan): string {
  const lines = [`# Governance remediation plan`, '', `- run folder: \`${plan.run_dir}\``, `- audit check: \`${plan.audit_json}\``, `- generated: ${plan.generated_at}`, ''];
  if (plan.ok) lines.push('Nothing to fix: every governance check passed.', '');
  plan.items.forEach((item, i) => {
    lines.push(`## ${i + 1}. ${item.check}`, '', `Problem: ${item.problem}`, '');
    if (item.file) lines.push(`File: \`${item.file}\``, '');
    lines.push('Fix:', '', '```sh', item.command, '```', '');
  });
  return lines.join('\n');
}

/**
 * Reads governance_audit_check.json and writes governance_remediation_plan.json and .md beside it:
 * one item per failed check, each with the command that fixes it.
 */
export function writeRemediationPlan(auditJson: string): { plan: RemediationPlan; json: string; md: string } {
  const plan = planRemediation(auditJson, readAuditCheck(auditJson));
  const json = join(dirname(auditJson), AUDIT_FILES.planJson);
  const md = join(dirname(auditJson), AUDIT_FILES.planMd);
  writeJsonAtomic(json, plan);
  writeFileAtomic(md, redactString(remediationMarkdown(plan)));
  return { plan, json, md };
}
