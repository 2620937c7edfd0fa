/**
 * The relay's error catalogue: every error response is
 * `{"error": {"code", "message", "field"?}}` with one of these codes and its HTTP status.
 * The README's error table is checked against this object by a test.
 */
export const ERROR_CATALOGUE = {
  REQUEST_INVALID: { status: 400, description: 'A path or query parameter is invalid.' },
  BODY_NOT_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  NOTIFICATION_INVALID: {
    status: 400,
    description: 'The ingest body is not a Grafana or Alertmanager (version 4) webhook notification.',
  },
  PROFILE_INVALID: { status: 400, description: 'A profile field is invalid; `field` names it.' },
  AUTH_REQUIRED: { status: 401, description: 'The request has no bearer token or Basic auth password.' },
  AUTH_INVALID: { status: 401, description: 'The token is wrong for this route.' },
  SIGNATURE_INVALID: {
    status: 401,
    description: 'The X-Grafana-Alerting-Signature header is missing or does not match the body.',
  },
  PROFILE_NOT_FOUND: { status: 404, description: 'No profile has this uid.' },
  DELIVERY_NOT_FOUND: { status: 404, description: 'No delivery has this id (it may have been pruned).' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path.' },
  PROFILE_UID_TAKEN: { status: 409, description: 'A profile with this uid already exists.' },
  PROFILE_PROVISIONED: {
    status: 409,
    description: 'The profile is provisioned from a YAML file and is read-only through the API.',
  },
  DELIVERY_NOT_RETRYABLE: { status: 409, description: 'Only failed deliveries can be retried.' },
  BODY_TOO_LARGE: { status: 413, description: 'The body exceeds BORO_RELAY_MAX_BODY_BYTES.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The body must be sent as application/json.' },
  NOT_READY: { status: 503, description: 'The relay is starting or stopping, or its database is unreachable.' },
  INTERNAL: { status: 500, description: 'An unexpected error; the relay log has the details.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field?: string;
  };
}
