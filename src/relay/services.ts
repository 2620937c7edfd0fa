import type { RelayConfig } from './config.js';
import type { DeliveryDispatcherCache } from './delivery/http-client.js';
import type { SlackPacer } from './delivery/slack-pacer.js';
import type { WorkerPool } from './delivery/worker-pool.js';
import type { Logger } from './logger.js';
import type { RelayMetrics } from './ops/metrics.js';
import type { ProfileCache } from './profiles/profile-cache.js';
import type { DeliveryLog } from './store/delivery-log.js';
import type { Outbox } from './store/outbox.js';
import type { ProfileStore } from './store/profile-store.js';

/** The parts of a running relay that the HTTP routes use. */
export interface RelayServices {
  config: RelayConfig;
  logger: Logger;
  profiles: ProfileStore;
  profileCache: ProfileCache;
  outbox: Outbox;
  deliveryLog: DeliveryLog;
  workers: WorkerPool;
  dispatchers: DeliveryDispatcherCache;
  slackPacer: SlackPacer;
  metrics: RelayMetrics;
  /** Checks that the database responds to a query and that the workers run. */
  isReady(): Promise<boolean>;
}
