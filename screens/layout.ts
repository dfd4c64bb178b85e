import { wrapSegments } from '../state/log-view.js';
import type { TerminalSize } from './use-terminal-size.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export const tooSmall = (size: TerminalSize) => size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;

/**
 * The cockpit's geometry. The frame stays one row short of the terminal, so Ink redraws the changed
 * lines in place instead of clearing a full screen (no flicker).
 */
export function cockpitLayout(size: TerminalSize) {
  const width = size.columns;
  const height = size.rows - 1;
  const pipelineWidth = Math.min(46, Math.max(34, Math.floor(width * 0.34)));
  const verdictHeight = 5;
  // title 1, header 2, verdict, status 1, keys 1
  const bodyHeight = Math.max(6, height - 5 - verdictHeight);
  return {
    width,
    height,
    pipelineWidth,
    pipelineRows: bodyHeight - 2,
    bodyHeight,
    verdictHeight,
    logWidth: width - pipelineWidth,
    // border 2, title 1
    logRows: bodyHeight - 3,
  };
}

/** A screen of one bordered pane between a title and the status and key lines. */
export function paneLayout(size: TerminalSize, reserved = 0) {
  const width = size.columns;
  const height = size.rows - 1;
  const paneHeight = Math.max(4, height - 3 - reserved);
  return { width, height, paneHeight, innerRows: paneHeight - 3, innerWidth: width - 2 };
}

/** Fits text into `width` columns: cut with an ellipsis, or padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** A text (a prompt packet) as the rows a pane `width` wide shows, long lines wrapped. */
export function textRows(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => wrapSegments(line, width));
}
