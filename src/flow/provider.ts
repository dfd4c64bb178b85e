import { join } from 'node:path';
import { execa } from 'execa';
import { split } from 'shlex';
import { ProviderOutput, type WorkflowEnv } from '../../contracts/flow.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { SHIPPED_CONFIGS } from '../config/package-root.js';
import { shQuote } from '../exec/quote.js';

/**
 * The provider port: rents a pod and gives it back. The `command` provider runs three configured
 * commands locally (split like a shell would, never run through one): provision prints JSON with the
 * target and the pod id; status and teardown get the pod id as `{pod_id}` and $GANTRY_POD_ID.
 */
export interface Provider {
  readonly name: string;
  readonly provisionCommand: string;
  provision(signal: AbortSignal, log: (line: string) => void): Promise<ProviderOutput>;
  status(podId: string, signal: AbortSignal, log: (line: string) => void): Promise<string>;
  teardown(podId: string, signal: AbortSignal, log: (line: string) => void): Promise<void>;
}

/** The `lium` preset: the command provider with an adapter script around the lium CLI. */
function liumPreset(): { provision: string; status: string; teardown: string } {
  const script = `sh ${shQuote(join(SHIPPED_CONFIGS, 'providers', 'lium.sh'))}`;
  return { provision: `${script} provision`, status: `${script} status {pod_id}`, teardown: `${script} teardown {pod_id}` };
}

export function providerFor(env: WorkflowEnv, cwd: string): Provider {
  const preset = env.PROVIDER === 'lium' ? liumPreset() : { provision: '', status: '', teardown: '' };
  const commands = {
    provision: env.PROVISION_CMD || preset.provision,
    status: env.STATUS_CMD || preset.status,
    teardown: env.TEARDOWN_CMD || preset.teardown,
  };
  const timeoutMs = Number(env.PROVISION_TIMEOUT_SECS) * 1000;
  const run = async (what: keyof typeof commands, podId: string | null, signal: AbortSignal, log: (line: string) => void) => {
    const line = commands[what];
    if (!line)
      throw new GantryError(ExitCode.INVALID_INPUT, `no ${what} command for provider ${env.PROVIDER}`, {
        hint: `set ${what.toUpperCase()}_CMD in workflow.env (or PROVIDER=lium)`,
      });
    const argv = split(line).map((w) => (podId === null ? w : w.split('{pod_id}').join(podId)));
    log(`$ ${argv.join(' ')}`);
    const r = await execa(argv[0]!, argv.slice(1), {
      cwd,
      env: { ...env, GANTRY_POD_ID: podId ?? '' },
      timeout: timeoutMs,
      cancelSignal: signal,
      reject: false,
      stdin: 'ignore',
    });
    for (const l of `${r.stdout}\n${r.stderr}`.split('\n')) if (l.trim()) log(l);
    if (r.isCanceled) throw new GantryError(ExitCode.INTERRUPTED, `provider ${what} canceled`);
    if (r.timedOut) throw new GantryError(ExitCode.TIMEOUT, `provider ${what} timed out after ${env.PROVISION_TIMEOUT_SECS}s`, { where: line });
    if (r.exitCode !== 0)
      throw new GantryError(ExitCode.FAILED, `provider ${what} failed (exit ${r.exitCode ?? r.signal ?? r.shortMessage}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`, {
        where: line,
      });
    return r.stdout;
  };
  return {
    name: env.PROVIDER,
    provisionCommand: commands.provision,
    async provision(signal, log) {
      const stdout = await run('provision', null, signal, log);
      const json = stdout
        .split('\n')
        .reverse()
        .map((l) => l.trim())
        .find((l) => l.startsWith('{'));
      const parsed = ProviderOutput.safeParse(json ? safeJson(json) : undefined);
      if (!parsed.success)
        throw new GantryError(ExitCode.FAILED, 'the provision command did not print a JSON object with "target" and "pod_id" on its last JSON line', {
          where: commands.provision,
          hint: 'print e.g. {"target":"ssh://root@1.2.3.4:22","pod_id":"abc"} on stdout',
        });
      return parsed.data;
    },
    status: (podId, signal, log) => run('status', podId, signal, log),
    async teardown(podId, signal, log) {
      await run('teardown', podId, signal, log);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
