import type { Delivery, DeliveryDetail, ProfileStatus } from '../../contract/delivery';
import type { Profile } from '../../contract/profile';

export function profileFixture(overrides: Partial<Profile> = {}): Profile {
  return {
    uid: 'noc-main',
    name: 'NOC main',
    enabled: true,
    kind: 'webhook',
    url: 'https://receiver.example:8443/boro',
    signRequests: true,
    secretKeySet: true,
    secretKeyEncoding: 'text',
    headers: [{ name: 'X-Env', value: 'prod' }],
    projectName: 'Grafana',
    level: 'Warning',
    levelFromLabel: null,
    timeoutSeconds: 10,
    tls: { caPem: null, insecureSkipVerify: false },
    templates: {},
    provisioned: false,
    provisionedFrom: null,
    createdAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:00:00.000Z',
    ...overrides,
  };
}

export function profileStatusFixture(overrides: Partial<ProfileStatus> = {}): ProfileStatus {
  return {
    uid: 'noc-main',
    name: 'NOC main',
    enabled: true,
    kind: 'webhook',
    lastDeliveryAt: '2026-11-24T10:02:00.000Z',
    lastState: 'delivered',
    lastError: null,
    delivered24h: 12,
    failed24h: 0,
    pending: 0,
    oldestPendingSeconds: null,
    ...overrides,
  };
}

export function deliveryFixture(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: 41,
    profileUid: 'noc-main',
    sequenceId: 7,
    referenceNumber: 7,
    status: 'Active',
    trigger: 'HighCPU',
    state: 'delivered',
    attempts: 1,
    nextAttemptAt: null,
    lastStatusCode: 200,
    lastError: null,
    createdAt: '2026-11-24T10:02:00.000Z',
    deliveredAt: '2026-11-24T10:02:01.000Z',
    test: false,
    ...overrides,
  };
}

export function deliveryDetailFixture(overrides: Partial<DeliveryDetail> = {}): DeliveryDetail {
  return {
    ...deliveryFixture(),
    message: {
      version: '1',
      sequenceId: 7,
      referenceNumber: 7,
      project_name: 'Grafana',
      probe_name: 'grafana',
      task_uri: 'node-1:9100',
      task_name: 'node',
      trigger: 'HighCPU',
      status: 'Active',
      level: 'Warning',
      time: '2026-11-24T10:02:00Z',
      profile_name: 'NOC main',
    },
    attemptLog: [
      {
        attempt: 1,
        startedAt: '2026-11-24T10:02:00.500Z',
        durationMs: 35,
        statusCode: 200,
        error: null,
        responseBody: 'ok',
      },
    ],
    ...overrides,
  };
}
