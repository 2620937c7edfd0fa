import { asRelayApiError, relayClient, type RelayApiError } from '../../api/relay-client';

export interface ConnectionReport {
  severity: 'success' | 'warning' | 'error';
  title: string;
  detail: string;
}

/**
 * Calls the relay through Grafana's plugin proxy, with the saved settings: `/healthz` for the version,
 * `/readyz` for readiness and `GET /api/v1/profiles` to prove that the API token is accepted.
 */
export async function testRelayConnection(tokenConfigured: boolean): Promise<ConnectionReport> {
  let version: string;
  try {
    version = (await relayClient.health()).version;
  } catch (error) {
    return describeUnreachable(asRelayApiError(error));
  }

  let profileCount: number;
  try {
    profileCount = (await relayClient.listProfiles()).length;
  } catch (error) {
    return describeTokenFailure(asRelayApiError(error), version, tokenConfigured);
  }

  const tokenAccepted = `The API token is accepted (${profileCount} ${profileCount === 1 ? 'profile' : 'profiles'}).`;
  try {
    await relayClient.readiness();
  } catch (error) {
    return {
      severity: 'warning',
      title: `Relay ${version} is reachable but not ready`,
      detail: `${asRelayApiError(error).message}. ${tokenAccepted}`,
    };
  }
  return {
    severity: 'success',
    title: `Connected to relay ${version}`,
    detail: `The relay is ready: its database is reachable and its delivery workers run. ${tokenAccepted}`,
  };
}

function describeUnreachable(error: RelayApiError): ConnectionReport {
  if (error.status === 502 || error.status === 504 || error.status === 0) {
    return {
      severity: 'error',
      title: 'Relay unreachable',
      detail:
        "Grafana's server could not reach the relay at the saved relay URL. Check that the URL is the one Grafana's " +
        'server uses (for example http://relay:8686 in Docker Compose) and that the relay runs.',
    };
  }
  return { severity: 'error', title: 'Connection test failed', detail: error.message };
}

function describeTokenFailure(error: RelayApiError, version: string, tokenConfigured: boolean): ConnectionReport {
  if (error.status === 401) {
    return {
      severity: 'error',
      title: tokenConfigured ? 'The API token is wrong' : 'No API token is saved',
      detail:
        `Relay ${version} is reachable but rejected the request: ${error.message}. Paste the relay's API token ` +
        '(BORO_RELAY_API_TOKEN, or the api-token file in its data directory) and save.',
    };
  }
  return {
    severity: 'error',
    title: `Relay ${version} is reachable, but listing profiles failed`,
    detail: error.message,
  };
}
