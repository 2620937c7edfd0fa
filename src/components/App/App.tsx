import React, { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';

const ProfilesPage = React.lazy(() => import('../../pages/ProfilesPage'));
const ProfileEditorPage = React.lazy(() => import('../../pages/ProfileEditorPage'));
const DeliveriesPage = React.lazy(() => import('../../pages/DeliveriesPage'));

/** Routes of the app's pages under /a/boro-webhook-app. React Router ranks `profiles/new` above `profiles/:uid`. */
function App(_props: AppRootProps) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading page..." />}>
      <Routes>
        <Route path={ROUTES.Profiles} element={<ProfilesPage />} />
        <Route path={ROUTES.NewProfile} element={<ProfileEditorPage />} />
        <Route path={`${ROUTES.Profiles}/:uid`} element={<ProfileEditorPage />} />
        <Route path={ROUTES.Deliveries} element={<DeliveriesPage />} />
        {/* An absolute target: a relative one resolves against the splat's URL under React Router's v7 rules. */}
        <Route path="*" element={<Navigate to={`${PLUGIN_BASE_URL}/${ROUTES.Profiles}`} replace />} />
      </Routes>
    </Suspense>
  );
}

export default App;
