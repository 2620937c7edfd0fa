import { BORO_MESSAGE_KEYS, type BoroMessage } from '../../contract/message.js';
import type { MessageFields } from './map-alert.js';

/**
 * Serialises a Boro message as compact JSON: keys in BORO_MESSAGE_KEYS order, `version` "1" first,
 * empty optional keys left out. A test message has sequenceId 0, and an Event has no referenceNumber.
 */
export function serialiseMessage(
  fields: MessageFields,
  sequenceId: number,
  referenceNumber: number | undefined,
): string {
  const message: Partial<BoroMessage> = { ...fields, version: '1', sequenceId, referenceNumber };
  return JSON.stringify(pickInKeyOrder(message));
}

/** Returns the fields in BORO_MESSAGE_KEYS order, without the keys whose value is empty. */
export function orderMessageFields(fields: MessageFields): MessageFields {
  return pickInKeyOrder(fields) as MessageFields;
}

function pickInKeyOrder(message: Partial<BoroMessage>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of BORO_MESSAGE_KEYS) {
    const value = message[key];
    if (!isEmptyValue(value)) ordered[key] = value;
  }
  return ordered;
}

/** Empty means undefined, null, '', [] or {}; `0` and `false` are values. */
function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
