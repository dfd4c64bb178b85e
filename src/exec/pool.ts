import type { Executor } from './executor.js';
import { LocalExecutor } from './local-executor.js';
import { describeEndpoint, resolveSshEndpoint, type SshEndpoint } from './ssh-config.js';
import { SshConnection, type SshOptions } from './ssh-connection.js';
import { SshExecutor } from './ssh-executor.js';
import { parseTarget } from './target.js';

export type ExecutorOptions = Partial<SshOptions>;

const endpointKey = (e: SshEndpoint): string => describeEndpoint(e) + (e.jump ? ` via ${endpointKey(e.jump)}` : '');

/**
 * Hands out one executor per target and one SSH connection per endpoint, however many target strings
 * name it (an alias and `user@host:port` share a connection). Close it when the run ends.
 */
export class ExecutorPool {
  private readonly connections = new Map<string, SshConnection>();
  private readonly opts: SshOptions;

  constructor(opts: ExecutorOptions = {}) {
    this.opts = { ...opts, env: opts.env ?? process.env };
  }

  /**
   * The executor for `local`, `ssh://[user@]host[:port]`, `[user@]host[:port]` or an ssh config alias.
   * Resolution happens now (bad targets throw GantryError); connecting happens on first use.
   */
  get(target: string): Executor {
    const spec = parseTarget(target);
    if (spec.kind === 'local') return new LocalExecutor();
    const endpoint = resolveSshEndpoint(spec, this.opts.env);
    const key = endpointKey(endpoint);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = new SshConnection(endpoint, this.opts);
      this.connections.set(key, connection);
    }
    return new SshExecutor(target, connection);
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
