import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { RelayMetrics } from '../ops/metrics.js';
import type { ProfileCache } from '../profiles/profile-cache.js';
import type { ProfileRecord } from '../profiles/profile-record.js';
import { redactUrl } from '../profiles/public-profile.js';
import type { AttemptResolution, LeasedMessage, Outbox } from '../store/outbox.js';
import type { DeliveryDispatcherCache } from './http-client.js';
import type { SlackPacer } from './slack-pacer.js';
import { encodeBody } from './prepare-request.js';
import { nextRetryDelayMs } from './retry-schedule.js';
import { scrubSecrets, secretValuesOf } from './scrub.js';
import { sendAttempt, type AttemptReport } from './send-attempt.js';

/** Extra lease time past the attempt's own timeout, so that a lease outlives a slow attempt. */
const LEASE_MARGIN_MS = 30_000;

/** Maximum time between two reads of the queue when no message is due. */
const IDLE_POLL_MS = 5_000;

/**
 * While a profile's receiver fails, its other messages wait too, and one message probes the receiver
 * at most this often. A receiver that is down therefore costs one attempt per interval, not one per message.
 */
export const PROBE_INTERVAL_MS = 30_000;

export interface WorkerPoolOptions {
  outbox: Outbox;
  profiles: ProfileCache;
  dispatchers: DeliveryDispatcherCache;
  slackPacer: SlackPacer;
  logger: Logger;
  metrics: RelayMetrics;
  concurrency: number;
  profileConcurrency: number;
}

/** Returns the idempotency key of a message, identical across its attempts and unique per profile. */
export function idempotencyKeyOf(profileUid: string, message: { id: number; sequenceId: number; test: boolean }): string {
  return message.test ? `${profileUid}-test-${message.id}` : `${profileUid}-${message.sequenceId}`;
}

