import React, { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Drawer, InteractiveTable, LoadingPlaceholder, Stack, Text, type Column } from '@grafana/ui';
import { asRelayApiError, relayClient, type RelayApiError } from '../../api/relay-client';
import type { DeliveryAttempt, DeliveryDetail } from '../../contract/delivery';
import { DeliveryStateBadge } from '../DeliveryStateBadge';
import { formatTime } from '../format';
import { testIds } from '../testIds';

type DetailState =
  { status: 'loading' } | { status: 'error'; error: RelayApiError } | { status: 'ready'; delivery: DeliveryDetail };

interface DeliveryDrawerProps {
  deliveryId: number;
  onClose: () => void;
  /** Called with the delivery as the relay returns it after a retry, so the list can show its new state. */
  onRetried: (delivery: DeliveryDetail) => void;
}

/** Shows one delivery: its Boro message, every attempt, and Retry when it failed. Render it with `key={deliveryId}`. */
export function DeliveryDrawer({ deliveryId, onClose, onRetried }: DeliveryDrawerProps) {
  const [detail, setDetail] = useState<DetailState>({ status: 'loading' });
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<RelayApiError | null>(null);

  useEffect(() => {
    let cancelled = false;
    fetchDetail(deliveryId).then((state) => {
      if (!cancelled) {
        setDetail(state);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [deliveryId]);

  const retry = async () => {
    setRetrying(true);
    setRetryError(null);
    try {
      await relayClient.retryDelivery(deliveryId);
      const refreshed = await fetchDetail(deliveryId);
      setDetail(refreshed);
      if (refreshed.status === 'ready') {
        onRetried(refreshed.delivery);
      }
    } catch (error) {
      setRetryError(asRelayApiError(error));
    } finally {
      setRetrying(false);
    }
  };

  return (
    <Drawer title={`Delivery ${deliveryId}`} size="lg" onClose={onClose}>
      <div data-testid={testIds.deliveries.drawer}>
        <DrawerContent detail={detail} retrying={retrying} retryError={retryError} onRetry={retry} />
      </div>
    </Drawer>
  );
}

/** Loads one delivery into a screen state, turning a failed request into the error state. */
async function fetchDetail(deliveryId: number): Promise<DetailState> {
  try {
    return { status: 'ready', delivery: await relayClient.getDelivery(deliveryId) };
  } catch (error) {
    return { status: 'error', error: asRelayApiError(error) };
  }
}

interface DrawerContentProps {
  detail: DetailState;
  retrying: boolean;
  retryError: RelayApiError | null;
  onRetry: () => void;
}

function DrawerContent({ detail, retrying, retryError, onRetry }: DrawerContentProps) {
  if (detail.status === 'loading') {
    return <LoadingPlaceholder text="Loading delivery..." />;
  }

  if (detail.status === 'error') {
    return (
      <Alert severity="error" title="Loading the delivery failed" data-testid={testIds.deliveries.drawerError}>
        {detail.error.message}
      </Alert>
    );
  }

  const { delivery } = detail;
  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <DeliveryStateBadge state={delivery.state} />
        <span>
          {delivery.status} {delivery.trigger}
        </span>
        <span>Profile {delivery.profileUid}</span>
        <span>{delivery.test ? 'Test message' : `Sequence ${delivery.sequenceId}`}</span>
        <span>Created {formatTime(delivery.createdAt)}</span>
        {delivery.deliveredAt && <span>Delivered {formatTime(delivery.deliveredAt)}</span>}
        {delivery.nextAttemptAt && <span>Next attempt {formatTime(delivery.nextAttemptAt)}</span>}
        {delivery.state === 'failed' && (
          <Button icon="sync" data-testid={testIds.deliveries.retry} disabled={retrying} onClick={onRetry}>
            {retrying ? 'Retrying...' : 'Retry'}
          </Button>
        )}
      </Stack>

      {retryError && (
        <Alert severity="error" title="Retrying the delivery failed">
          {retryError.message}
        </Alert>
      )}
      {delivery.lastError && (
        <Alert severity={delivery.state === 'delivered' ? 'info' : 'warning'} title="Last error">
          {delivery.lastError}
        </Alert>
      )}

      <Text element="h4">Message</Text>
      <pre data-testid={testIds.deliveries.message}>{JSON.stringify(delivery.message, null, 2)}</pre>

      <Text element="h4">Attempts</Text>
      <AttemptsTable attempts={delivery.attemptLog} />
    </Stack>
  );
}

function AttemptsTable({ attempts }: { attempts: DeliveryAttempt[] }) {
  const columns = useMemo<Array<Column<DeliveryAttempt>>>(
    () => [
      { id: 'attempt', header: 'Attempt' },
      { id: 'startedAt', header: 'Start', cell: ({ row }) => formatTime(row.original.startedAt) },
      { id: 'durationMs', header: 'Duration', cell: ({ row }) => `${row.original.durationMs} ms` },
      { id: 'statusCode', header: 'Status code', cell: ({ row }) => row.original.statusCode ?? '-' },
      { id: 'error', header: 'Error', cell: ({ row }) => row.original.error ?? '' },
      {
        id: 'responseBody',
        header: 'Response (first 2 KiB)',
        cell: ({ row }) => (row.original.responseBody ? <pre>{row.original.responseBody}</pre> : ''),
      },
    ],
    []
  );

  if (attempts.length === 0) {
    return <Text color="secondary">No attempts yet.</Text>;
  }
  return (
    <div data-testid={testIds.deliveries.attempts}>
      <InteractiveTable columns={columns} data={attempts} getRowId={(attempt) => String(attempt.attempt)} />
    </div>
  );
}
