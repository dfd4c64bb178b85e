/**
 * Questions the transport may need a person to answer. Only given when someone can answer (a terminal);
 * without one, gantry refuses instead of waiting on stdin (DESIGN.md §5).
 */
export interface Prompter {
  /** An unknown host key: true to trust it (it is then recorded in known_hosts). */
  confirmHostKey(q: { name: string; keyType: string; fingerprint: string; otherTypes: string[] }): Promise<boolean>;
  /** The passphrase of an encrypted private key; undefined to skip the key. Never logged. */
  passphrase(keyPath: string): Promise<string | undefined>;
}
