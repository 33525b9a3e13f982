import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

export class MasterHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The bridge's only way out: HTTPS to the master, certificate always verified (a CA file may
 * be added; there is no switch to turn verification off). Plain HTTP is accepted for a
 * loopback master only (tests, a bridge on the master's own host).
 */
export class MasterClient {
  private readonly base: URL;
  private readonly ca?: Buffer;

  constructor(
    masterUrl: string,
    private readonly token: string,
    caFile?: string,
  ) {
    this.base = new URL(masterUrl);
    if (this.base.protocol !== 'https:' && !(this.base.protocol === 'http:' && LOOPBACK.has(this.base.hostname))) {
      throw new Error(`BRIDGE_MASTER_URL: must be https:// (plain http only for a loopback master), got ${masterUrl}`);
    }
    this.ca = caFile ? readFileSync(caFile) : undefined;
  }

  /** JSON call to the API with the worker token. */
  async call<T>(method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
    const res = await this.raw(
      method,
      path,
      body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      timeoutMs,
    );
    const text = res.body.toString('utf8');
    if (res.status >= 400)
      throw new MasterHttpError(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** A signed URL path from the master (no token: the signature is the authority). */
  async download(signedPath: string): Promise<Buffer> {
    const res = await this.raw('GET', signedPath, undefined, {}, 300_000);
    if (res.status !== 200) throw new MasterHttpError(res.status, `download ${res.status}`);
    return res.body;
  }

  async upload(signedPath: string, content: Buffer): Promise<void> {
    const res = await this.raw('PUT', signedPath, content, { 'content-type': 'application/octet-stream' }, 300_000);
    if (res.status !== 201)
      throw new MasterHttpError(res.status, `upload ${res.status} ${res.body.toString().slice(0, 200)}`);
  }

  private raw(
    method: string,
    path: string,
    body: Buffer | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ status: number; body: Buffer }> {
    const url = new URL(path, this.base);
    const options: RequestOptions = {
      method,
      headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      timeout: timeoutMs,
      ...(url.protocol === 'https:' ? { ca: this.ca, rejectUnauthorized: true } : {}),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
