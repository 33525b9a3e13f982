import { useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { SESSION_EXPIRED } from './api';
import { Layout } from './components/Layout';
import { AccountsPage } from './pages/AccountsPage';
import { BatchPage } from './pages/BatchPage';
import { JobPage } from './pages/JobPage';
import { JobsPage } from './pages/JobsPage';
import { LoginPage } from './pages/LoginPage';
import { NewBatchPage } from './pages/NewBatchPage';
import { NewMdPage } from './pages/NewMdPage';
import { NewQcPage } from './pages/NewQcPage';
import { SignupPage } from './pages/SignupPage';
import { TokensPage } from './pages/TokensPage';
import { SessionProvider, useSession } from './session';

/** Pages for signed-in users; anyone else goes to the sign-in page and comes back afterwards. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <p className="loading">Loading…</p>;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return children;
}

/** A call answered 401 mid-session: the session expired; say so on the sign-in page. */
function SessionExpiry() {
  const navigate = useNavigate();
  const location = useLocation();
  const { refresh } = useSession();
  useEffect(() => {
    const expired = () => {
      void refresh();
      navigate(`/login?expired=1&next=${encodeURIComponent(location.pathname + location.search)}`);
    };
    window.addEventListener(SESSION_EXPIRED, expired);
    return () => window.removeEventListener(SESSION_EXPIRED, expired);
  }, [navigate, location, refresh]);
  return null;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <SessionExpiry />
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/signup" element={<SignupPage />} />
          <Route
            element={
              <RequireUser>
                <Layout />
              </RequireUser>
            }
          >
            <Route index element={<JobsPage />} />
            <Route path="jobs/:id" element={<JobPage />} />
            <Route path="batches/:id" element={<BatchPage />} />
            <Route path="new/qc" element={<NewQcPage />} />
            <Route path="new/md" element={<NewMdPage />} />
            <Route path="new/batch" element={<NewBatchPage />} />
            <Route path="accounts" element={<AccountsPage />} />
            <Route path="tokens" element={<TokensPage />} />
            <Route
              path="*"
              element={
                <p>
                  There is no such page. <a href="/">Back to your jobs</a>
                </p>
              }
            />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
