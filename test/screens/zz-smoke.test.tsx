import { it } from 'vitest';
import { createConsoleStore } from '../../state/store.js';
import { renderConsole, KEY } from './harness.js';
it('smoke', async () => {
  const store = createConsoleStore();
  store.getState().attach('browse', ['runs']);
  store.getState().setRuns([{ run_id: 'run_a', workflow: 'w', status: 'PASSED', started_at: '2025-01-01T00:00:00Z', finished_at: null, current: null }], '/x');
  const r = await renderConsole(store);
  await r.press(KEY.enter);
  console.log(r.calls);
  await r.press('\n');
  console.log(r.calls);
});
