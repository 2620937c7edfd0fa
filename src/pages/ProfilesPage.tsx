import React from 'react';
import { PluginPage } from '@grafana/runtime';

export default function ProfilesPage() {
  return <PluginPage>ProfilesPage</PluginPage>;
}
