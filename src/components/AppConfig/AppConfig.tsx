import React from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import type { AppSettings } from '../../types';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

export default function AppConfig(_props: AppConfigProps) {
  return <div>Configuration</div>;
}
