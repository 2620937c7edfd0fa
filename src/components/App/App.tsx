import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';

const ProfilesPage = React.lazy(() => import('../../pages/ProfilesPage'));
const ProfileEditorPage = React.lazy(() => import('../../pages/ProfileEditorPage'));
const DeliveriesPage = React.lazy(() => import('../../pages/DeliveriesPage'));

/** Routes of the app's pages under /a/boro-webhook-app. */
function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.Profiles} element={<ProfilesPage />} />
      <Route path={`${ROUTES.Profiles}/:uid`} element={<ProfileEditorPage />} />
      <Route path={ROUTES.Deliveries} element={<DeliveriesPage />} />
      <Route path="*" element={<Navigate to={ROUTES.Profiles} replace />} />
    </Routes>
  );
}

export default App;
