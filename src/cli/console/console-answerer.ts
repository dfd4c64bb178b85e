import type { GateAnswer, GateAnswerer } from '../../engine/answers.js';

type Answer = { action: 'finish' } | { action: 'fail'; reason: string };

/**
 * The cockpit as a gate answerer: `answer()` waits until the packet screen's finish (f) or fail (x)
 * calls `give()` for that gate and attempt. Raced with external answers by the caller (eitherAnswerer).
 */
export function consoleAnswerer(by: string): { answerer: GateAnswerer; give(gate: string, attempt: number, a: Answer): boolean } {
  const waiting = new Map<string, (a: GateAnswer) => void>();
  const key = (gate: string, attempt: number) => `${gate}#${attempt}`;
  return {
    answerer: {
      agent: 'human',
      answer: (q, signal) =>
        new Promise<GateAnswer>((resolve, reject) => {
          const k = key(q.gate, q.attempt);
          const onAbort = () => {
            waiting.delete(k);
            reject(signal.reason);
          };
          if (signal.aborted) return onAbort();
          signal.addEventListener('abort', onAbort, { once: true });
          waiting.set(k, (a) => {
            signal.removeEventListener('abort', onAbort);
            waiting.delete(k);
            resolve(a);
          });
        }),
    },
    give(gate, attempt, a) {
      const resolve = waiting.get(key(gate, attempt));
      resolve?.(a.action === 'finish' ? { action: 'finish', by } : { action: 'fail', reason: a.reason, by });
      return resolve !== undefined;
    },
  };
}
