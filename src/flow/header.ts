import type { FlowStart } from '../../contracts/flow.js';

/** The constitutional header (seeds/README.md), as the fields of a `run.header` event. */
export function headerFields(start: FlowStart, attempt: number): Record<string, string> {
  return {
    constitution_version: start.constitution_version,
    config_path: start.active_config_path,
    config_sha256: start.active_config_sha256,
    override: start.override ? '1' : '0',
    target: start.target ?? '(autobind at P20)',
    target_source: start.target_source,
    transport: start.transport,
    remote_env_path: start.remote_env_path,
    fsm_state_file: start.fsm_state_file,
    flow_id: start.flow_id,
    attempt: String(attempt),
  };
}

const ORDER: [string, string][] = [
  ['constitution_version', 'WF_CONSTITUTION_VERSION'],
  ['config_path', 'ACTIVE_CONFIG'],
  ['config_sha256', 'ACTIVE_CONFIG_SHA256'],
  ['override', 'WF_ALLOW_OVERRIDE_ACTIVE'],
  ['target', 'TARGET'],
  ['target_source', 'TARGET_SOURCE'],
  ['transport', 'TRANSPORT'],
  ['remote_env_path', 'REMOTE_ENV'],
  ['fsm_state_file', 'FSM_STATE_FILE'],
  ['flow_id', 'FLOW_ID'],
  ['attempt', 'ATTEMPT'],
];

/** Plain-text header: `KEY=value` lines, the full block first and then only what changed (P20 binding). */
export function renderHeader(fields: Record<string, string>): string {
  const known = new Map(ORDER);
  const lines = ORDER.filter(([k]) => k in fields).map(([k, name]) => `${name}=${fields[k]}`);
  for (const [k, v] of Object.entries(fields)) if (!known.has(k)) lines.push(`${k.toUpperCase()}=${v}`);
  return 'flow_id' in fields ? ['== gantry flow: constitutional header ==', ...lines].join('\n') : lines.join('\n');
}
