import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small OSS-protocol server for the tests (Aliyun OSS cannot be reached here). It keeps
 * objects in memory and RECOMPUTES every request's V1 signature from the request itself (header
 * "Authorization: OSS id:sig", or signed-URL query OSSAccessKeyId/Expires/Signature), answering
 * 403 SignatureDoesNotMatch when it differs, so a client that signs wrongly fails the test.
 * Supported: Put/Get/Head/DeleteObject, ListObjects (prefix), multipart upload (initiate,
 * upload part, complete). Path-style addressing: /<bucket>/<key>.
 */
export class FakeOssServer {
  private server?: Server;
  readonly objects = new Map<string, Buffer>();
  private readonly uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  /** Every request's verdict, for assertions: method, path, signature ok. */
  readonly log: { method: string; path: string; ok: boolean }[] = [];
  port = 0;

  constructor(
    readonly bucket: string,
    private readonly accessKeyId: string,
    private readonly accessKeySecret: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url!, 'http://fake');
    const ok = this.verify(req, url);
    this.log.push({ method: req.method!, path: url.pathname, ok });
    if (!ok)
      return this.xml(
        res,
        403,
        '<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>',
      );
    const [, bucket, ...rest] = url.pathname.split('/');
    if (bucket !== this.bucket) return this.xml(res, 404, '<Error><Code>NoSuchBucket</Code></Error>');
    const key = decodeURIComponent(rest.join('/'));
    const q = url.searchParams;
    if (req.method === 'POST' && q.has('uploads')) {
      const id = randomUUID();
      this.uploads.set(id, { key, parts: new Map() });
      return this.xml(
        res,
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      const upload = this.uploads.get(q.get('uploadId')!);
      if (!upload) return this.xml(res, 404, '<Error><Code>NoSuchUpload</Code></Error>');
      upload.parts.set(Number(q.get('partNumber')), body);
      res.setHeader('ETag', `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`);
      return void res.end();
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      const upload = this.uploads.get(q.get('uploadId')!);
      if (!upload) return this.xml(res, 404, '<Error><Code>NoSuchUpload</Code></Error>');
      const numbers = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
      this.objects.set(upload.key, Buffer.concat(numbers.map((n) => upload.parts.get(n)!)));
      this.uploads.delete(q.get('uploadId')!);
      return this.xml(
        res,
        200,
        `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${upload.key}</Key><ETag>"x"</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (req.method === 'GET' && key === '') {
      const prefix = q.get('prefix') ?? '';
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const contents = keys
        .map(
          (k) =>
            `<Contents><Key>${k}</Key><Size>${this.objects.get(k)!.length}</Size><ETag>"x"</ETag><LastModified>2026-11-22T00:00:00.000Z</LastModified><Type>Normal</Type><StorageClass>Standard</StorageClass><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner></Contents>`,
        )
        .join('');
      return this.xml(
        res,
        200,
        `<ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      );
    }
    const object = this.objects.get(key);
    switch (req.method) {
      case 'PUT':
        this.objects.set(key, body);
        res.setHeader('ETag', `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`);
        return void res.end();
      case 'GET':
      case 'HEAD':
        if (!object) return this.xml(res, 404, '<Error><Code>NoSuchKey</Code></Error>', req.method === 'HEAD');
        res.setHeader('Content-Length', String(object.length));
        res.setHeader('Content-Type', 'application/octet-stream');
        return void res.end(req.method === 'GET' ? object : undefined);
      case 'DELETE':
        this.objects.delete(key);
        res.statusCode = 204;
        return void res.end();
      default:
        return this.xml(res, 405, '<Error><Code>MethodNotAllowed</Code></Error>');
    }
  }

  private xml(res: ServerResponse, status: number, body: string, headOnly = false): void {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('x-oss-request-id', randomUUID());
    res.end(headOnly ? undefined : `<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  }

  /** OSS V1: HMAC-SHA1 over VERB, Content-MD5, Content-Type, Date|Expires, x-oss-* headers, resource. */
  private verify(req: IncomingMessage, url: URL): boolean {
    const q = url.searchParams;
    let id: string | null;
    let signature: string | null;
    let dateOrExpires: string;
    if (q.has('Signature')) {
      id = q.get('OSSAccessKeyId');
      signature = q.get('Signature');
      dateOrExpires = q.get('Expires') ?? '';
      if (Number(dateOrExpires) < Date.now() / 1000) return false;
    } else {
      const m = /^OSS ([^:]+):(.+)$/.exec(String(req.headers.authorization ?? ''));
      if (!m) return false;
      [id, signature] = [m[1], m[2]];
      dateOrExpires = String(req.headers['x-oss-date'] ?? req.headers.date ?? '');
    }
    if (id !== this.accessKeyId || !signature) return false;
    const ossHeaders = Object.keys(req.headers)
      .filter((h) => h.startsWith('x-oss-'))
      .sort()
      .map((h) => `${h}:${String(req.headers[h]).trim()}`);
    const SUBRESOURCES = [
      'acl',
      'uploads',
      'uploadId',
      'partNumber',
      'response-content-type',
      'response-content-disposition',
      'security-token',
    ];
    const sub = [...q.keys()]
      .filter((k) => SUBRESOURCES.includes(k))
      .sort()
      .map((k) => (q.get(k) ? `${k}=${q.get(k)}` : k));
    const resource = decodeURIComponent(url.pathname) + (sub.length ? `?${sub.join('&')}` : '');
    const toSign = [
      req.method,
      String(req.headers['content-md5'] ?? ''),
      String(req.headers['content-type'] ?? ''),
      dateOrExpires,
      ...ossHeaders,
      resource,
    ].join('\n');
    const expected = createHmac('sha1', this.accessKeySecret).update(toSign).digest();
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
