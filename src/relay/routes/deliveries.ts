import type { FastifyInstance } from 'fastify';
import { DELIVERY_STATES, type DeliveryState } from '../../contract/delivery.js';
import { RelayError } from '../errors.js';
import type { RelayServices } from '../services.js';
import { readIntegerParam, readTimeParam } from './query-params.js';

type Query = { Querystring: Record<string, string | undefined> };

const MAX_STATS_BUCKETS = 11_000;

function readDeliveryId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new RelayError('REQUEST_INVALID', `delivery id must be a positive integer, got '${text}'`, 'id');
  }
  return id;
}

/** Registers the delivery log, retry, profile status and stats routes. */
export function registerDeliveryRoutes(app: FastifyInstance, services: RelayServices): void {
  const { deliveryLog, outbox, profiles, logger } = services;

  app.get<Query>('/api/v1/deliveries', async (request) => {
    const { query } = request;
    const state = query.state === undefined || query.state === '' ? undefined : query.state;
    if (state !== undefined && !DELIVERY_STATES.includes(state as DeliveryState)) {
      throw new RelayError('REQUEST_INVALID', `state must be one of ${DELIVERY_STATES.join(', ')}, got '${state}'`, 'state');
    }

    return deliveryLog.list({
      profileUid: query.profile === '' ? undefined : query.profile,
      state: state as DeliveryState | undefined,
      limit: readIntegerParam(query, 'limit', { min: 1, max: 1000, fallback: 100 }) ?? 100,
      beforeId: readIntegerParam(query, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER }),
      fromMs: readTimeParam(query, 'from'),
      toMs: readTimeParam(query, 'to'),
    });
  });

  app.get<{ Params: { id: string } }>('/api/v1/deliveries/:id', async (request) => {
    const id = readDeliveryId(request.params.id);
    const detail = await deliveryLog.find(id);
    if (!detail) throw new RelayError('DELIVERY_NOT_FOUND', `delivery ${id} does not exist or was pruned`, 'id');
    return detail;
  });

  app.post<{ Params: { id: string } }>('/api/v1/deliveries/:id/retry', async (request, reply) => {
    const id = readDeliveryId(request.params.id);
    const state = await deliveryLog.stateOf(id);
    if (state === null) throw new RelayError('DELIVERY_NOT_FOUND', `delivery ${id} does not exist or was pruned`, 'id');

    const requeued = await outbox.requeue(id);
    if (!requeued) {
      throw new RelayError('DELIVERY_NOT_RETRYABLE', `delivery ${id} is ${state}; only failed deliveries can be retried`, 'id');
    }
    services.workers.wake();
    logger.info({ deliveryId: id }, 'delivery requeued');
    return reply.code(202).send(await deliveryLog.find(id));
  });

  app.get('/api/v1/status', async () => {
    const records = await profiles.list();
    const summaries = records.map(({ uid, name, enabled, kind }) => ({ uid, name, enabled, kind }));
    return { profiles: await deliveryLog.profileStatus(summaries) };
  });

  app.get<Query>('/api/v1/stats', async (request) => {
    const { query } = request;
    const nowMs = Date.now();
    const toMs = readTimeParam(query, 'to') ?? nowMs;
    const fromMs = readTimeParam(query, 'from') ?? toMs - 24 * 60 * 60 * 1000;
    const stepSeconds = readIntegerParam(query, 'stepSeconds', { min: 1, max: 31 * 24 * 3600, fallback: 300 }) ?? 300;
    if (fromMs >= toMs) {
      throw new RelayError('REQUEST_INVALID', `from must be earlier than to, got from=${query.from} to=${query.to ?? 'now'}`, 'from');
    }
    if ((toMs - fromMs) / (stepSeconds * 1000) > MAX_STATS_BUCKETS) {
      throw new RelayError('REQUEST_INVALID', `stepSeconds ${stepSeconds} makes more than ${MAX_STATS_BUCKETS} buckets for this range; use a larger step`, 'stepSeconds');
    }

    const profileUid = query.profile === undefined || query.profile === '' ? undefined : query.profile;
    const buckets = await deliveryLog.stats({ fromMs, toMs, stepMs: stepSeconds * 1000, profileUid });
    return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), stepSeconds, buckets };
  });
}
