/** What the API answered, counted per fault: 503s are the designed answer while a service is away; other 5xx and hangs are failures. */
export interface Answers {
  ok: number;
  unavailable503: number;
  serverErrors: string[];
  refused: number;
  hung: number;
}

export const noAnswers = (): Answers => ({ ok: 0, unavailable503: 0, serverErrors: [], refused: 0, hung: 0 });

const REQUEST_TIMEOUT_MS = 20_000;

/**
 * A chemist's script against the master: signs up, submits, polls, and retries what was not
 * accepted (connection refused, 503) as a real client would. Every answer is counted.
 */
export class Chemist {
  answers = noAnswers();
  private auth = '';

  constructor(private readonly baseUrl: string) {}

  async signUp(): Promise<void> {
    const email = `chaos-${Date.now()}@example.org`;
    const password = 'correct horse battery staple';
    await this.call('POST', '/api/v1/auth/register', { email, password });
    const login = await this.call('POST', '/api/v1/auth/login', { email, password });
    this.auth = `Bearer ${(login.body as { accessToken: string }).accessToken}`;
  }

  /** Submits until accepted (202) and returns the job id; gives up after `patienceMs`. */
  async submit(spec: Record<string, unknown>, patienceMs = 180_000): Promise<string> {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const res = await this.attempt('POST', '/api/v1/jobs', spec);
      if (res?.status === 202) return (res.body as { id: string }).id;
      if (res && res.status < 500 && res.status !== 429)
        throw new Error(`submission refused ${res.status}: ${JSON.stringify(res.body)}`);
      if (Date.now() > deadline) throw new Error(`submission not accepted within ${patienceMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** One look at a job, as a user watching it would (answers are counted; failures tolerated). */
  async look(id: string): Promise<void> {
    await this.attempt('GET', `/api/v1/jobs/${id}`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    for (let i = 0; ; i++) {
      const res = await this.attempt(method, path, body);
      if (res && res.status < 300) return res;
      if (i > 60)
        throw new Error(`${method} ${path}: ${res ? `${res.status} ${JSON.stringify(res.body)}` : 'no answer'}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  private async attempt(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown } | undefined> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(this.auth ? { authorization: this.auth } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') this.answers.hung += 1;
      else this.answers.refused += 1;
      return undefined;
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    if (res.status === 503 && res.headers.get('retry-after')) this.answers.unavailable503 += 1;
    else if (res.status >= 500)
      this.answers.serverErrors.push(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
    else this.answers.ok += 1;
    return { status: res.status, body: parsed };
  }
}
