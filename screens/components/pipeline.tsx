import { Box, Text } from 'ink';
import { formatDuration, type ItemStatus, type PipelineItem } from '../../state/selectors.js';
import { fit } from '../layout.js';
import { useColour } from '../theme.js';

export const STATUS_SYMBOL: Record<ItemStatus, string> = { pending: '·', running: '▶', waiting: '?', ok: '✓', fail: '✗', skip: '↷' };
export const STATUS_COLOUR: Record<ItemStatus, string> = { pending: 'gray', running: 'cyan', waiting: 'magenta', ok: 'green', fail: 'red', skip: 'gray' };

/** The phase (P00…P99) or gate (G1…G3) pipeline: symbol, id, name, duration, exit code. */
export function Pipeline(props: { items: PipelineItem[]; selected: string | null; focused: boolean; width: number; rows: number; now: number }) {
  const c = useColour();
  const inner = props.width - 2;
  const at = Math.max(0, props.items.findIndex((i) => i.id === props.selected));
  const start = Math.max(0, Math.min(at - Math.floor(props.rows / 2), props.items.length - props.rows));
  const shown = props.items.slice(start, start + props.rows);
  const idWidth = Math.max(3, ...props.items.map((i) => i.id.length));
  const nameWidth = Math.max(4, inner - 2 - idWidth - 1 - 7 - 5);
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0} height={props.rows + 2} borderStyle={props.focused ? 'bold' : 'round'} borderColor={c(props.focused ? 'cyan' : 'gray')}>
      {shown.length === 0 ? <Text dimColor>waiting for the run to start…</Text> : null}
      {shown.map((item) => {
        const selected = item.id === props.selected;
        const ms = item.status === 'running' || item.status === 'waiting' ? (item.startedAt === null ? null : props.now - item.startedAt) : item.durationMs;
        const code = item.code === null ? '' : String(item.code);
        return (
          <Text key={item.id} inverse={selected && props.focused} bold={selected} wrap="truncate-end">
            <Text color={c(STATUS_COLOUR[item.status])}>{STATUS_SYMBOL[item.status]} </Text>
            {fit(item.id, idWidth)} {fit(item.name, nameWidth)}
            {fit(ms === null ? '' : formatDuration(ms), 7, 'right')}
            {fit(code, 5, 'right')}
          </Text>
        );
      })}
    </Box>
  );
}
