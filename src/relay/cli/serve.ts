import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createRelay } from '../app.js';

/** `boro-relay serve`: runs the relay until SIGTERM or SIGINT, then drains and stops. */
export async function runServeCommand(): Promise<void> {
  // The configured level is not validated yet, so configuration errors are logged at info.
  const bootLogger = createLogger('info');
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
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const reason = `cannot listen on ${config.host}:${config.port} (${code}); choose another BORO_RELAY_PORT or BORO_RELAY_HOST`;
      logger.fatal({ reason }, 'relay failed to start');
    } else {
      logger.fatal({ err: error }, 'relay failed to start');
    }
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
