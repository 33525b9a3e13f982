import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api';
import { useSubmission } from '../submission';
import { Field, FormErrors } from '../components/Field';
import { useSession } from '../session';

export function SignupPage() {
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const { busy, errors: fields, run } = useSubmission(['email', 'password', 'registration'], 'Sign-up failed.');

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const account = await api<{ status: string }>('POST', '/auth/register', { json: { email, password } });
      if (account.status === 'pending') return setPending(true);
      await api('POST', '/auth/login', { json: { email, password } });
      await refresh();
      navigate('/');
    });
  }

  if (pending) {
    return (
      <main className="auth" id="main">
        <div className="card" role="status">
          <h1>Account created</h1>
          <p>An administrator approves new accounts on this server. You can sign in once yours is approved.</p>
          <p>
            <Link to="/login">Sign in</Link>
          </p>
        </div>
      </main>
    );
  }

  return (
    <main className="auth" id="main">
      <form onSubmit={submit} className="card" noValidate>
        <h1>Create a molq account</h1>
        <Field label="Email" error={fields.email}>
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
        <Field label="Password" error={fields.password} hint="At least 10 characters.">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <FormErrors messages={[fields[''], fields.registration].filter((m): m is string => Boolean(m))} />
        <button type="submit" disabled={busy}>
          Sign up
        </button>
        <p>
          Have an account? <Link to="/login">Sign in</Link>
        </p>
      </form>
    </main>
  );
}
