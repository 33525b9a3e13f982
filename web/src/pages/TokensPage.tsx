import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type PersonalToken } from '../api';
import { Field, FormErrors } from '../components/Field';

/** Personal API tokens: for scripts and the Python client. The secret is shown once, right after it is made. */
export function TokensPage() {
  const [tokens, setTokens] = useState<PersonalToken[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'submit'>('read');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setTokens(await api<PersonalToken[]>('GET', '/auth/tokens'));
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['could not load your tokens']);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErrors([]);
    setFields({});
    try {
      const made = await api<PersonalToken & { token: string }>('POST', '/auth/tokens', {
        json: { name, scope, ...(days ? { expiresInDays: Number(days) } : {}) },
      });
      setSecret({ name: made.name, token: made.token });
      setName('');
      await load();
    } catch (err) {
      if (!(err instanceof ApiError)) return setErrors(['the token could not be made']);
      const byField = err.fieldsOf(['name', 'scope', 'expiresInDays']);
      setFields(byField);
      if (byField['']) setErrors([byField['']]);
    }
  };

  const revoke = async (t: PersonalToken) => {
    setErrors([]);
    try {
      await api('DELETE', `/auth/tokens/${t.id}`);
      setTokens((list) => list?.filter((x) => x.id !== t.id) ?? null);
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['the token could not be revoked']);
    }
  };

  return (
    <section>
      <h1>API tokens</h1>
      <p>
        A token lets a script or the Python client act for you on the API: <strong>read</strong> sees your jobs and
        results, <strong>submit</strong> also submits and cancels. It cannot manage accounts or tokens. Revoking one
        stops it at once.
      </p>
      {secret && (
        <div className="notice" role="status">
          <p>
            Your new token <strong>{secret.name}</strong>. Copy it now: it is not shown again.
          </p>
          <code className="secret" aria-label="new token">
            {secret.token}
          </code>
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <form className="token-form" onSubmit={(e) => void create(e)}>
        <Field label="Token name" error={fields.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />}
        </Field>
        <Field label="Scope" error={fields.scope}>
          {(p) => (
            <select {...p} value={scope} onChange={(e) => setScope(e.target.value as 'read' | 'submit')}>
              <option value="read">read</option>
              <option value="submit">submit</option>
            </select>
          )}
        </Field>
        <Field label="Expires after (days; empty: never)" error={fields.expiresInDays}>
          {(p) => (
            <input {...p} type="number" min={1} max={366} value={days} onChange={(e) => setDays(e.target.value)} />
          )}
        </Field>
        <button type="submit">Create token</button>
      </form>
      <FormErrors messages={errors} />
      {tokens && tokens.length === 0 && <p className="empty">No tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <table className="jobs">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scope</th>
              <th scope="col">Starts with</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-token={t.id}>
                <td>{t.name}</td>
                <td>{t.scope}</td>
                <td>
                  <code>mqu_{t.prefix}</code>
                </td>
                <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleDateString() : 'never'}</td>
                <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Revoke ${t.name}`}
                    onClick={() => void revoke(t)}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
