import { ERROR_CATALOGUE } from '../../contract/errors.js';
import { NOTIFICATION_SCHEMA } from '../ingest/notification.js';
import { profileInputSchema, profileSchema } from '../profiles/profile-schema.js';
import { RELAY_VERSION } from '../version.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, ...json(ref('Error')) });

const uidParameter = { name: 'uid', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } };
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

const deliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    profileUid: { type: 'string' },
    sequenceId: { type: 'integer' },
    referenceNumber: { type: ['integer', 'null'] },
    status: { enum: ['Active', 'Cleared', 'Event'] },
    trigger: { type: 'string' },
    state: { enum: ['pending', 'delivering', 'retrying', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
    test: { type: 'boolean' },
  },
};

/** Builds the OpenAPI 3.1 document served at `/api/v1/openapi.json`. */
export function buildOpenApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Boro Webhook relay',
      version: RELAY_VERSION,
      description: 'Relays Grafana and Alertmanager webhook notifications to Boro webhook receivers and Slack.',
    },
    components: {
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'BORO_RELAY_API_TOKEN' },
        ingestToken: { type: 'http', scheme: 'bearer', description: 'BORO_RELAY_INGEST_TOKEN (Basic auth with it as password also works)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { enum: Object.keys(ERROR_CATALOGUE) },
                message: { type: 'string' },
                field: { type: 'string' },
              },
            },
          },
        },
        Notification: NOTIFICATION_SCHEMA,
        ProfileInput: profileInputSchema,
        Profile: profileSchema,
        Delivery: deliverySchema,
      },
    },
    security: [{ apiToken: [] }],
    paths: {
      '/api/v1/webhook/{profileUid}': {
        post: {
          summary: 'Ingest a Grafana or Alertmanager webhook notification',
          security: [{ ingestToken: [] }],
          parameters: [{ ...uidParameter, name: 'profileUid' }],
          requestBody: { required: true, ...json(ref('Notification')) },
          responses: {
            202: { description: 'Messages committed to the outbox', ...json({ type: 'object', properties: { accepted: { type: 'integer' }, duplicates: { type: 'integer' }, skipped: { type: 'integer' }, messages: { type: 'array' } } }) },
            400: errorResponse('Invalid notification'),
            401: errorResponse('Missing or wrong ingest token, or bad Grafana HMAC signature'),
            404: errorResponse('Unknown profile'),
            413: errorResponse('Body too large'),
            415: errorResponse('Not JSON'),
          },
        },
      },
      '/api/v1/profiles': {
        get: { summary: 'List profiles', responses: { 200: { description: 'Profiles', ...json({ type: 'object', properties: { profiles: { type: 'array', items: ref('Profile') } } }) } } },
        post: {
          summary: 'Create a profile',
          requestBody: { required: true, ...json(ref('ProfileInput')) },
          responses: { 201: { description: 'Created', ...json(ref('Profile')) }, 400: errorResponse('Invalid profile'), 409: errorResponse('uid taken') },
        },
      },
      '/api/v1/profiles/{uid}': {
        parameters: [uidParameter],
        get: { summary: 'Read a profile', responses: { 200: { description: 'Profile', ...json(ref('Profile')) }, 404: errorResponse('Not found') } },
        put: {
          summary: 'Replace a profile (omitted secretKey, Slack url and null header values keep stored ones)',
          requestBody: { required: true, ...json(ref('ProfileInput')) },
          responses: { 200: { description: 'Updated', ...json(ref('Profile')) }, 400: errorResponse('Invalid profile'), 404: errorResponse('Not found'), 409: errorResponse('Provisioned profile') },
        },
        delete: { summary: 'Delete a profile and its delivery log', responses: { 204: { description: 'Deleted' }, 404: errorResponse('Not found'), 409: errorResponse('Provisioned profile') } },
      },
      '/api/v1/profiles/{uid}/secret': {
        parameters: [uidParameter],
        post: { summary: 'Generate a new secret key, returned once', responses: { 200: { description: 'The new key', ...json({ type: 'object', properties: { secretKey: { type: 'string', pattern: '^[0-9a-f]{64}$' } } }) } } },
      },
      '/api/v1/profiles/{uid}/test': {
        parameters: [uidParameter],
        post: { summary: 'Send a test message through the real delivery path', responses: { 200: { description: 'What was sent and received, secrets redacted' } } },
      },
      '/api/v1/deliveries': {
        get: {
          summary: 'List deliveries, newest first',
          parameters: ['profile', 'state', 'limit', 'before', 'from', 'to'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
          responses: { 200: { description: 'A page of deliveries', ...json({ type: 'object', properties: { deliveries: { type: 'array', items: ref('Delivery') }, next: { type: ['string', 'null'] } } }) } },
        },
      },
      '/api/v1/deliveries/{id}': {
        parameters: [idParameter],
        get: { summary: 'A delivery with its message and attempt log', responses: { 200: { description: 'Delivery' }, 404: errorResponse('Not found') } },
      },
      '/api/v1/deliveries/{id}/retry': {
        parameters: [idParameter],
        post: { summary: 'Requeue a failed delivery', responses: { 202: { description: 'Requeued' }, 409: errorResponse('Not failed') } },
      },
      '/api/v1/status': { get: { summary: 'Delivery status per profile', responses: { 200: { description: 'Status' } } } },
      '/api/v1/stats': {
        get: {
          summary: 'Attempt counts per time bucket, profile and outcome (delivered, retried, failed)',
          parameters: ['from', 'to', 'stepSeconds', 'profile'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
          responses: { 200: { description: 'Buckets' } },
        },
      },
      '/healthz': { get: { summary: 'Process is up', security: [], responses: { 200: { description: 'Up' } } } },
      '/readyz': { get: { summary: 'Database reachable and workers running', security: [], responses: { 200: { description: 'Ready' }, 503: errorResponse('Not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { 200: { description: 'Prometheus text format' } } } },
    },
  };
}
