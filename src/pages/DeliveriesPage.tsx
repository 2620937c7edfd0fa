import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, EmptyState, LoadingPlaceholder, Stack } from '@grafana/ui';
import { asRelayApiError, relayClient, type DeliveryFilter, type RelayApiError } from '../api/relay-client';
import { DELIVERY_STATES, type Delivery, type DeliveryDetail, type DeliveryState } from '../contract/delivery';
import type { Profile } from '../contract/profile';
import { DeliveriesTable } from '../components/Deliveries/DeliveriesTable';
import { DeliveryDrawer } from '../components/Deliveries/DeliveryDrawer';
import { DeliveryFiltersBar } from '../components/Deliveries/DeliveryFiltersBar';
import { anyTimeRange, toDeliveryQuery, type DeliveryFilters } from '../components/Deliveries/delivery-query';
import { testIds } from '../components/testIds';

type ListState =
  | { status: 'loading' }
  | { status: 'error'; error: RelayApiError }
  | {
      status: 'ready';
      deliveries: Delivery[];
      /** Cursor of the next, older page, or null on the last page. */
      next: string | null;
      /** The query of the first page, reused with `before` for the next ones. */
      query: DeliveryFilter;
      loadingMore: boolean;
      moreError: RelayApiError | null;
    };

/** Shows the delivery log: filters, a table of deliveries newest first, and a drawer with one delivery. */
export default function DeliveriesPage() {
  const [searchParams] = useSearchParams();
  const [filters, setFilters] = useState<DeliveryFilters>(() => initialFilters(searchParams));
  const [listState, setListState] = useState<ListState>({ status: 'loading' });
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [profilesError, setProfilesError] = useState<RelayApiError | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  // Responses to an older filter selection are dropped when they arrive after the newer one's.
  const listRequest = useRef(0);

  useEffect(() => {
    relayClient.listProfiles().then(setProfiles, (error: unknown) => setProfilesError(asRelayApiError(error)));
  }, []);

  useEffect(() => {
    const requestNumber = ++listRequest.current;
    const query = toDeliveryQuery(filters);

    relayClient.listDeliveries(query).then(
      ({ deliveries, next }) => {
        if (requestNumber === listRequest.current) {
          setListState({ status: 'ready', deliveries, next, query, loadingMore: false, moreError: null });
        }
      },
      (error: unknown) => {
        if (requestNumber === listRequest.current) {
          setListState({ status: 'error', error: asRelayApiError(error) });
        }
      }
    );
  }, [filters]);

  const changeFilters = (changed: DeliveryFilters) => {
    setListState({ status: 'loading' });
    setFilters(changed);
  };

  const loadMore = async () => {
    if (listState.status !== 'ready' || listState.next === null) {
      return;
    }
    const requestNumber = listRequest.current;
    const { query, next } = listState;
    setListState({ ...listState, loadingMore: true, moreError: null });

    try {
      const page = await relayClient.listDeliveries({ ...query, before: next });
      if (requestNumber === listRequest.current) {
        setListState((current) =>
          current.status === 'ready'
            ? {
                ...current,
                deliveries: [...current.deliveries, ...page.deliveries],
                next: page.next,
                loadingMore: false,
              }
            : current
        );
      }
    } catch (error) {
      setListState((current) =>
        current.status === 'ready' ? { ...current, loadingMore: false, moreError: asRelayApiError(error) } : current
      );
    }
  };

  const onRetried = useCallback((updated: DeliveryDetail) => {
    setListState((current) =>
      current.status === 'ready'
        ? {
            ...current,
            deliveries: current.deliveries.map((delivery) =>
              delivery.id === updated.id ? toDelivery(updated) : delivery
            ),
          }
        : current
    );
  }, []);

  const profileNames = useMemo(() => new Map(profiles.map((profile) => [profile.uid, profile.name])), [profiles]);

  return (
    <PluginPage>
      <div data-testid={testIds.deliveries.container}>
        <Stack direction="column" gap={2}>
          <DeliveryFiltersBar filters={filters} profiles={profiles} onChange={changeFilters} />
          {profilesError && (
            <Alert severity="warning" title="The profile list is unavailable">
              {profilesError.message}
            </Alert>
          )}
          <DeliveriesContent
            listState={listState}
            filtered={hasFilters(filters)}
            profileNames={profileNames}
            onShowDetails={setSelectedId}
            onLoadMore={loadMore}
          />
        </Stack>

        {selectedId !== null && (
          <DeliveryDrawer
            key={selectedId}
            deliveryId={selectedId}
            onClose={() => setSelectedId(null)}
            onRetried={onRetried}
          />
        )}
      </div>
    </PluginPage>
  );
}

/** Reads `?profile=<uid>&state=<state>` so other pages can link to a filtered log. */
function initialFilters(searchParams: URLSearchParams): DeliveryFilters {
  const state = searchParams.get('state');
  return {
    profileUid: searchParams.get('profile') || null,
    state: DELIVERY_STATES.includes(state as DeliveryState) ? (state as DeliveryState) : null,
    timeRange: anyTimeRange(),
  };
}

function hasFilters(filters: DeliveryFilters): boolean {
  return Object.keys(toDeliveryQuery(filters)).some((key) => key !== 'limit');
}

function toDelivery({ message: _message, attemptLog: _attemptLog, ...delivery }: DeliveryDetail): Delivery {
  return delivery;
}

interface DeliveriesContentProps {
  listState: ListState;
  filtered: boolean;
  profileNames: Map<string, string>;
  onShowDetails: (deliveryId: number) => void;
  onLoadMore: () => void;
}

function DeliveriesContent({ listState, filtered, profileNames, onShowDetails, onLoadMore }: DeliveriesContentProps) {
  if (listState.status === 'loading') {
    return <LoadingPlaceholder text="Loading deliveries..." />;
  }

  if (listState.status === 'error') {
    return (
      <Alert severity="error" title="Loading deliveries failed" data-testid={testIds.deliveries.error}>
        {listState.error.message}
      </Alert>
    );
  }

  if (listState.deliveries.length === 0) {
    return (
      <div data-testid={testIds.deliveries.emptyState}>
        {filtered ? (
          <EmptyState variant="not-found" message="No deliveries match these filters" />
        ) : (
          <EmptyState variant="call-to-action" message="No deliveries yet">
            A delivery is logged for every message the relay sends: when a Grafana contact point posts alerts to the
            relay, or when you send a test message from a profile.
          </EmptyState>
        )}
      </div>
    );
  }

  return (
    <Stack direction="column" gap={2}>
      <DeliveriesTable deliveries={listState.deliveries} profileNames={profileNames} onShowDetails={onShowDetails} />
      {listState.moreError && (
        <Alert severity="error" title="Loading more deliveries failed">
          {listState.moreError.message}
        </Alert>
      )}
      {listState.next !== null && (
        <div>
          <Button
            variant="secondary"
            data-testid={testIds.deliveries.loadMore}
            disabled={listState.loadingMore}
            onClick={onLoadMore}
          >
            {listState.loadingMore ? 'Loading...' : 'Load more'}
          </Button>
        </div>
      )}
    </Stack>
  );
}
