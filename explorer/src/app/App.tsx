// Routes. Each page is its own lazy chunk so the first load carries only the
// shell (router, API client, header); scripts/size-report.ts lists the sizes.
import { lazy, Suspense } from 'react';
import { Route, Router, Switch } from 'wouter';
import { Layout } from '../components/Layout.tsx';
import { Loading } from '../components/States.tsx';
import { ChainProvider } from './chain.tsx';

const OverviewPage = lazy(() => import('../pages/OverviewPage.tsx'));
const AreaPage = lazy(() => import('../pages/AreaPage.tsx'));
const MotionPage = lazy(() => import('../pages/MotionPage.tsx'));
const GroupPage = lazy(() => import('../pages/GroupPage.tsx'));
const AuditPage = lazy(() => import('../pages/AuditPage.tsx'));
const EmbedPage = lazy(() => import('../pages/EmbedPage.tsx'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage.tsx'));

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

export function App() {
  return (
    <Router base={base}>
      <ChainProvider>
        <Switch>
          <Route path="/embed/areas/:areaId/:chart">
            <Suspense fallback={<Loading what="chart" />}>
              <EmbedPage />
            </Suspense>
          </Route>
          <Route>
            <Layout>
              <Suspense fallback={<Loading what="page" />}>
                <Switch>
                  <Route path="/" component={OverviewPage} />
                  <Route path="/areas/:areaId" component={AreaPage} />
                  <Route path="/areas/:areaId/motions/:motionId" component={MotionPage} />
                  <Route path="/areas/:areaId/groups/:groupId" component={GroupPage} />
                  <Route path="/areas/:areaId/audit" component={AuditPage} />
                  <Route component={NotFoundPage} />
                </Switch>
              </Suspense>
            </Layout>
          </Route>
        </Switch>
      </ChainProvider>
    </Router>
  );
}
