/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped, with "equal jitter"
 * (half fixed, half random) so many clients that lost the same host do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, baseMs = 250, capMs = 8000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
