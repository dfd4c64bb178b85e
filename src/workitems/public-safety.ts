import { isIPv4, isIPv6 } from 'node:net';
import picomatch from 'picomatch';
import type { PublicSafety } from '../../contracts/gate-registry.js';
import { CREDENTIAL_SHAPES, isSecretKey } from '../records/redact.js';

/**
 * The seed's public-safety rule for contracts, attestations and anything published: no internal host
 * names or IPs, no credentials, no personal home-directory paths.
 */
export type FindingKind = 'ip' | 'internal-host' | 'credential' | 'home-path';

export interface Finding {
  file: string;
  line: number;
  col: number;
  kind: FindingKind;
  /** What was found; credentials are shown masked, never whole. */
  detail: string;
}

const IPV4 = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:.])/gi;
const HOST_TOKEN = /[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?/g;
const HOME_PATHS = [/\/home\/[A-Za-z0-9._-]+/g, /\/Users\/[A-Za-z0-9._-]+/g, /\b[A-Za-z]:\\Users\\[^\\\s"']+/g, /(?<=^|[\s"'=:(,[])~[A-Za-z_][A-Za-z0-9_.-]*(?=\/|$|[\s"',)\]])/g];
/** `name: value`, `name = value`, `NAME=value`, `"name": "value"` where the name looks secret. */
const SECRET_ASSIGNMENT = /(?<![\w-])([A-Za-z_][A-Za-z0-9_-]*)["']?\s*[:=]\s*["']?([^\s"',#}]+)/g;
/** Values that stand for a secret rather than being one: `$VAR`, `${VAR}`, `${{ secrets.X }}`, `<token>`, `***`. */
const PLACEHOLDER = /^(\$|<[^>]*>$|\*+$|x+$|\.\.\.$|changeme$|null$|none$|true$|false$|\[REDACTED\]$)/i;

const mask = (s: string) => (s.length <= 8 ? '****' : `${s.slice(0, 4)}…(${s.length} chars)`);

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const fresh = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = fresh.exec(text); m; m = fresh.exec(text)) {
    yield m;
    if (m[0] === '') fresh.lastIndex++;
  }
}

interface Rules {
  allowed: Set<string>;
  internal: (host: string) => boolean;
}

function lintLine(text: string, { allowed, internal }: Rules): Omit<Finding, 'file' | 'line'>[] {
  const out: Omit<Finding, 'file' | 'line'>[] = [];
  const add = (m: RegExpExecArray, kind: FindingKind, detail: string) => out.push({ col: m.index + 1, kind, detail });
  for (const m of matches(IPV4, text)) if (isIPv4(m[0]) && !allowed.has(m[0])) add(m, 'ip', `IP address ${m[0]}`);
  for (const m of matches(IPV6, text))
    if (/[0-9a-f]/i.test(m[0]) && isIPv6(m[0]) && !allowed.has(m[0].toLowerCase())) add(m, 'ip', `IP address ${m[0]}`);
  for (const m of matches(HOST_TOKEN, text))
    if (/[A-Za-z]/.test(m[0]) && !allowed.has(m[0].toLowerCase()) && internal(m[0])) add(m, 'internal-host', `internal host ${m[0]}`);
  const shaped: [number, number][] = [];
  for (const re of CREDENTIAL_SHAPES)
    for (const m of matches(re, text)) {
      shaped.push([m.index, m.index + m[0].length]);
      add(m, 'credential', `credential-shaped text ${mask(m[0])}`);
    }
  for (const m of matches(SECRET_ASSIGNMENT, text)) {
    const [whole, key, value] = m as unknown as [string, string, string];
    const start = m.index + whole.length - value.length;
    const alreadyShaped = shaped.some(([a, b]) => a < start + value.length && start < b);
    if (isSecretKey(key.replace(/-/g, '_')) && !PLACEHOLDER.test(value) && !alreadyShaped)
      add(m, 'credential', `secret value for ${key}: ${mask(value)}`);
  }
  for (const re of HOME_PATHS) for (const m of matches(re, text)) add(m, 'home-path', `home-directory path ${m[0]}`);
  return out.sort((a, b) => a.col - b.col);
}

/** Every finding in a text, each with its 1-based line and column. */
export function lintPublicSafety(file: string, text: string, cfg: PublicSafety): Finding[] {
  const rules: Rules = {
    allowed: new Set(cfg.allow.map((a) => a.toLowerCase())),
    internal: cfg.internal_hosts.length ? picomatch(cfg.internal_hosts, { nocase: true }) : () => false,
  };
  return text.split('\n').flatMap((line, i) => lintLine(line, rules).map((f) => ({ file, line: i + 1, ...f })));
}

export const renderFinding = (f: Finding) => `${f.file}:${f.line}:${f.col}: ${f.kind}: ${f.detail}`;
