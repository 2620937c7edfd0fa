/** Delay before the retry that follows the 1st, 2nd, … failed delivery attempt. */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** Delay between retries once RETRY_DELAYS_MS is used up. */
export const RETRY_REPEAT_DELAY_MS = 7_200_000;

/** The relay gives up on a message whose next attempt would start later than this after the message was created. */
export const RETRY_WINDOW_MS = 86_400_000;

/** Each scheduled delay is scaled by a random factor in [1 - jitter, 1 + jitter). */
export const RETRY_JITTER_RATIO = 0.2;

/** Upper bound of a receiver's Retry-After. */
export const RETRY_AFTER_MAX_MS = 3_600_000;

/** Lower bound of a receiver's Retry-After, so `Retry-After: 0` on every response cannot cause a busy loop. */
export const RETRY_AFTER_MIN_MS = 1_000;

export interface NextRetryInput {
  /**
   * Failed attempts so far, this one included: 1 after the first failure. A 429 is not a failure, so
   * the caller passes the count unchanged and the delay of the current step applies again.
   */
  failedAttempts: number;
  createdAtMs: number;
  nowMs: number;
  /** The receiver's Retry-After, when it sent a valid one. It replaces the scheduled delay and gets no jitter. */
  retryAfterMs: number | null;
  /** Source of jitter in [0, 1), Math.random when omitted. */
  random?: () => number;
}

/**
 * Returns the delay before the next delivery attempt, or null when that attempt would start after
 * RETRY_WINDOW_MS from the message's creation and the relay should give up.
 */
export function nextRetryDelayMs(p: NextRetryInput): number | null {
  if (!Number.isInteger(p.failedAttempts) || p.failedAttempts < 0) {
    throw new RangeError(`failedAttempts must be an integer of at least 0, got ${p.failedAttempts}`);
  }

  const delayMs =
    p.retryAfterMs === null
      ? jitteredDelayMs(scheduledDelayMs(p.failedAttempts), p.random)
      : clampRetryAfterMs(p.retryAfterMs);

  if (p.nowMs + delayMs > p.createdAtMs + RETRY_WINDOW_MS) return null;
  return delayMs;
}

/** Returns the delay of the step reached after `failedAttempts` failures, without jitter. */
export function scheduledDelayMs(failedAttempts: number): number {
  const stepIndex = Math.max(failedAttempts, 1) - 1;
  return RETRY_DELAYS_MS[stepIndex] ?? RETRY_REPEAT_DELAY_MS;
}

function jitteredDelayMs(delayMs: number, random: () => number = Math.random): number {
  const factor = 1 + (random() * 2 - 1) * RETRY_JITTER_RATIO;
  return Math.round(delayMs * factor);
}

function clampRetryAfterMs(retryAfterMs: number): number {
  return Math.min(Math.max(retryAfterMs, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS);
}
