import type { FastifyInstance } from 'fastify';
import type { IngestResult } from '../../contract/delivery.js';
import { PROFILE_UID_PATTERN } from '../../contract/profile.js';
import { RelayError } from '../errors.js';
import { verifyGrafanaSignature } from '../ingest/grafana-hmac.js';
import { parseNotification } from '../ingest/parse-notification.js';
import { mapAlert } from '../mapping/map-alert.js';
import type { RelayServices } from '../services.js';
import type { OutboxEntry } from '../store/outbox.js';

/**
 * Registers `POST /api/v1/webhook/{profileUid}`, Grafana's (or Alertmanager's) webhook. The messages
 * are committed to the outbox before the 202 response, because Grafana never sends a notification twice.
 */
export function registerIngestRoute(app: FastifyInstance, services: RelayServices): void {
  const { config, logger, metrics } = services;

  app.post<{ Params: { profileUid: string } }>('/api/v1/webhook/:profileUid', async (request, reply) => {
    const receivedAtMs = Date.now();
    if (config.grafanaHmacSecret !== null) {
      verifyGrafanaSignature(request.headers, request.rawBody ?? Buffer.alloc(0), config.grafanaHmacSecret);
    }

    const { profileUid } = request.params;
    if (!PROFILE_UID_PATTERN.test(profileUid)) {
      throw new RelayError('PROFILE_NOT_FOUND', `profile '${profileUid}' does not exist: a uid matches ^[A-Za-z0-9_-]{1,40}$`, 'profileUid');
    }
    const profile = await services.profileCache.get(profileUid);
    if (!profile) {
      throw new RelayError('PROFILE_NOT_FOUND', `profile '${profileUid}' does not exist; create it first or fix the contact point URL`, 'profileUid');
    }

    const notification = parseNotification(request.body);
    metrics.notificationsReceived.inc({ profile: profile.uid });

    const entries: OutboxEntry[] = [];
    let dropped = 0;
    for (const alert of notification.alerts) {
      const mapped = mapAlert(alert, {
        profile,
        grafanaUrl: config.grafanaUrl,
        externalURL: notification.externalURL,
        receivedAtMs,
      });
      if (mapped.kind === 'message') entries.push(mapped);
      else dropped += 1;
    }

    let result: IngestResult;
    if (!profile.enabled) {
      result = { accepted: 0, duplicates: 0, skipped: notification.alerts.length, messages: [] };
    } else {
      result = await services.outbox.accept(profile.uid, entries, receivedAtMs);
      result.skipped += dropped;
      if (result.accepted > 0) services.workers.wake();
    }

    for (const message of result.messages) metrics.messages.inc({ profile: profile.uid, status: message.status, result: 'accepted' });
    if (result.duplicates > 0) metrics.messages.inc({ profile: profile.uid, status: 'any', result: 'duplicate' }, result.duplicates);
    if (result.skipped > 0) metrics.messages.inc({ profile: profile.uid, status: 'any', result: 'skipped' }, result.skipped);

    logger.info(
      {
        profileUid: profile.uid,
        source: notification.source,
        alerts: notification.alerts.length,
        accepted: result.accepted,
        duplicates: result.duplicates,
        skipped: result.skipped,
        sequenceIds: result.messages.map((message) => message.sequenceId),
      },
      'notification accepted',
    );
    return reply.code(202).send(result);
  });
}
