/**
 * The sign-in page for browser sessions (Bull Board sends visitors without one here). It posts to
 * the login API, which sets the HttpOnly session cookie, then goes on to `next` — a local path only.
 */
export const LOGIN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>molq — sign in</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f4f6f8; color: #1d2733; }
  form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: min(22rem, 90vw); display: grid; gap: .75rem; }
  h1 { margin: 0 0 .5rem; font-size: 1.4rem; }
  label { display: grid; gap: .25rem; font-weight: 600; }
  input { font: inherit; padding: .5rem; border: 1px solid #b8c2cc; border-radius: 4px; }
  button { font: inherit; padding: .6rem; border: 0; border-radius: 4px; background: #1f5fbf; color: #fff; cursor: pointer; }
  [role=alert] { color: #b00020; min-height: 1.5em; margin: 0; }
</style>
</head>
<body>
<form id="login" novalidate>
  <h1>Sign in to molq</h1>
  <label>Email <input id="email" name="email" type="email" autocomplete="username" required></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
  <p role="alert" id="error"></p>
  <button type="submit">Sign in</button>
</form>
<script>
  const form = document.getElementById('login');
  const target = new URLSearchParams(location.search).get('next');
  const next = target && /^\\/(?!\\/)/.test(target) ? target : '/';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = document.getElementById('error');
    error.textContent = '';
    const res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    });
    if (res.ok) return location.assign(next);
    const body = await res.json().catch(() => ({}));
    error.textContent = [].concat(body.message || 'sign-in failed').join('; ');
  });
</script>
</body>
</html>
`;
