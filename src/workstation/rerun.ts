import type { RunContextFile } from '../../contracts/workstation.js';
import { shCommand } from '../exec/index.js';

/** The official-run command that repeats a run under a new tag (an audit record is never patched after the fact). */
export function rerunCommand(c: RunContextFile | null): string {
  if (!c) return 'gantry official-run --workflow <workflow> --tag <new tag> --owner <you> -- <args>';
  const dq = c.data_quality;
  return shCommand([
    'gantry',
    'official-run',
    '--workflow',
    c.workflow,
    '--tag',
    `${c.tag}_rerun`,
    '--owner',
    c.owner,
    ...(c.notes ? ['--notes', c.notes] : []),
    ...(c.threads ? ['--threads', String(c.threads)] : []),
    ...(dq.input_csv ? ['--dq-input-csv', dq.input_csv] : dq.status === 'skipped' && dq.skip_reason ? ['--skip-dq', '--skip-reason', dq.skip_reason] : []),
    ...(c.target === 'local' ? [] : ['--host', c.target]),
    '--',
    ...c.args,
  ]);
}