/**
 * Leases due messages from the outbox and delivers them: at most `concurrency` at once, at most
 * `profileConcurrency` per profile (one for Slack), so one slow receiver never stalls the others.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #owner = `worker-${randomUUID()}`;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #inFlightPerProfile = new Map<string, number>();
  /** Profiles whose receiver failed, paused until the time given (epoch ms). */
  readonly #pausedUntilMs = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #pumping = false;
  #pumpAgain = false;
  #running = false;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    this.#running = true;
    this.#options.logger.info({ owner: this.#owner, concurrency: this.#options.concurrency }, 'delivery workers started');
    this.wake();
  }

  /** Stops leasing and waits for attempts in flight, up to `graceMs`; unfinished ones are leased again after restart. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);

    const inFlight = Promise.allSettled([...this.#inFlight.values()]);
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([inFlight, grace]);
    this.#options.logger.info({ owner: this.#owner, inFlight: this.#inFlight.size }, 'delivery workers stopped');
  }

  /** Looks at the queue now: called after ingest commits a message and when a timer fires. */
  wake(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      let leased = 0;
      do {
        this.#pumpAgain = false;
        leased = await this.#leaseAndStart();
      } while (this.#pumpAgain && this.#running);
      await this.#scheduleNextWake(leased);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'delivery queue read failed');
      this.#schedule(IDLE_POLL_MS);
    } finally {
      this.#pumping = false;
    }
  }

  /** Leases what the free workers can take and starts delivering it; returns the number leased. */
  async #leaseAndStart(): Promise<number> {
    const free = this.#options.concurrency - this.#inFlight.size;
    if (free <= 0 || !this.#running) return 0;

    const nowMs = Date.now();
    const leased = await this.#options.outbox.lease({
      owner: this.#owner,
      limit: free,
      nowMs,
      // Leases outlive the longest attempt: the maximum timeout of 60 s per hop, four hops.
      leaseExpiresAtMs: nowMs + 4 * 60_000 + LEASE_MARGIN_MS,
      capacityOf: (uid) => this.#capacityOf(uid, nowMs),
    });

    for (const message of leased) this.#startDelivery(message);
    return leased.length;
  }

  #capacityOf(profileUid: string, nowMs: number): number {
    const pausedUntilMs = this.#pausedUntilMs.get(profileUid);
    if (pausedUntilMs !== undefined && pausedUntilMs > nowMs) return 0;
    return this.#options.profileConcurrency - (this.#inFlightPerProfile.get(profileUid) ?? 0);
  }

  /**
   * Sets the timer for the next read of the queue. Messages can be due while the last read leased none,
   * because their profiles are full or paused or a Cleared waits for its Active. Then the end of an
   * attempt or of a pause wakes the pool, and the due time alone must not re-arm the timer at 0 ms.
   */
  async #scheduleNextWake(lastLeased: number): Promise<void> {
    if (!this.#running) return;

    const nowMs = Date.now();
    const nextDueAtMs = await this.#options.outbox.nextDueAtMs();
    const dueAtMs = nextDueAtMs !== null && nextDueAtMs <= nowMs && lastLeased === 0 ? null : nextDueAtMs;
    const pauseEnds = [...this.#pausedUntilMs.values()].filter((atMs) => atMs > nowMs);
    const wakeAtMs = Math.min(dueAtMs ?? Infinity, ...pauseEnds, nowMs + IDLE_POLL_MS);
    this.#schedule(Math.max(wakeAtMs - nowMs, 0));
  }

  /** Pauses a profile whose receiver asked for a retry, and resumes it once a delivery succeeds. */
  #updatePause(profileUid: string, resolution: AttemptResolution): void {
    if (resolution.state === 'delivered') {
      this.#pausedUntilMs.delete(profileUid);
    } else if (resolution.state === 'retrying') {
      this.#pausedUntilMs.set(profileUid, Math.min(resolution.nextAttemptAtMs, Date.now() + PROBE_INTERVAL_MS));
    }
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.wake(), delayMs);
    this.#timer.unref();
  }

  #startDelivery(message: LeasedMessage): void {
    const uid = message.profileUid;
    this.#inFlightPerProfile.set(uid, (this.#inFlightPerProfile.get(uid) ?? 0) + 1);

    const delivery = this.#deliver(message)
      .catch((error: unknown) => {
        this.#options.logger.error({ err: error, profileUid: uid, deliveryId: message.id }, 'delivery attempt crashed');
      })
      .finally(() => {
        this.#inFlight.delete(message.id);
        const count = (this.#inFlightPerProfile.get(uid) ?? 1) - 1;
        if (count === 0) this.#inFlightPerProfile.delete(uid);
        else this.#inFlightPerProfile.set(uid, count);
        this.wake();
      });
    this.#inFlight.set(message.id, delivery);
  }

  async #deliver(message: LeasedMessage): Promise<void> {
    const profile = await this.#options.profiles.get(message.profileUid);
    if (!profile) return; // Deleting a profile deletes its messages too.

    if (profile.kind === 'slack') await this.#options.slackPacer.waitForSlot(profile.url);
    const attempt = message.attempts + 1;
    const report = await sendAttempt({
      profile,
      body: encodeBody(profile, message.body),
      idempotencyKey: idempotencyKeyOf(profile.uid, message),
      dispatcher: this.#options.dispatchers.get(profile.tls),
    });

    const resolution = this.#resolve(message, report);
    this.#updatePause(profile.uid, resolution);
    const secrets = secretValuesOf(profile);
    const error = this.#errorOf(report, resolution, secrets);
    await this.#options.outbox.recordAttempt(
      {
        messageId: message.id,
        profileUid: profile.uid,
        attempt,
        startedAtMs: Date.now() - Math.round(report.durationMs),
        durationMs: report.durationMs,
        statusCode: report.statusCode,
        error,
        responseBody: report.responseBody === null ? null : scrubSecrets(report.responseBody, secrets),
      },
      resolution,
    );

    this.#observe(profile, message, attempt, report, resolution, error);
  }

  #resolve(message: LeasedMessage, report: AttemptReport): AttemptResolution {
    const { outcome } = report;
    if (outcome.kind === 'delivered') return { state: 'delivered' };
    if (outcome.kind === 'failed') return { state: 'failed' };

    const failedAttempts = message.failedAttempts + (outcome.countsAsFailure ? 1 : 0);
    const nowMs = Date.now();
    const delayMs = nextRetryDelayMs({
      failedAttempts,
      createdAtMs: message.queuedAtMs,
      nowMs,
      retryAfterMs: outcome.retryAfterMs,
    });
    if (delayMs === null) return { state: 'failed' };
    return { state: 'retrying', nextAttemptAtMs: nowMs + delayMs, countsAsFailure: outcome.countsAsFailure };
  }

  #errorOf(report: AttemptReport, resolution: AttemptResolution, secrets: readonly string[]): string | null {
    const { outcome } = report;
    if (outcome.kind === 'delivered') return null;

    const reason = scrubSecrets(outcome.reason, secrets);
    if (outcome.kind === 'retry' && resolution.state === 'failed') return `gave up after the 24 h retry window: ${reason}`;
    return reason;
  }

  #observe(
    profile: ProfileRecord,
    message: LeasedMessage,
    attempt: number,
    report: AttemptReport,
    resolution: AttemptResolution,
    error: string | null,
  ): void {
    const { logger, metrics } = this.#options;
    const outcome = resolution.state === 'retrying' ? 'retried' : resolution.state;
    metrics.attempts.inc({ profile: profile.uid, outcome });
    metrics.attemptDuration.observe({ profile: profile.uid }, report.durationMs / 1000);

    const fields = {
      profileUid: profile.uid,
      deliveryId: message.id,
      sequenceId: message.sequenceId,
      attempt,
      destination: redactUrl(profile.url),
      statusCode: report.statusCode,
      durationMs: Math.round(report.durationMs),
    };
    if (resolution.state === 'delivered') {
      if (attempt === 1) logger.debug(fields, 'message delivered');
      else logger.info(fields, 'message delivered after retries');
    } else if (resolution.state === 'retrying') {
      logger.warn({ ...fields, error, nextAttemptAt: new Date(resolution.nextAttemptAtMs).toISOString() }, 'delivery attempt failed, will retry');
    } else {
      logger.error({ ...fields, error }, 'delivery failed');
    }
  }
}
