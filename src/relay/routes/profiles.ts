import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { RelayError } from '../errors.js';
import { sendTestMessage } from '../delivery/test-message.js';
import type { ProfileRecord } from '../profiles/profile-record.js';
import { toPublicProfile } from '../profiles/public-profile.js';
import { validateProfileInput } from '../profiles/validate-profile.js';
import type { RelayServices } from '../services.js';

type UidParams = { Params: { uid: string } };

function generateUid(): string {
  return randomBytes(9).toString('base64url');
}

function rejectProvisioned(record: ProfileRecord): void {
  if (record.provisionedFrom === null) return;
  throw new RelayError(
    'PROFILE_PROVISIONED',
    `profile '${record.uid}' is provisioned from ${record.provisionedFrom} and is read-only through the API; edit that file and restart the relay`,
    'uid',
  );
}

/** Profile management: `/api/v1/profiles` and its secret and test actions. */
export function registerProfileRoutes(app: FastifyInstance, services: RelayServices): void {
  const { profiles, profileCache, logger } = services;

  app.get('/api/v1/profiles', async () => {
    const records = await profiles.list();
    return { profiles: records.map(toPublicProfile) };
  });

  app.get<UidParams>('/api/v1/profiles/:uid', async (request) => {
    return toPublicProfile(await profiles.get(request.params.uid));
  });

  app.post('/api/v1/profiles', async (request, reply) => {
    const spec = validateProfileInput(request.body, { existing: null, generateUid });
    const record = await profiles.create(spec);
    profileCache.invalidate(record.uid);
    logger.info({ profileUid: record.uid, kind: record.kind }, 'profile created');
    return reply.code(201).send(toPublicProfile(record));
  });

  app.put<UidParams>('/api/v1/profiles/:uid', async (request) => {
    const existing = await profiles.get(request.params.uid);
    rejectProvisioned(existing);

    const spec = validateProfileInput(request.body, { existing, uidFromPath: existing.uid, generateUid });
    const record = await profiles.update(spec);
    profileCache.invalidate(record.uid);
    logger.info({ profileUid: record.uid }, 'profile updated');
    return toPublicProfile(record);
  });

  app.delete<UidParams>('/api/v1/profiles/:uid', async (request, reply) => {
    const existing = await profiles.get(request.params.uid);
    rejectProvisioned(existing);

    await profiles.delete(existing.uid);
    profileCache.invalidate(existing.uid);
    logger.info({ profileUid: existing.uid }, 'profile deleted');
    return reply.code(204).send();
  });

  app.post<UidParams>('/api/v1/profiles/:uid/secret', async (request) => {
    const existing = await profiles.get(request.params.uid);
    rejectProvisioned(existing);

    const secretKey = randomBytes(32).toString('hex');
    const { createdAt: _createdAt, updatedAt: _updatedAt, ...spec } = existing;
    await profiles.update({ ...spec, secretKey });
    profileCache.invalidate(existing.uid);
    logger.info({ profileUid: existing.uid }, 'profile secret key generated');
    return { secretKey };
  });

  app.post<UidParams>('/api/v1/profiles/:uid/test', async (request) => {
    const profile = await profiles.get(request.params.uid);
    return sendTestMessage(services, profile);
  });
}
