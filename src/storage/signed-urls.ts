import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { MasterConfig } from '../config/master.config';
import { assertSafeKey } from './storage';

export type SignedMethod = 'GET' | 'PUT';

/**
 * HMAC-signed, expiring URLs to the master's /api/v1/files route (the local storage driver's
 * stand-in for OSS signed URLs). The key travels base64url-encoded in one path segment. The
 * HMAC key comes from URL_SIGNING_SECRET alone: a leaked JWT_SECRET forges no download.
 */
@Injectable()
export class SignedUrls {
  private readonly secret: Buffer;

  constructor(@Inject(MasterConfig) config: MasterConfig) {
    this.secret = Buffer.from(hkdfSync('sha256', config.URL_SIGNING_SECRET, 'molq', 'signed file urls', 32));
  }

  private signature(method: SignedMethod, key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${method}\n${key}\n${expires}`).digest('hex');
  }

  /** A path (relative to the master's origin) valid for ttlSeconds. */
  sign(method: SignedMethod, key: string, ttlSeconds = 3_600): string {
    assertSafeKey(key);
    const expires = Math.floor(Date.now() / 1_000) + ttlSeconds;
    return `/api/v1/files/${Buffer.from(key).toString('base64url')}?method=${method}&expires=${expires}&signature=${this.signature(method, key, expires)}`;
  }

  /** The key a signed path grants, or null when it is expired, tampered with or for another method. */
  verify(method: SignedMethod, encodedKey: string, expires: unknown, signature: unknown): string | null {
    if (
      typeof expires !== 'string' ||
      typeof signature !== 'string' ||
      !/^\d{1,12}$/.test(expires) ||
      !/^[0-9a-f]{64}$/.test(signature)
    )
      return null;
    if (Number(expires) < Date.now() / 1_000) return null;
    const key = Buffer.from(encodedKey, 'base64url').toString('utf8');
    const expected = Buffer.from(this.signature(method, key, Number(expires)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return null;
    try {
      assertSafeKey(key);
    } catch {
      return null;
    }
    return key;
  }
}
