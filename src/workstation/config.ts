import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { WorkstationConfig } from '../../contracts/workstation.js';
import type { Workspace } from '../config/workspace.js';
import { parseTomlFile } from '../config/toml-file.js';

const CONFIG_NAME = 'workstation.toml';

export const workstationConfigPath = (ws: Workspace) => join(ws.root, CONFIG_NAME);

/** `<workspace>/workstation.toml`, or every default when the file does not exist. */
export function loadWorkstationConfig(ws: Workspace): WorkstationConfig {
  const file = workstationConfigPath(ws);
  if (!existsSync(file)) return WorkstationConfig.parse({});
  return parseTomlFile(file, WorkstationConfig, 'workstation config', 'workstation-config');
}

export interface WorkflowSettings {
  /** The configured base argv, or [] when the arguments after `--` are the whole command. */
  base: string[];
  requireDq: boolean;
  reportDir: string;
  reportName: string;
}

export function workflowSettings(config: WorkstationConfig, workflow: string): WorkflowSettings {
  const w = config.workflows[workflow];
  return {
    base: w?.command ?? [],
    requireDq: w?.require_dq ?? false,
    reportDir: w?.report_dir ?? '.',
    reportName: w?.report_name ?? '*report*.json',
  };
}

/** The data-quality command for an input CSV: `{input_csv}` replaced, or the CSV appended. */
export function dataQualityArgv(config: WorkstationConfig, inputCsv: string, ws: Workspace): string[] {
  const argv = config.data_quality.command;
  if (!argv)
    throw new GantryError(ExitCode.INVALID_INPUT, '--dq-input-csv was given but no data-quality command is configured', {
      where: workstationConfigPath(ws),
      hint: 'add [data_quality] command = ["python", "scripts/data_quality_gate.py", "--input-csv", "{input_csv}"]',
    });
  return argv.some((a) => a.includes('{input_csv}')) ? argv.map((a) => a.split('{input_csv}').join(inputCsv)) : [...argv, inputCsv];
}

/** Where the project is checked out on a remote host: [hosts."<target>"], else [remote]. */
export function remoteProjectDir(config: WorkstationConfig, target: string, ws: Workspace): string {
  const dir = config.hosts[target]?.project_dir ?? config.remote.project_dir;
  if (!dir)
    throw new GantryError(ExitCode.INVALID_INPUT, `no project folder is configured for host ${target}`, {
      where: workstationConfigPath(ws),
      hint: `add [hosts."${target}"] project_dir = "~/your-project" (or [remote] project_dir = ...)`,
    });
  return dir;
}
