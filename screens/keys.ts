import type { Key } from 'ink';

/** A key press as the command maps name it: `q`, `G`, `enter`, `esc`, `up`, `pgdn`, `tab`, `ctrl-s`, ... */
export function keyName(input: string, key: Key): string | null {
  if (key.escape) return 'esc';
  if (key.return) return 'enter';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  if (input.length === 1 && !key.meta) return input;
  return null;
}

/** Text a prompt may take from this key press (typed or pasted), or '' when it is not text. */
export function typedText(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
  return input.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
}
