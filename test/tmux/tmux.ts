import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { GANTRY_BIN } from '../support/gantry.js';

export const PROMPT = 'gantry-test$ ';
/** How a pane runs gantry: the built CLI, as a user's shell would. */
export const GANTRY = `node ${GANTRY_BIN}`;

/**
 * A private tmux server (its own socket) with real panes: keys go in with send-keys, what a user
 * would see comes out with capture-pane. Always `kill()` it.
 */
export class Tmux {
  readonly socket = `gantry-test-${randomBytes(4).toString('hex')}`;

  private tmux(args: string[]) {
    return execa('tmux', ['-L', this.socket, ...args], { reject: false });
  }

  /** A session whose first pane is a plain bash with a known prompt. */
  async start(cwd: string, size = { x: 120, y: 40 }): Promise<void> {
    const r = await this.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 't', '-x', String(size.x), '-y', String(size.y), '-c', cwd, this.shell()]);
    if (r.exitCode !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
    await this.waitFor('t:0.0', (s) => s.includes(PROMPT.trimEnd()), 10_000, 'the shell prompt');
  }

  /** Splits the window top/bottom; returns the new pane's target. */
  async split(cwd: string): Promise<string> {
    await this.tmux(['split-window', '-v', '-t', 't:0', '-c', cwd, this.shell()]);
    await this.waitFor('t:0.1', (s) => s.includes(PROMPT.trimEnd()), 10_000, 'the second shell prompt');
    return 't:0.1';
  }

  private shell(): string {
    return `env -u CI -u CONTINUOUS_INTEGRATION PS1='${PROMPT}' bash --norc --noprofile`;
  }

  /** Types a command line and presses Enter. */
  async run(pane: string, line: string): Promise<void> {
    await this.tmux(['send-keys', '-t', pane, '-l', line]);
    await this.tmux(['send-keys', '-t', pane, 'Enter']);
  }

  /** Presses keys by tmux name: `a`, `Enter`, `Escape`, `C-c`, `Up`, ... one at a time. */
  async keys(pane: string, ...keys: string[]): Promise<void> {
    for (const k of keys) {
      await this.tmux(['send-keys', '-t', pane, k]);
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  /** Types text literally. */
  async type(pane: string, text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', pane, '-l', text]);
  }

  async capture(pane: string): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-t', pane])).stdout;
  }

  /** Whether the pane is on the alternate screen (tmux's `alternate_on`). */
  async alternateOn(pane: string): Promise<boolean> {
    return (await this.tmux(['display', '-p', '-t', pane, '#{alternate_on}'])).stdout.trim() === '1';
  }

  /** Polls the pane until `want` holds for what it shows. */
  async waitFor(pane: string, want: string | RegExp | ((screen: string) => boolean), ms = 45_000, what = String(want)): Promise<string> {
    const test = typeof want === 'function' ? want : (s: string) => (typeof want === 'string' ? s.includes(want) : want.test(s));
    const end = Date.now() + ms;
    let screen = '';
    while (Date.now() < end) {
      screen = await this.capture(pane);
      if (test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`pane ${pane}: timed out waiting for ${what}; it shows:\n${screen}`);
  }

  /** Waits for the shell prompt on the pane's last non-empty line (the command has ended). */
  async waitForPrompt(pane: string, ms = 45_000): Promise<string> {
    return this.waitFor(pane, (s) => s.trimEnd().split('\n').at(-1) === PROMPT.trimEnd(), ms, 'the shell prompt');
  }

  /** Runs `echo` of the last exit status in the pane's shell and returns it. */
  async lastExitCode(pane: string): Promise<number> {
    await this.run(pane, 'echo "exit=$?"');
    const s = await this.waitFor(pane, /exit=\d+\s*\n.*\$\s*$/s, 10_000, 'the exit status');
    return Number([...s.matchAll(/exit=(\d+)/g)].at(-1)![1]);
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server']);
  }
}
