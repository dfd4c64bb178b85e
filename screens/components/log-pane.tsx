import { Box, Text } from 'ink';
import type { LineRing } from '../../state/line-ring.js';
import { clockTime, highlightMatches, lineMatches, logWindow } from '../../state/log-view.js';
import type { LogViewState } from '../../state/store.js';
import { useColour } from '../theme.js';

const TIME_WIDTH = 13;

/** A bounded, sanitized log: newest lines at the bottom while following; marks, search hits, timestamps. */
export function LogPane(props: {
  title: string;
  ring: LineRing | undefined;
  view: LogViewState;
  marks: number[];
  width: number;
  rows: number;
  focused: boolean;
}) {
  const c = useColour();
  const { ring, view } = props;
  const textWidth = props.width - 2 - 2 - (view.timestamps ? TIME_WIDTH : 0);
  const win = ring ? logWindow(ring, { height: props.rows, width: textWidth, wrap: view.wrap, bottom: view.follow ? null : view.bottom }) : { rows: [], bottom: -1 };
  const total = ring?.total ?? 0;
  const where = view.follow ? 'following' : `paused at ${(win.bottom + 1).toLocaleString('en-US')}`;
  const flags = [view.wrap ? 'wrap' : '', view.timestamps ? 'time' : '', view.query ? `/${view.query}` : ''].filter(Boolean).join(' ');
  const marks = new Set(props.marks);
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0} height={props.rows + 3} borderStyle={props.focused ? 'bold' : 'round'} borderColor={c(props.focused ? 'cyan' : 'gray')}>
      <Text bold wrap="truncate-end">
        {props.title} · {total.toLocaleString('en-US')} lines · <Text color={c(view.follow ? 'green' : 'yellow')}>{where}</Text>
        {flags ? <Text dimColor> · {flags}</Text> : null}
      </Text>
      {win.rows.length === 0 ? <Text dimColor>(no lines yet)</Text> : null}
      {win.rows.map((row, i) => {
        const line = ring!.at(row.n)!;
        const hit = view.query !== '' && lineMatches(line.text, view.query);
        return (
          <Text key={`${row.n}:${i}`} wrap="truncate-end">
            <Text color={c('yellow')}>{marks.has(row.n) && !row.cont ? '▌ ' : '  '}</Text>
            {view.timestamps ? <Text dimColor>{row.cont ? ''.padEnd(TIME_WIDTH) : `${clockTime(line.ts)} `}</Text> : null}
            {hit ? (
              highlightMatches(row.text, view.query).map((seg, j) => (
                <Text key={j} inverse={seg.hit} bold={seg.hit && row.n === view.match}>
                  {seg.text}
                </Text>
              ))
            ) : (
              <Text>{row.text}</Text>
            )}
          </Text>
        );
      })}
    </Box>
  );
}
