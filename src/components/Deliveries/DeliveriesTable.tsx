import React, { useMemo } from 'react';
import { Badge, Button, InteractiveTable, Stack, type Column } from '@grafana/ui';
import type { Delivery } from '../../contract/delivery';
import { DeliveryStateBadge } from '../DeliveryStateBadge';
import { formatTime } from '../format';
import { testIds } from '../testIds';

interface DeliveriesTableProps {
  deliveries: Delivery[];
  /** Names of profiles by uid; a uid without a name is shown as it is. */
  profileNames: Map<string, string>;
  onShowDetails: (deliveryId: number) => void;
}

export function DeliveriesTable({ deliveries, profileNames, onShowDetails }: DeliveriesTableProps) {
  const columns = useMemo<Array<Column<Delivery>>>(
    () => [
      {
        id: 'id',
        header: 'Id',
        cell: ({ row }) => <span data-testid={testIds.deliveries.row(row.original.id)}>{row.original.id}</span>,
      },
      {
        id: 'profileUid',
        header: 'Profile',
        cell: ({ row }) => profileNames.get(row.original.profileUid) ?? row.original.profileUid,
      },
      {
        id: 'sequenceId',
        header: 'Sequence',
        cell: ({ row }) => (row.original.test ? <Badge color="purple" text="test" /> : row.original.sequenceId),
      },
      { id: 'status', header: 'Status' },
      { id: 'trigger', header: 'Trigger' },
      { id: 'state', header: 'State', cell: ({ row }) => <DeliveryStateBadge state={row.original.state} /> },
      { id: 'attempts', header: 'Attempts' },
      { id: 'last', header: 'Last status / error', cell: ({ row }) => describeLastAttempt(row.original) },
      { id: 'createdAt', header: 'Created', cell: ({ row }) => formatTime(row.original.createdAt) },
      {
        id: 'details',
        header: '',
        cell: ({ row }) => (
          <Stack justifyContent="flex-end">
            <Button
              size="sm"
              variant="secondary"
              icon="eye"
              data-testid={testIds.deliveries.details(row.original.id)}
              onClick={() => onShowDetails(row.original.id)}
            >
              Details
            </Button>
          </Stack>
        ),
      },
    ],
    [profileNames, onShowDetails]
  );

  return (
    <div data-testid={testIds.deliveries.table}>
      <InteractiveTable columns={columns} data={deliveries} getRowId={(delivery) => String(delivery.id)} />
    </div>
  );
}

function describeLastAttempt(delivery: Delivery): string {
  const parts = [delivery.lastStatusCode === null ? null : `HTTP ${delivery.lastStatusCode}`, delivery.lastError];
  const text = parts.filter((part) => part !== null && part !== '').join(': ');
  return text === '' ? '-' : text;
}
