import type { FastifyInstance } from 'fastify';
import { RelayError } from '../errors.js';
import type { RelayServices } from '../services.js';
import { RELAY_VERSION } from '../version.js';
import { buildOpenApiDocument } from './openapi.js';

/** `/healthz`, `/readyz`, `/metrics` and the OpenAPI document: no token needed. */
export function registerOperationRoutes(app: FastifyInstance, services: RelayServices): void {
  app.get('/healthz', async () => ({ status: 'ok', version: RELAY_VERSION }));

  app.get('/readyz', async () => {
    if (!(await services.isReady())) {
      throw new RelayError('NOT_READY', 'the relay is not ready: its database is unreachable or its workers are stopped');
    }
    return { status: 'ready', version: RELAY_VERSION };
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await services.metrics.registry.metrics();
    return reply.type(services.metrics.registry.contentType).send(text);
  });

  const openApi = buildOpenApiDocument();
  app.get('/api/v1/openapi.json', async () => openApi);
}
