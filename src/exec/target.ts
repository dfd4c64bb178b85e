import { ExitCode, GantryError } from '../../contracts/errors.js';

/** A target as written, before ~/.ssh/config is consulted. */
export type TargetSpec = { kind: 'local' } | { kind: 'ssh'; host: string; user: string | undefined; port: number | undefined };

const FORMS = 'local, ssh://[user@]host[:port], [user@]host[:port] or a Host alias from your ssh config';
// [user@]host[:port]; an IPv6 address needs brackets, as in ssh://.
const PLAIN = /^(?:([^@\s/]+)@)?(\[[0-9A-Fa-f:.%\w]+\]|[^\s:@/[\]]+)(?::(\d+))?$/;

function bad(text: string, why: string): GantryError {
  return new GantryError(ExitCode.USAGE, `"${text}" is not a target: ${why}`, { hint: `use ${FORMS}` });
}

function port(text: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw bad(text, `port ${raw} is outside 1-65535`);
  return n;
}

const unbracket = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

export function parseTarget(text: string): TargetSpec {
  if (text === 'local') return { kind: 'local' };
  if (text.startsWith('ssh://')) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw bad(text, 'not a valid ssh:// URL');
    }
    if (url.hostname === '') throw bad(text, 'no host');
    if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) throw bad(text, 'ssh:// takes no path');
    if (url.password) throw bad(text, 'passwords in targets are not supported; use a key or ssh-agent');
    return {
      kind: 'ssh',
      host: unbracket(url.hostname),
      user: url.username ? decodeURIComponent(url.username) : undefined,
      port: port(text, url.port),
    };
  }
  const m = PLAIN.exec(text);
  if (!m) throw bad(text, 'unrecognised form');
  return { kind: 'ssh', host: unbracket(m[2]), user: m[1], port: port(text, m[3]) };
}
