import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real sshd, tmux and child processes: keep parallelism modest on 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
