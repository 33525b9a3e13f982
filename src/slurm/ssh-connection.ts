import { createHash } from 'node:crypto';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';

export interface SshSettings {
  host: string;
  port: number;
  username: string;
  privateKey: Buffer;
  /** The server's host key fingerprint, "SHA256:…" as ssh-keygen -lf prints it. */
  hostFingerprint: string;
  /** OpenSSH allows 10 sessions per connection; stay below. */
  maxChannels?: number;
}

export class HostKeyMismatchError extends Error {}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const fingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

/**
 * One SSH connection to a login node: host key pinned (a mismatch refuses the connection),
 * keepalive, at most `maxChannels` concurrent channels, one reused SFTP session. Commands
 * given to exec must be built with shellQuote for anything not written here.
 */
/** Long enough for any command molq runs on a login node; an answer later than this will not come. */
const EXEC_TIMEOUT_MS = 120_000;

export class SshConnection {
  private client?: Client;
  private sftpSession?: Promise<SFTPWrapper>;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Number of exec channels opened (for the poll-cost benchmark and tests). */
  execCount = 0;

  constructor(private readonly settings: SshSettings) {}

  private failures = 0;
  private connecting?: Promise<void>;

  /** Connects (once; concurrent callers share the attempt), backing off exponentially with jitter after failures. */
  connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.attempt().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async attempt(): Promise<void> {
    if (this.failures > 0) {
      const backoff = Math.min(30_000, 250 * 2 ** (this.failures - 1));
      await new Promise((r) => setTimeout(r, backoff / 2 + Math.random() * (backoff / 2)));
    }
    try {
      await this.open();
      this.failures = 0;
    } catch (err) {
      this.failures++;
      throw err;
    }
  }

  private async open(): Promise<void> {
    const client = new Client();
    // ssh2 may emit more than one 'error' for one failed connection (a timeout, then "Connection lost before
    // handshake" when the server drops it): from the start, none may go unheard, or it takes the process down
    client.on('error', () => undefined);
    let mismatch: string | null = null;
    const config: ConnectConfig = {
      host: this.settings.host,
      port: this.settings.port,
      username: this.settings.username,
      privateKey: this.settings.privateKey,
      keepaliveInterval: 15_000,
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => {
        const seen = fingerprint(key);
        if (seen === this.settings.hostFingerprint) return true;
        mismatch = seen;
        return false;
      },
    };
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', (err) =>
        reject(
          mismatch
            ? new HostKeyMismatchError(
                `host key of ${this.settings.host}:${this.settings.port} is ${mismatch}, not the pinned ${this.settings.hostFingerprint}: refusing to connect`,
              )
            : err,
        ),
      );
      client.connect(config);
    }).catch((err: unknown) => {
      client.end(); // a connection that failed to come up must not linger (its socket, its retries)
      throw err;
    });
    client.on('close', () => {
      if (this.client === client) {
        this.client = undefined;
        this.sftpSession = undefined;
      }
    });
    this.client = client;
  }

  close(): void {
    this.client?.end();
    this.client = undefined;
    this.sftpSession = undefined;
  }

  private async channel<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const max = this.settings.maxChannels ?? 8;
    while (this.active >= max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      await this.connect();
      return await work(this.client!);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /**
   * Runs a short command (sbatch, squeue, sacct, scancel). One that gets no answer within
   * `timeoutMs` means a connection dead without a word (a half-open TCP link): it fails, and the
   * connection is dropped so the next call opens a fresh one.
   */
  exec(command: string, timeoutMs = EXEC_TIMEOUT_MS): Promise<ExecResult> {
    this.execCount++;
    return this.channel(
      (client) =>
        new Promise<ExecResult>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error(`ssh: no answer to "${command.slice(0, 80)}" in ${timeoutMs} ms; reconnecting`));
            this.drop(client);
          }, timeoutMs);
          client.exec(command, (err, stream) => {
            if (err) {
              clearTimeout(timer);
              return reject(err);
            }
            let stdout = '';
            let stderr = '';
            stream.on('data', (d: Buffer) => (stdout += d));
            stream.stderr.on('data', (d: Buffer) => (stderr += d));
            stream.on('close', (code: number | null) => {
              clearTimeout(timer);
              resolve({ code, stdout, stderr });
            });
          });
        }),
    );
  }

  /** Forgets a connection that stopped answering (its channels close with it). */
  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.sftpSession = undefined;
    client.end();
  }

  private sftp(): Promise<SFTPWrapper> {
    if (!this.sftpSession) {
      const session = this.connect().then(
        () =>
          new Promise<SFTPWrapper>((resolve, reject) =>
            this.client!.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))),
          ),
      );
      // a session that could not be opened (sshd away) is not kept: the next call tries again
      session.catch(() => {
        if (this.sftpSession === session) this.sftpSession = undefined;
      });
      this.sftpSession = session;
    }
    return this.sftpSession;
  }

  async writeFile(path: string, content: Buffer | string): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, content, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Plain files in a remote directory (names only). */
  async listFiles(dir: string): Promise<string[]> {
    const sftp = await this.sftp();
    const entries = await new Promise<{ filename: string; attrs: { isFile(): boolean } }[]>((resolve, reject) =>
      sftp.readdir(dir, (err, list) => (err ? reject(err) : resolve(list as never))),
    );
    return entries
      .filter((e) => e.attrs.isFile())
      .map((e) => e.filename)
      .sort();
  }

  /** The last `bytes` of a remote file (a growing log), without reading the rest. */
  async readTail(path: string, bytes: number): Promise<Buffer> {
    await this.assertRegularFile(path);
    const sftp = await this.sftp();
    const call = <T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void) =>
      new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
    const handle = await call<Buffer>((cb) => sftp.open(path, 'r', cb));
    try {
      const { size } = await call<{ size: number }>((cb) => sftp.fstat(handle, cb));
      const start = Math.max(0, size - bytes);
      const buffer = Buffer.alloc(size - start);
      let read = 0;
      while (read < buffer.length) {
        const n = await call<number>((cb) =>
          sftp.read(handle, buffer, read, buffer.length - read, start + read, (err, got) => cb(err, got)),
        );
        if (n === 0) break;
        read += n;
      }
      return buffer.subarray(0, read);
    } finally {
      await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined)));
    }
  }

  async readFile(path: string): Promise<Buffer> {
    await this.assertRegularFile(path);
    const sftp = await this.sftp();
    return new Promise<Buffer>((resolve, reject) =>
      sftp.readFile(path, (err, data) => (err ? reject(err) : resolve(data))),
    );
  }

  /** Job files are read only when they are plain files: a job's symlink to ~/.ssh/… is never followed. */
  private async assertRegularFile(path: string): Promise<void> {
    const sftp = await this.sftp();
    const attrs = await new Promise<{ isFile(): boolean }>((resolve, reject) =>
      sftp.lstat(path, (err, a) => (err ? reject(err) : resolve(a))),
    );
    if (!attrs.isFile()) throw new Error(`${path} is not a plain file`);
  }
}
