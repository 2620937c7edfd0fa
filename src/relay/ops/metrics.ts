import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryLog } from '../store/delivery-log.js';

/** The relay's Prometheus metrics, on a registry of their own so that several relays can share a process. */
export class RelayMetrics {
  readonly registry = new Registry();

  readonly notificationsReceived = new Counter({
    name: 'boro_relay_notifications_received_total',
    help: 'Webhook notifications received on the ingest route, by profile.',
    labelNames: ['profile'] as const,
    registers: [this.registry],
  });

  readonly messages = new Counter({
    name: 'boro_relay_messages_total',
    help: 'Boro messages by profile and status (Active, Cleared, Event) and by result of ingest (accepted, duplicate, skipped).',
    labelNames: ['profile', 'status', 'result'] as const,
    registers: [this.registry],
  });

  readonly attempts = new Counter({
    name: 'boro_relay_delivery_attempts_total',
    help: 'Delivery attempts by profile and outcome (delivered, retried, failed).',
    labelNames: ['profile', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly attemptDuration = new Histogram({
    name: 'boro_relay_delivery_attempt_duration_seconds',
    help: 'Duration of delivery attempts, by profile.',
    labelNames: ['profile'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(deliveryLog: DeliveryLog) {
    // Both gauges read the store at scrape time; one query serves them.
    let pendingRead: Promise<Awaited<ReturnType<DeliveryLog['queueGauges']>>> | null = null;
    const read = () => {
      pendingRead ??= deliveryLog.queueGauges().finally(() => {
        pendingRead = null;
      });
      return pendingRead;
    };

    new Gauge({
      name: 'boro_relay_queue_depth',
      help: 'Messages waiting for delivery (pending, delivering or retrying), by profile.',
      labelNames: ['profile'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await read()) this.set({ profile: row.profileUid }, row.depth);
      },
    });
    new Gauge({
      name: 'boro_relay_oldest_pending_age_seconds',
      help: 'Age of the oldest message waiting for delivery, by profile.',
      labelNames: ['profile'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await read()) this.set({ profile: row.profileUid }, row.oldestAgeSeconds);
      },
    });

    collectDefaultMetrics({ register: this.registry, prefix: 'boro_relay_' });
  }
}
