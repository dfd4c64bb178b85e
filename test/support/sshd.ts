import { startSshd as launch } from './sshd-launcher.mjs';

export interface Sshd {
  host: string;
  port: number;
  user: string;
  /** Temporary folder holding every file below; removed by stop(). */
  dir: string;
  /** Private key whose public half is the server's only authorized key. */
  keyPath: string;
  /** A known_hosts file that trusts this server's host key (as `[127.0.0.1]:port`). */
  knownHostsPath: string;
  /** An ssh config with `Host <alias>` (direct) and `Host <jumpAlias>` (ProxyJump through <alias>). */
  sshConfigPath: string;
  alias: string;
  jumpAlias: string;
  /** `ssh-ed25519 AAAA...` of the server. */
  hostPublicKey: string;
  logPath: string;
  pid: number;
  /** GANTRY_SSH_CONFIG / GANTRY_KNOWN_HOSTS pointing at the files above; SSH_AUTH_SOCK emptied; a private TMUX_TMPDIR. */
  env: Record<string, string>;
  /** Kills the sshd processes serving live connections (a network drop); returns how many. */
  killSessionChildren(): number;
  stop(): Promise<void>;
}

/**
 * Starts a real OpenSSH sshd on loopback. A missing sshd is an error, never a skip: CI must run these
 * tests (test/support/system-deps.sh installs it).
 */
export const startSshd = launch as () => Promise<Sshd>;
