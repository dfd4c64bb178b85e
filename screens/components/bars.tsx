import { Box, Text } from 'ink';
import type { ConsoleState } from '../../state/store.js';
import type { Binding } from '../commands.js';
import { fit } from '../layout.js';
import { useColour } from '../theme.js';

/** The screen's title, in reverse video across the full width. */
export function TitleBar({ text, width }: { text: string; width: number }) {
  return (
    <Box height={1}>
      <Text inverse bold>
        {fit(` ${text}`, width)}
      </Text>
    </Box>
  );
}

const PROMPT_LABEL: Record<string, string> = {
  search: 'search /',
  filter: 'filter /',
  'fail-reason': 'reason for failing (enter to fail the gate, esc to cancel): ',
};

/** What the status line shows of an open prompt, and whether it takes typing (a cursor). */
function promptText(p: NonNullable<ConsoleState['prompt']>): { text: string; typing: boolean } {
  if (p.kind === 'confirm-quit') return { text: p.value, typing: false };
  if (p.kind === 'question') return { text: `${p.label}  y/N`, typing: false };
  if (p.kind === 'secret') return { text: `${p.label} ${'•'.repeat(p.value.length)}`, typing: true };
  return { text: `${PROMPT_LABEL[p.kind]}${p.value}`, typing: true };
}

/** The status line: the open prompt, else what is winding down, else the last notice. */
export function StatusLine({ s, idle = '' }: { s: ConsoleState; idle?: string }) {
  const c = useColour();
  if (s.prompt) {
    const { text, typing } = promptText(s.prompt);
    return (
      <Box height={1}>
        <Text color={c('yellow')} bold wrap="truncate-end">
          {text}
          {typing ? '█' : ''}
          {s.notice ? `   ${s.notice}` : ''}
        </Text>
      </Box>
    );
  }
  const said = s.closing ?? s.notice;
  return (
    <Box height={1}>
      <Text wrap="truncate-end">
        {said ? <Text color={c(s.closing ? 'yellow' : 'cyan')}>{said}</Text> : null}
        {said && idle ? '  ·  ' : ''}
        {idle ? (
          <Text color={c('yellow')} bold>
            {idle}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}

/** The keys that work here, always on screen. */
export function KeyHints({ bindings }: { bindings: Binding[] }) {
  const c = useColour();
  const parts = bindings.filter((b) => b.footer);
  return (
    <Box height={1}>
      <Text wrap="truncate-end">
        {parts.map((b, i) => (
          <Text key={b.label}>
            {i > 0 ? <Text dimColor> · </Text> : null}
            <Text bold color={c('cyan')}>
              {b.hint ?? b.keys[0]}
            </Text>
            <Text> {b.label}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
