import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Account } from '../api';
import { useSession } from '../session';

/** Admins: approve or disable accounts and grant the `scripts` permission (uploaded engine scripts, still sandboxed). */
export function AccountsPage() {
  const { user } = useSession();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setAccounts(await api<Account[]>('GET', '/admin/users'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not load the accounts');
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const change = async (account: Account, path: string, json: unknown) => {
    setError(null);
    try {
      const updated = await api<Account>('POST', `/admin/users/${account.id}/${path}`, { json });
      setAccounts((list) => list?.map((a) => (a.id === updated.id ? updated : a)) ?? null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the change failed');
    }
  };

  if (user?.role !== 'admin') return <p>Only administrators manage accounts.</p>;
  return (
    <section>
      <h1>Accounts</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!accounts ? (
        <p className="loading">Loading…</p>
      ) : (
        <table className="jobs">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>May upload scripts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.email}</td>
                <td>{a.role}</td>
                <td>{a.status}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${a.email} may upload scripts`}
                    checked={a.permissions.includes('scripts')}
                    onChange={(e) =>
                      void change(a, 'permissions', { permission: 'scripts', granted: e.target.checked })
                    }
                  />
                </td>
                <td>
                  {a.status !== 'active' && (
                    <button
                      type="button"
                      aria-label={`Approve ${a.email}`}
                      onClick={() => void change(a, 'status', { status: 'active' })}
                    >
                      Approve
                    </button>
                  )}
                  {a.status === 'active' && a.id !== user.id && (
                    <button
                      type="button"
                      aria-label={`Disable ${a.email}`}
                      onClick={() => void change(a, 'status', { status: 'disabled' })}
                    >
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
