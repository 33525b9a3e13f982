import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api';
import { useSubmission } from '../submission';
import { Field, FormErrors } from '../components/Field';
import { useSession } from '../session';

/** A local path to go on to after signing in (never another site). */
export function safeNext(next: string | null): string {
  return next && /^\/(?!\/)/.test(next) ? next : '/';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, run } = useSubmission([], 'Sign-in failed.');
  const next = safeNext(params.get('next'));

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/auth/login', { json: { email, password } });
      if (next.startsWith('/admin/')) return window.location.assign(next); // served by the master, not this app
      await refresh();
      navigate(next);
    });
  }

  return (
    <main className="auth" id="main">
      <form onSubmit={submit} className="card" noValidate>
        <h1>Sign in to molq</h1>
        {params.get('expired') && <p className="notice">Your session has expired. Please sign in again.</p>}
        <Field label="Email">
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Password">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <FormErrors messages={errors[''] ? [errors['']] : []} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p>
          New here? <Link to="/signup">Create an account</Link>
        </p>
      </form>
    </main>
  );
}
