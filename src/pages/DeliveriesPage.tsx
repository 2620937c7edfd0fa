import React from 'react';
import { PluginPage } from '@grafana/runtime';

export default function DeliveriesPage() {
  return <PluginPage>DeliveriesPage</PluginPage>;
}
