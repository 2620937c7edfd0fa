import type { RelayApiError } from '../../api/relay-client';

/** Props for a Field that shows the relay's validation error when it names `field`. */
export function fieldErrorProps(error: RelayApiError | null, field: string): { invalid: boolean; error?: string } {
  if (error?.field === field) {
    return { invalid: true, error: error.message };
  }
  return { invalid: false };
}

const FIELDS_WITH_INPUTS = [
  /^name$/,
  /^url$/,
  /^kind$/,
  /^secretKey$/,
  /^secretKeyEncoding$/,
  /^headers\[\d+\]\.(name|value)$/,
  /^projectName$/,
  /^level$/,
  /^levelFromLabel$/,
  /^timeoutSeconds$/,
  /^tls\.caPem$/,
  /^templates\.[a-z_]+$/,
];

/**
 * Tells whether the editor shows the error at an input; other errors go to the Alert above the form.
 * The uid has an input only while a profile is created.
 */
export function isShownAtField(error: RelayApiError | null, headerCount: number, isNew: boolean): boolean {
  const field = error?.field;
  if (field === 'uid') {
    return isNew;
  }
  if (!field || !FIELDS_WITH_INPUTS.some((pattern) => pattern.test(field))) {
    return false;
  }
  const headerIndex = /^headers\[(\d+)\]/.exec(field);
  return headerIndex === null || Number(headerIndex[1]) < headerCount;
}

/** Tells whether the error names a field of the collapsed "Templates and TLS" section. */
export function isAdvancedField(error: RelayApiError | null): boolean {
  return /^(templates|tls)\./.test(error?.field ?? '');
}
