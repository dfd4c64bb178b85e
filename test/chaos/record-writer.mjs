// A writer process for chaos tests: opens (or creates) a run and appends events as fast as it can.
// argv: <runsDir> <runId|new> <count> ; prints the run id, then "done".
const [runsDir, runId, count] = process.argv.slice(2);
const dist = new URL('../../dist/src/records/', import.meta.url);
const { createRun, openRun } = await import(new URL('run-store.js', dist));
const w =
  runId === 'new'
    ? createRun(runsDir, {
        workflow: { name: 'chaos', version: 't', slug: 'chaos', artifact_path: 'a' },
        depth: 'standard',
        steps: [{ id: 'G1', name: 'One', kind: 'gate' }],
        params: {},
      })
    : openRun(runsDir, runId, 'chaos writer');
console.log(w.runId);
for (let i = 0; i < Number(count); i++) {
  w.append({ type: i % 10 === 0 ? 'error.recorded' : 'note', tier: 'correctable', step: 'G1', message: `event ${i}` });
  if (i % 50 === 0) w.flushView();
}
w.close();
console.log('done');
