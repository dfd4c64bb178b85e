import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { split } from 'shlex';
import { ProviderOutput, type WorkflowEnv } from '../../contracts/flow.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { SHIPPED_CONFIGS } from '../config/package-root.js';
import { shQuote } from '../exec/quote.js';
import { withOutputFile } from './output-file.js';

/**
 * The provider port: rents a pod and gives it back. The `command` provider runs three configured
 * commands locally (split like a shell would, never run through one): provision prints JSON with the
 * target and the pod id; status and teardown get the pod id as `{pod_id}` and $GANTRY_POD_ID.
 * provision gets an idempotency key as $GANTRY_PROVISION_KEY: the same for every attempt of one flow, so
 * a provider that returns the pod it already rented for a key never rents twice when gantry died while
 * the first request was under way.
 */
export interface Provider {
  readonly name: string;
  readonly provisionCommand: string;
  provision(key: string, signal: AbortSignal, log: (line: string) => void): Promise<ProviderOutput>;
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
  const run = async (what: keyof typeof commands, podId: string | null, signal: AbortSignal, log: (line: string) => void, key = '') => {
    const line = commands[what];
    if (!line)
      throw new GantryError(ExitCode.INVALID_INPUT, `no ${what} command for provider ${env.PROVIDER}`, {
        hint: `set ${what.toUpperCase()}_CMD in workflow.env (or PROVIDER=lium)`,
      });
    const argv = split(line).map((w) => (podId === null ? w : w.split('{pod_id}').join(podId)));
    log(`$ ${argv.join(' ')}`);
    const { r, stdout, stderr } = await runWithOutputInFiles(argv, {
      cwd,
      env: { ...env, GANTRY_POD_ID: podId ?? '', GANTRY_PROVISION_KEY: key },
      timeout: timeoutMs,
      cancelSignal: signal,
    });
    for (const l of `${stdout}\n${stderr}`.split('\n')) if (l.trim()) log(l);
    if (r.isCanceled) throw new GantryError(ExitCode.INTERRUPTED, `provider ${what} canceled`);
    if (r.timedOut) throw new GantryError(ExitCode.TIMEOUT, `provider ${what} timed out after ${env.PROVISION_TIMEOUT_SECS}s`, { where: line });
    if (r.exitCode !== 0)
      throw new GantryError(ExitCode.FAILED, `provider ${what} failed (exit ${r.exitCode ?? r.signal ?? r.shortMessage}): ${stderr.trim().split('\n').at(-1) ?? ''}`, {
        where: line,
      });
    return stdout;
  };
  return {
    name: env.PROVIDER,
    provisionCommand: commands.provision,
    async provision(key, signal, log) {
      const stdout = await run('provision', null, signal, log, key);
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

/**
 * Runs a provider command with its output in files of its own, not pipes through gantry: when gantry
 * dies mid-request the provider still finishes (a pipe would end it with SIGPIPE at its next line of
 * progress, perhaps with a pod half rented), and the resumed flow asks again with the same key.
 */
async function runWithOutputInFiles(argv: string[], opts: { cwd: string; env: Record<string, string>; timeout: number; cancelSignal: AbortSignal }) {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-provider-'));
  const [outFile, errFile] = [join(dir, 'stdout'), join(dir, 'stderr')];
  try {
    const r = await withOutputFile(outFile, (stdout) =>
      withOutputFile(errFile, (stderr) => execa(argv[0]!, argv.slice(1), { ...opts, reject: false, stdin: 'ignore', stdout, stderr })),
    );
    return { r, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
