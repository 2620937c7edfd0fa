import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { RelayConfig } from './config.js';
import { DeliveryDispatcherCache } from './delivery/http-client.js';
import { createNetworkPolicy } from './delivery/network-policy.js';
import { SlackPacer } from './delivery/slack-pacer.js';
import { WorkerPool } from './delivery/worker-pool.js';
import type { Logger } from './logger.js';
import { RelayMetrics } from './ops/metrics.js';
import { ProfileCache } from './profiles/profile-cache.js';
import { loadProfilesDir } from './provisioning/load-profiles.js';
import { buildServer } from './server.js';
import type { RelayServices } from './services.js';
import { openDatabase, type OpenDatabase } from './store/database.js';
import { DeliveryLog } from './store/delivery-log.js';
import { Outbox } from './store/outbox.js';
import { applyProvisioning, ProfileStore } from './store/profile-store.js';
import { SecretBox } from './store/secret-box.js';
import { RELAY_VERSION } from './version.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** A relay: its store, workers and HTTP server, started and stopped together. */
export interface Relay {
  server: FastifyInstance;
  services: RelayServices;
  /** Listens on the configured host and port; returns the address it listens on. */
  listen(): Promise<string>;
  stop(): Promise<void>;
}

/** Loads profiles as code from the profiles directory into the store. */
async function provisionProfiles(config: RelayConfig, profiles: ProfileStore, logger: Logger): Promise<void> {
  if (!existsSync(config.profilesDir)) {
    logger.warn({ directory: config.profilesDir }, 'profiles directory not found, no profiles provisioned');
  }
  const provisioned = loadProfilesDir(config.profilesDir, process.env);
  const changes = await applyProvisioning(
    profiles,
    provisioned.profiles,
    provisioned.deleteProfiles.map((entry) => entry.uid),
  );
  logger.info({ directory: config.profilesDir, ...changes }, 'profiles provisioned');
}

/**
 * Opens the store, applies provisioned profiles, recovers leases of a previous run and starts the
 * delivery workers. The HTTP server is built but not listening: call `listen()`.
 */
export async function createRelay(config: RelayConfig, logger: Logger): Promise<Relay> {
  for (const file of config.generatedFiles) logger.info({ file }, 'generated secret file');

  const database: OpenDatabase = await openDatabase(config.databaseUrl, config.sqliteSynchronous);
  const box = new SecretBox(config.encryptionKey);
  const profiles = new ProfileStore(database.db, box);
  const outbox = new Outbox(database.db);
  const deliveryLog = new DeliveryLog(database.db);
  const metrics = new RelayMetrics(deliveryLog);
  const profileCache = new ProfileCache(profiles);
  const dispatchers = new DeliveryDispatcherCache({
    policy: createNetworkPolicy({ blocked: config.blockedNetworks, allowed: config.allowedNetworks }),
  });

  try {
    await provisionProfiles(config, profiles, logger);
  } catch (error) {
    await database.close();
    throw error;
  }

  const slackPacer = new SlackPacer();
  const workers = new WorkerPool({
    outbox,
    profiles: profileCache,
    dispatchers,
    slackPacer,
    logger,
    metrics,
    concurrency: config.workerConcurrency,
    profileConcurrency: config.profileConcurrency,
  });

  const services: RelayServices = {
    config,
    logger,
    profiles,
    profileCache,
    outbox,
    deliveryLog,
    workers,
    dispatchers,
    slackPacer,
    metrics,
    async isReady() {
      if (!workers.running) return false;
      try {
        await sql`select 1`.execute(database.db);
        return true;
      } catch {
        return false;
      }
    },
  };
  const server = buildServer(services);

  const prune = async () => {
    try {
      const pruned = await outbox.prune(config.retentionDays * DAY_MS);
      if (pruned.messages > 0 || pruned.episodes > 0) logger.info(pruned, 'delivery log pruned');
    } catch (error) {
      logger.error({ err: error }, 'delivery log pruning failed');
    }
  };
  if (database.dialect === 'sqlite') {
    const released = await outbox.releaseAllLeases();
    if (released > 0) logger.warn({ messages: released }, 'messages in flight at the last stop queued again');
  }
  await prune();
  const pruneTimer = setInterval(() => void prune(), PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  workers.start();

  return {
    server,
    services,
    async listen() {
      const address = await server.listen({ host: config.host, port: config.port });
      logger.info({ address, version: RELAY_VERSION, database: database.dialect, dataDir: config.dataDir }, 'relay started');
      return address;
    },
    async stop() {
      clearInterval(pruneTimer);
      await server.close();
      await workers.stop();
      await dispatchers.close();
      await database.close();
      logger.info('relay stopped');
    },
  };
}
