import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useSession } from '../session';

export function Layout() {
  const { user, logout } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          molq
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Jobs
          </NavLink>
          <NavLink to="/new/qc">New QC job</NavLink>
          <NavLink to="/new/md">New MD job</NavLink>
          <NavLink to="/new/batch">Batch</NavLink>
          <NavLink to="/tokens">API tokens</NavLink>
          {user?.role === 'admin' && <NavLink to="/accounts">Accounts</NavLink>}
          {user && user.role !== 'user' && <a href="/admin/queues">Queues (Bull Board)</a>}
        </nav>
        <div className="who">
          <span>{user?.email}</span>
          <button
            type="button"
            className="link"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}
