import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRelay } from '../app.js';

/** `boro-relay serve`: runs the relay until SIGTERM or SIGINT, then drains and stops. */
export async function runServeCommand(): Promise<void> {
  const bootLogger = createLogger(process.env.BORO_RELAY_LOG_LEVEL ?? 'info');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      bootLogger.fatal({ reason: error.message }, 'invalid configuration');
      process.exitCode = 2;
      return;
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  let relay;
  try {
    relay = await createRelay(config, logger);
    await relay.listen();
  } catch (error) {
    logger.fatal({ err: error }, 'relay failed to start');
    process.exitCode = 1;
    await relay?.stop().catch(() => undefined);
    return;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'relay stopping');
    relay
      .stop()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'relay stop failed');
        process.exitCode = 1;
      })
      .finally(() => process.exit());
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
