import type { BoroMessage, BoroStatus } from './message.js';

export type DeliveryState = 'pending' | 'delivering' | 'retrying' | 'delivered' | 'failed';

export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivering', 'retrying', 'delivered', 'failed'];

export interface Delivery {
  id: number;
  profileUid: string;
  sequenceId: number;
  referenceNumber: number | null;
  status: BoroStatus;
  trigger: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  test: boolean;
}

export interface DeliveryAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** The first 2 KiB of the receiver's response body. */
  responseBody: string | null;
}

export interface DeliveryDetail extends Delivery {
  message: BoroMessage;
  attemptLog: DeliveryAttempt[];
}

export interface DeliveryList {
  deliveries: Delivery[];
  /** Cursor for the next, older page (`before=`), or null on the last page. */
  next: string | null;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  skipped: number;
  messages: Array<{ sequenceId: number; status: BoroStatus; trigger: string }>;
}

export interface TestMessageResult {
  delivered: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
  request: {
    url: string;
    headers: Record<string, string>;
    body: string;
    /** The string that was signed, when the profile signs requests. */
    canonicalString?: string;
  };
}

export interface ProfileStatus {
  uid: string;
  name: string;
  enabled: boolean;
  kind: 'webhook' | 'slack';
  lastDeliveryAt: string | null;
  lastState: DeliveryState | null;
  lastError: string | null;
  delivered24h: number;
  failed24h: number;
  pending: number;
  oldestPendingSeconds: number | null;
}

export type StatsOutcome = 'delivered' | 'retried' | 'failed';

export interface StatsBucket {
  time: string;
  profileUid: string;
  outcome: StatsOutcome;
  count: number;
}

export interface StatsResult {
  from: string;
  to: string;
  stepSeconds: number;
  buckets: StatsBucket[];
}
