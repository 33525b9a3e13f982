import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { isQueueName } from '../../queues';
import { WorkerToken } from './worker-token.entity';

const TOKEN = /^mqw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface IssuedToken {
  token: string;
  record: WorkerToken;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
/** "Last seen" is written at most this often per token: a bridge calls for every job it holds. */
const LAST_SEEN_EVERY_MS = 60_000;

/**
 * Named credentials for bridges and worker pools, scoped to queues. The token is shown once at
 * creation; only its SHA-256 is stored (it carries 256 random bits, so a slow hash adds nothing).
 */
@Injectable()
export class WorkerTokensService {
  private readonly lastSeenWritten = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(WorkerToken);
  }

  async create(name: string, queues: string[], createdBy: string | null = null): Promise<IssuedToken> {
    if (!NAME.test(name)) throw new BadRequestException('name: 1-64 of a-z 0-9 . _ -, starting with a letter or digit');
    const unknown = queues.filter((q) => !isQueueName(q));
    if (queues.length === 0 || unknown.length > 0)
      throw new BadRequestException(`queues: unknown queue(s) ${unknown.join(', ') || '(none)'}`);
    if (await this.repo.findOneBy({ name, revokedAt: IsNull() }))
      throw new ConflictException(`name: an active token named ${name} exists`);
    const prefix = randomBytes(6).toString('hex');
    const token = `mqw_${prefix}_${randomBytes(32).toString('base64url')}`;
    const saved = await this.repo.save(
      this.repo.create({
        name,
        queues: [...new Set(queues)],
        tokenPrefix: prefix,
        tokenHash: digest(token),
        createdBy,
      }),
    );
    return { token, record: saved };
  }

  list(): Promise<WorkerToken[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  async revoke(name: string): Promise<WorkerToken> {
    const active = await this.repo.findOneBy({ name, revokedAt: IsNull() });
    if (!active) throw new NotFoundException(`name: no active token named ${name}`);
    active.revokedAt = new Date();
    return this.repo.save(active);
  }

  /** The active token record for a presented token, or null (revoked: at once); records when it was last seen, to the minute. */
  async verify(presented: string): Promise<WorkerToken | null> {
    const match = TOKEN.exec(presented);
    if (!match) return null;
    const record = await this.repo
      .createQueryBuilder('t')
      .addSelect('t.tokenHash')
      .where('t.tokenPrefix = :prefix AND t.revokedAt IS NULL', { prefix: match[1] })
      .getOne();
    if (!record) return null;
    const ok = timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), Buffer.from(digest(presented), 'hex'));
    if (!ok) return null;
    if (Date.now() - (this.lastSeenWritten.get(record.id) ?? 0) >= LAST_SEEN_EVERY_MS) {
      this.lastSeenWritten.set(record.id, Date.now());
      await this.repo.update({ id: record.id }, { lastSeenAt: new Date() });
    }
    return record;
  }
}
