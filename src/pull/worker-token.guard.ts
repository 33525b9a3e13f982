import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { WorkerToken } from '../worker-tokens/worker-token.entity';
import { WorkerTokensService } from '../worker-tokens/worker-tokens.service';

export type WorkerRequest = Request & { workerToken: WorkerToken };

/** Requires an active worker token (Bearer mqw_…): bridges and remote pools, never users. */
@Injectable()
export class WorkerTokenGuard implements CanActivate {
  constructor(private readonly tokens: WorkerTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WorkerRequest>();
    const match = /^Bearer (mqw_\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('authorization: a worker token (Bearer mqw_…) is required');
    const token = await this.tokens.verify(match[1]);
    if (!token) throw new UnauthorizedException('authorization: unknown or revoked worker token');
    req.workerToken = token;
    return true;
  }
}
