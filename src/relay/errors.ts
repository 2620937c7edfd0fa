import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from '../contract/errors.js';

/** An error the relay returns to an API caller with a catalogue code, a message and the field at fault. */
export class RelayError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'RelayError';
    this.code = code;
    this.statusCode = ERROR_CATALOGUE[code].status;
    this.field = field;
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.field !== undefined) error.field = this.field;
    return { error };
  }
}

/** Shows a received value in an error message: quoted, shortened, never more than 80 characters. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
