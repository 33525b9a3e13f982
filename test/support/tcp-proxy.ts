import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL), which a test can cut and
 * restore: cut() drops every open connection and refuses new ones, as a database that went away.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const [s, peer] of [
        [client, upstream],
        [upstream, client],
      ]) {
        this.sockets.add(s);
        // one side gone (the server refused or died, the client hung up): the other goes too, as on a real link
        s.on('close', () => {
          this.sockets.delete(s);
          peer.destroy();
        });
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Listens again on the same port (nothing to do if it was not cut). */
  async restore(): Promise<number> {
    return this.server ? this.port : this.start(this.port);
  }
}
