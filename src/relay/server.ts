import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { RelayError } from './errors.js';
import type { RelayServices } from './services.js';
import { requireToken } from './routes/auth.js';
import { registerDeliveryRoutes } from './routes/deliveries.js';
import { registerIngestRoute } from './routes/ingest.js';
import { registerOperationRoutes } from './routes/operations.js';
import { registerProfileRoutes } from './routes/profiles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received, kept for HMAC verification. */
    rawBody?: Buffer;
  }
}

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json']);

/** Translates any error a route throws into the catalogue's `{"error": {code, message, field}}` body. */
function toRelayError(error: FastifyError | RelayError | Error): RelayError {
  if (error instanceof RelayError) return error;

  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RelayError('BODY_TOO_LARGE', 'the request body is larger than BORO_RELAY_MAX_BODY_BYTES; send fewer alerts per notification or raise the limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new RelayError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be sent with Content-Type: application/json', 'Content-Type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new RelayError('REQUEST_INVALID', 'the Content-Length header does not match the body', 'Content-Length');
    default:
      break;
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new RelayError('REQUEST_INVALID', fastifyError.message);
  }
  return new RelayError('INTERNAL', 'internal error; the relay log has the details');
}

/** Builds the relay's HTTP server on its services; the caller listens (or uses `inject()` in tests). */
export function buildServer(services: RelayServices): FastifyInstance {
  const { config, logger } = services;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // The ingest route logs one line per notification itself; per-request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (error) {
      const reason = error instanceof SyntaxError ? error.message : 'unparsable';
      done(new RelayError('BODY_NOT_JSON', `the request body is not valid JSON: ${reason}`), undefined);
    }
  });

  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (PUBLIC_PATHS.has(path)) return;

    // Tokens are checked before the body is read, so an unauthenticated caller cannot make the relay parse it.
    if (path.startsWith('/api/v1/webhook/')) requireToken(request, config.ingestToken, 'ingest');
    else if (path.startsWith('/api/v1/')) requireToken(request, config.apiToken, 'API');
  });

  app.setErrorHandler((error: FastifyError | RelayError, request, reply) => {
    const relayError = toRelayError(error);
    if (relayError.code === 'INTERNAL') {
      logger.error({ err: error, method: request.method, route: request.routeOptions.url }, 'request failed');
    } else if (relayError.statusCode === 401) {
      logger.warn({ route: request.routeOptions.url, code: relayError.code, remoteAddress: request.ip }, 'request rejected');
    }
    return reply.code(relayError.statusCode).send(relayError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new RelayError('ROUTE_NOT_FOUND', `no route for ${request.method} ${request.url.split('?', 1)[0]}; see /api/v1/openapi.json`);
    return reply.code(404).send(error.toBody());
  });

  registerOperationRoutes(app, services);
  registerIngestRoute(app, services);
  registerProfileRoutes(app, services);
  registerDeliveryRoutes(app, services);
  return app;
}
