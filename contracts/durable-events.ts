import type { EventType } from './events.js';

/**
 * Event types after which the log is fsync'd: state transitions a crash must not lose. Kept apart from
 * the schemas so the record writer and readers load without zod (headless start-up).
 */
export const DURABLE_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'run.started',
  'run.finished',
  'run.resumed',
  'gate.started',
  'gate.finished',
  'gate.answer_requested',
  'step.started',
  'step.finished',
  'court.verdict',
  'error.recorded',
  'lock.recovered',
  'invocation.recorded',
  'sweep.row',
]);
