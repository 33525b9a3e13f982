import OSS from 'ali-oss';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { Storage, assertSafeKey, type StoredObject } from './storage';

export interface OssOptions {
  region?: string;
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Path-style addressing (needed for IP endpoints and most OSS-compatible servers). */
  pathStyle?: boolean;
  /** Objects larger than this go up in parts (multipartUpload). */
  multipartThreshold?: number;
}

const DEFAULT_MULTIPART = 8 * 1024 * 1024;
const PART_SIZE = 1024 * 1024;

/** Aliyun OSS through ali-oss: streams in and out, multipart for large objects, signed URLs. */
export class OssStorage extends Storage {
  private readonly client: OSS;
  private readonly threshold: number;

  constructor(options: OssOptions) {
    super();
    this.client = new OSS({
      region: options.region ?? 'oss-cn-hangzhou', // V1 signatures do not use it; ali-oss requires one
      endpoint: options.endpoint,
      bucket: options.bucket,
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      secure: options.endpoint.startsWith('https'),
      timeout: 60_000,
      retryMax: 3, // ali-oss retries requests that fail on the network
      ...(options.pathStyle ? { sldEnable: true } : {}),
    } as OSS.Options);
    this.threshold = options.multipartThreshold ?? DEFAULT_MULTIPART;
  }

  async put(key: string, body: Buffer | Readable): Promise<StoredObject> {
    assertSafeKey(key);
    const buffer = Buffer.isBuffer(body) ? body : await collect(body);
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    if (buffer.length > this.threshold) {
      await this.client.multipartUpload(key, buffer, {
        partSize: PART_SIZE,
        parallel: 4,
      } as OSS.MultipartUploadOptions);
    } else {
      await this.client.put(key, buffer);
    }
    return { key, size: buffer.length, sha256 };
  }

  async get(key: string): Promise<Readable> {
    assertSafeKey(key);
    const result = await this.client.getStream(key);
    return result.stream as Readable;
  }

  async read(key: string): Promise<Buffer> {
    assertSafeKey(key);
    return (await this.client.get(key)).content as Buffer;
  }

  async head(key: string): Promise<{ size: number } | null> {
    assertSafeKey(key);
    try {
      const result = await this.client.head(key);
      return { size: Number((result.res.headers as Record<string, string>)['content-length']) };
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.client.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.list({ prefix, marker, 'max-keys': 1000 }, {});
      keys.push(...(page.objects ?? []).map((o) => o.name));
      marker = page.isTruncated ? page.nextMarker : undefined;
    } while (marker);
    return keys.sort();
  }

  /** A URL OSS itself honours until it expires (GET to download, PUT to upload). */
  signedUrl(key: string, method: 'GET' | 'PUT', ttlSeconds: number): string {
    assertSafeKey(key);
    return this.client.signatureUrl(key, { method, expires: ttlSeconds });
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream.pipe(new PassThrough())) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
