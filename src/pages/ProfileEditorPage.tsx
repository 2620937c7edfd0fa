import React from 'react';
import { PluginPage } from '@grafana/runtime';

export default function ProfileEditorPage() {
  return <PluginPage>ProfileEditorPage</PluginPage>;
}
