import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Storage, assertSafeKey, type StoredObject } from './storage';

/** Objects as files under one directory; writes go to a temporary name and are renamed into place. */
export class LocalStorage extends Storage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  private path(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }

  async put(key: string, body: Buffer | Readable): Promise<StoredObject> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    if (Buffer.isBuffer(body)) {
      // One write, no rename: callers record an object only after put() resolves, and a retry overwrites.
      await writeFile(target, body, { mode: 0o640 });
      return { key, size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    }
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await pipeline(body, measure, createWriteStream(temp, { mode: 0o640 }));
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  /**
   * A rename on the same disk: the file is hashed once through an open handle, accepted, renamed,
   * and the renamed file must be the very inode that was hashed (a writer that replaced the source
   * meanwhile makes the move fail, the replacement not kept). Across disks (EXDEV) it copies.
   */
  override async move(source: string, target: string, accept: (measured: StoredObject) => void): Promise<StoredObject> {
    const from = this.path(source);
    const to = this.path(target);
    const handle = await open(from, 'r');
    let measured: StoredObject;
    let inode: number;
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of handle.createReadStream({ autoClose: false, start: 0 })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      measured = { key: target, size, sha256: hash.digest('hex') };
      inode = (await handle.stat()).ino;
    } finally {
      await handle.close();
    }
    accept(measured);
    await mkdir(dirname(to), { recursive: true });
    try {
      await rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EXDEV') return super.move(source, target, accept);
      throw err;
    }
    if ((await lstat(to)).ino !== inode) {
      await rm(to, { force: true });
      throw new Error(`storage: ${source} was replaced while it was being moved`);
    }
    return measured;
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    await stat(path);
    return createReadStream(path);
  }

  read(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.path(key))).size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (dir) assertSafeKey(dir);
    const entries = await readdir(join(this.root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && !e.name.endsWith('.partial'))
      .map((e) =>
        relative(this.root, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
          .split(sep)
          .join('/'),
      )
      .filter((k) => k.startsWith(prefix))
      .sort();
  }
}
