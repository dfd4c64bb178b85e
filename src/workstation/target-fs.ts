import { posix } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { Executor, RunResult } from '../exec/index.js';

const NOT_THERE = 3;
/** GNU coreutils, else the BSD/macOS tool. */
const HASHER = 'if command -v sha256sum >/dev/null 2>&1; then h=sha256sum; else h="shasum -a 256"; fi';

/**
 * Files on a target (local or ssh) through the Executor port alone, so every audit-folder operation is
 * the same code on every target. Each operation is one small POSIX sh script with its paths passed as
 * positional arguments (quoted by the executor), never spliced into the script. The `read…`, `list`,
 * `exists`, `checksums` and `alive` operations only read.
 */
export class TargetFs {
  private homeDir: string | undefined;

  constructor(readonly exec: Executor) {}

  get target(): string {
    return this.exec.target;
  }

  private async sh(script: string, args: readonly string[], what: string, stdin?: string): Promise<RunResult> {
    const r = await this.exec.run(['sh', '-c', script, 'sh', ...args], stdin === undefined ? {} : { stdin });
    if (r.exitCode !== 0 && r.exitCode !== NOT_THERE)
      throw new GantryError(ExitCode.FAILED, `${what} failed on ${this.target} (exit ${r.exitCode ?? r.signal}): ${r.stderr.toString('utf8').trim()}`, {
        where: `${this.target}:${args[0] ?? ''}`,
      });
    return r;
  }

  /** The target user's home folder. */
  async home(): Promise<string> {
    this.homeDir ??= (await this.sh('printf %s "$HOME"', [], 'reading $HOME')).stdout.toString('utf8');
    return this.homeDir;
  }

  /** `~` and `~/x` made absolute with the target's home; anything else as given. */
  async absolute(path: string): Promise<string> {
    if (path === '~') return this.home();
    if (path.startsWith('~/')) return posix.join(await this.home(), path.slice(2));
    return path;
  }

  async exists(path: string): Promise<boolean> {
    return (await this.sh('[ -e "$1" ] || exit 3', [path], `checking ${path}`)).exitCode === 0;
  }

  /** Names in a folder, sorted; [] when the folder does not exist. */
  async list(dir: string): Promise<string[]> {
    const r = await this.sh('[ -d "$1" ] || exit 3; ls -1A "$1"', [dir], `listing ${dir}`);
    return r.stdout.toString('utf8').split('\n').filter(Boolean).sort();
  }

  /** A file's text, or null when it does not exist. */
  async readText(path: string): Promise<string | null> {
    const r = await this.sh('[ -f "$1" ] || exit 3; cat "$1"', [path], `reading ${path}`);
    return r.exitCode === 0 ? r.stdout.toString('utf8') : null;
  }

  /** Up to `max` bytes from byte `offset`, and the file's size; null when the file does not exist. */
  async readFrom(path: string, offset: number, max: number): Promise<{ size: number; data: Buffer } | null> {
    const r = await this.sh(
      '[ -f "$1" ] || exit 3; size=$(wc -c <"$1" | tr -d " "); echo "$size"; [ "$size" -gt "$2" ] && tail -c +"$(($2 + 1))" "$1" | head -c "$3"; exit 0',
      [path, String(offset), String(max)],
      `reading ${path}`,
    );
    if (r.exitCode !== 0) return null;
    const nl = r.stdout.indexOf(0x0a);
    return { size: Number(r.stdout.subarray(0, nl).toString('utf8')), data: r.stdout.subarray(nl + 1) };
  }

  /** Writes a file whole (temp file + rename, parents created): a reader never sees half of it. */
  async writeText(path: string, text: string): Promise<void> {
    await this.sh('mkdir -p "$(dirname "$1")" && cat >"$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"', [path], `writing ${path}`, text);
  }

  /** Creates a folder that must not exist yet (parents created); false when it already exists. */
  async makeNewDir(path: string): Promise<boolean> {
    const r = await this.sh('mkdir -p "$(dirname "$1")" && { mkdir "$1" 2>/dev/null || exit 3; }', [path], `creating ${path}`);
    return r.exitCode === 0;
  }

  /** SHA-256 of every file below `dir`, by path relative to it. */
  async checksums(dir: string): Promise<Map<string, string>> {
    const r = await this.sh(`cd "$1" || exit 3; ${HASHER}; find . -type f -exec $h {} +`, [dir], `hashing ${dir}`);
    if (r.exitCode !== 0) throw new GantryError(ExitCode.NOT_FOUND, `no folder ${dir} on ${this.target}`, { where: `${this.target}:${dir}` });
    const sums = new Map<string, string>();
    for (const line of r.stdout.toString('utf8').split('\n')) {
      const m = /^([0-9a-f]{64}) [ *]\.\/(.+)$/.exec(line);
      if (m) sums.set(m[2]!, m[1]!);
    }
    return sums;
  }

  /** SHA-256 of one file; null when it does not exist. */
  async sha256(path: string): Promise<string | null> {
    const r = await this.sh(`[ -f "$1" ] || exit 3; ${HASHER}; $h "$1"`, [path], `hashing ${path}`);
    return r.exitCode === 0 ? r.stdout.toString('utf8').slice(0, 64) : null;
  }
}
