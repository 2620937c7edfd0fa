import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { BoroDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { BoroDataSourceOptions, BoroQuery, BoroSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<BoroDataSource, BoroQuery, BoroDataSourceOptions, BoroSecureJsonData>(
  BoroDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
