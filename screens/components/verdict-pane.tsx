import { Box, Text } from 'ink';
import type { VerdictView } from '../../state/selectors.js';
import { useColour } from '../theme.js';

const VERDICT_COLOUR: Record<string, string> = { pass: 'green', fail: 'red', unverified: 'yellow' };

/** The court's word on the selected step: DET / CONST / verdict, violated laws, remediation, next command. */
export function VerdictPane({ v, height }: { v: VerdictView; height: number }) {
  const c = useColour();
  const word = (label: string, value: string) => (
    <Text>
      <Text dimColor>{label} </Text>
      <Text bold color={c(VERDICT_COLOUR[value] ?? 'white')}>
        {value}
      </Text>
      {'   '}
    </Text>
  );
  const [thirdLabel, thirdValue] = v.checks.length ? ['checks', v.checks.join('  ')] : ['next', v.next];
  return (
    <Box flexDirection="column" height={height} flexShrink={0} borderStyle="round" borderColor={c('gray')}>
      <Text wrap="truncate-end">
        <Text bold>{v.title}</Text>
        {'   '}
        {word('DET', v.det)}
        {word('CONST', v.constitutional)}
        {word('VERDICT', v.verdict)}
        <Text dimColor>laws </Text>
        {v.laws}
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>remediation </Text>
        {v.remediation}
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>{thirdLabel} </Text>
        {thirdValue}
      </Text>
    </Box>
  );
}
