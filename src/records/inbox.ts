import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from './atomic.js';
import type { RunPaths } from './run-paths.js';

/**
 * Answers to a waiting gate from another process. The run keeps one writer: the answering process drops
 * a request here, and the process that owns the run records and acts on it.
 */
export const AnswerRequest = z.object({
  action: z.enum(['finish', 'fail']),
  reason: z.string().nullable(),
  by: z.string(),
});
export type AnswerRequest = z.infer<typeof AnswerRequest>;

const file = (p: RunPaths, gate: string, attempt: number) => join(p.inbox, `${gate}.attempt-${attempt}.json`);

export function postAnswer(p: RunPaths, gate: string, attempt: number, req: AnswerRequest): void {
  mkdirSync(p.inbox, { recursive: true });
  writeJsonAtomic(file(p, gate, attempt), req);
}

/** Takes (and removes) a pending answer; a malformed file is removed and ignored. */
export function takeAnswer(p: RunPaths, gate: string, attempt: number): AnswerRequest | undefined {
  const f = file(p, gate, attempt);
  if (!existsSync(f)) return undefined;
  let parsed: AnswerRequest | undefined;
  try {
    const r = AnswerRequest.safeParse(JSON.parse(readFileSync(f, 'utf8')));
    parsed = r.success ? r.data : undefined;
  } catch {
    parsed = undefined;
  }
  unlinkSync(f);
  return parsed;
}
