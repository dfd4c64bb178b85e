/**
 * Secrets never reach a record or a log. Three nets: values of keys whose names look secret, literal
 * values of secret-looking environment variables (registered at start-up and by config loaders), and
 * well-known token shapes anywhere in a string.
 */
export const REDACTED = '[REDACTED]';

const SECRET_KEY = /(_KEY|_TOKEN|_SECRET|PASSWORD|PASSWD|PASSPHRASE|^KEY$|^TOKEN$|^SECRET$|_PAT$|CREDENTIALS?$)/i;
/** Keys that end in _KEY but name a path or an id, not a secret. */
const NOT_SECRET_KEY = /(_KEY_PATH|_KEY_FILE|_KEY_ID|PUBLIC_KEY|HOST_KEY|_KEYS?_DIR)$/i;

const TOKEN_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g,
  /\bhf_[A-Za-z0-9]{30,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g,
];
/** `NAME=value` and `--name value|=value` where NAME looks secret, inside command lines and logs. */
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"']+)/g;
const FLAG = /(--[A-Za-z0-9-]*(?:token|secret|password|passwd|api-key|apikey)[A-Za-z0-9-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)/gi;
/** URL credentials: scheme://user:password@host */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi;
/** The shapes above, for checks that report credentials instead of scrubbing them (public-safety lint). */
export const CREDENTIAL_SHAPES: readonly RegExp[] = [...TOKEN_SHAPES, URL_CREDENTIALS];

const knownSecrets = new Set<string>();

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}

/** Registers a literal value to scrub wherever it appears (config values, env values, passphrases). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/** Registers every secret-looking variable of an environment (process.env, workflow.env). */
export function registerSecretsFrom(env: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(env)) if (isSecretKey(k)) registerSecret(v);
}

export function redactString(s: string): string {
  let out = s;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const re of TOKEN_SHAPES) out = out.replace(re, REDACTED);
  out = out.replace(ASSIGNMENT, (m, k: string) => (isSecretKey(k) ? `${k}=${REDACTED}` : m));
  out = out.replace(FLAG, (_m, flag: string, sep: string) => `${flag}${sep}${REDACTED}`);
  out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  return out;
}

export function redactDeep<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return redactString(v);
  if (Array.isArray(v)) return v.map(walk);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) && typeof x === 'string' && x !== '' ? REDACTED : walk(x);
    return out;
  }
  return v;
}

registerSecretsFrom(process.env);
