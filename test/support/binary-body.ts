import type { Response } from 'superagent';

/** A supertest parser that keeps a response body as bytes, whatever its content type: `.buffer(true).parse(binaryBody)`. */
export function binaryBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
