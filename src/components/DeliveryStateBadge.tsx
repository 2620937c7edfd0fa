import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { DeliveryState } from '../contract/delivery';

const STATE_COLORS: Record<DeliveryState, BadgeColor> = {
  pending: 'blue',
  delivering: 'blue',
  retrying: 'orange',
  delivered: 'green',
  failed: 'red',
};

export function DeliveryStateBadge({ state }: { state: DeliveryState }) {
  return <Badge color={STATE_COLORS[state]} text={state} />;
}
