import picomatch from 'picomatch';
import type { Scope } from '../../contracts/work-item.js';

export interface ScopeResult {
  files: string[];
  /** Changed files no `scope.allow` glob matches. */
  outside_allow: string[];
  /** Changed files a `scope.deny` glob matches (deny wins over allow). */
  inside_deny: string[];
  pass: boolean;
}

/** Globs match repository-relative paths; `*` stays inside a folder, `**` crosses folders, dotfiles match. */
const matcher = (globs: string[]) => (globs.length ? picomatch(globs, { dot: true }) : () => false);

export function checkScope(files: string[], scope: Scope): ScopeResult {
  const allowed = matcher(scope.allow);
  const denied = matcher(scope.deny);
  const outside_allow = files.filter((f) => !allowed(f));
  const inside_deny = files.filter((f) => denied(f));
  return { files, outside_allow, inside_deny, pass: outside_allow.length === 0 && inside_deny.length === 0 };
}
