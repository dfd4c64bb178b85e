import { Box, Text } from 'ink';
import { fit } from '../layout.js';
import { useColour } from '../theme.js';

export interface Column<T> {
  title: string;
  /** Fixed width; without it the column takes the width its widest cell needs, up to `max`. */
  width?: number;
  max?: number;
  /** Takes the width left over. */
  grow?: boolean;
  align?: 'left' | 'right';
  value: (row: T) => string;
  colour?: (row: T) => string | undefined;
}

/**
 * A compact table: one line per row, a selection in reverse video, rows scrolled to keep it in view,
 * cells cut to fit (k9s style, rather than boxed cells that take two lines a row).
 */
export function Table<T>(props: { columns: Column<T>[]; rows: T[]; selected: number; height: number; width: number; rowKey: (row: T) => string; empty: string }) {
  const c = useColour();
  const gap = 2;
  const widths = props.columns.map((col) => col.width ?? Math.min(col.max ?? 40, Math.max(col.title.length, ...props.rows.map((r) => col.value(r).length))));
  const fixed = widths.reduce((a, w, i) => a + (props.columns[i]!.grow ? 0 : w), 0) + gap * (props.columns.length - 1) + 2;
  props.columns.forEach((col, i) => {
    if (col.grow) widths[i] = Math.max(col.title.length, props.width - fixed);
  });
  const bodyRows = Math.max(1, props.height - 1);
  const start = Math.max(0, Math.min(props.selected - bodyRows + 1, props.rows.length - bodyRows));
  const first = Math.max(0, Math.min(start, props.selected));
  const cells = (row: T | undefined) =>
    props.columns.map((col, i) => {
      const colour = row && col.colour?.(row);
      return (
        <Text key={col.title} color={colour ? c(colour) : undefined} bold={!row}>
          {fit(row ? col.value(row) : col.title, widths[i]!, col.align)}
          {i < props.columns.length - 1 ? ' '.repeat(gap) : ''}
        </Text>
      );
    });
  return (
    <Box flexDirection="column" height={props.height}>
      <Text wrap="truncate-end"> {cells(undefined)}</Text>
      {props.rows.length === 0 ? <Text dimColor> {props.empty}</Text> : null}
      {props.rows.slice(first, first + bodyRows).map((row, i) => {
        const sel = first + i === props.selected;
        return (
          <Text key={props.rowKey(row)} inverse={sel} wrap="truncate-end">
            {sel ? '›' : ' '}
            {cells(row)}
          </Text>
        );
      })}
    </Box>
  );
}
