import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { HttpException, UnauthorizedException, type INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { QueueName } from '../../queues';
import { RequestAuthenticator } from '../auth/request-authenticator';
import { QueueProducer } from '../queueing/queue-producer';
import { UsersService } from '../users/users.service';

export const BULL_BOARD_PATH = '/admin/queues';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

const DESCRIPTIONS: Record<QueueName, string> = {
  ingestion: 'render and store inputs of submitted jobs',
  md: 'LAMMPS runs (local executors or a bridge)',
  qc: 'xtb and Gaussian runs (local executors or a bridge)',
  upload: 'check and store finished runs’ files',
  reports: 'job and batch reports',
};

function board(producer: QueueProducer, readOnlyMode: boolean) {
  const server = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: producer
      .all()
      .map((q) => new BullMQAdapter(q, { readOnlyMode, description: DESCRIPTIONS[q.name as QueueName] })),
    serverAdapter: server,
    options: {
      uiConfig: {
        boardTitle: readOnlyMode ? 'molq queues (read-only)' : 'molq queues',
        miscLinks: [{ text: 'molq', url: '/' }],
      },
    },
  });
  return server.getRouter() as (req: Request, res: Response, next: NextFunction) => void;
}

/**
 * Bull Board on the master at /admin/queues with every molq queue. Admins get full control;
 * operators get a read-only board (no retry, clean, promote, delete: the UI hides them, Bull
 * Board refuses them with 405, and this gate refuses any non-GET with 403 before that); anyone
 * else 403, and no session 401 (a browser is sent to the login page). Sessions are the Bearer
 * token or the HttpOnly session cookie set at login; the role is read from the database on each request.
 */
export function mountBullBoard(app: INestApplication): void {
  const producer = app.get(QueueProducer);
  const authenticator = app.get(RequestAuthenticator);
  const users = app.get(UsersService);
  /** The role as it is now, not as the token says: a demoted admin loses control at once, not at token expiry. */
  const currentRole = async (req: Request) => {
    const caller = await authenticator.authenticate(req);
    const user = await users.findById(caller.id);
    if (!user) throw new UnauthorizedException('session: the account no longer exists');
    return user.role;
  };
  const boards = { admin: board(producer, false), operator: board(producer, true) };
  app.use(BULL_BOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    currentRole(req)
      .then((role) => {
        if (role === 'admin') return boards.admin(req, res, next);
        if (role !== 'operator') return refuse(res, 403, 'role: Bull Board is for operators and admins');
        if (!SAFE_METHODS.has(req.method))
          return refuse(res, 403, 'role: operators have a read-only view of the queues');
        return boards.operator(req, res, next);
      })
      .catch((err: unknown) => {
        if (!(err instanceof HttpException)) return next(err);
        if (err.getStatus() === 401 && req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
          return res.redirect(302, `/login?next=${encodeURIComponent(BULL_BOARD_PATH)}`);
        }
        return refuse(res, err.getStatus(), err.message);
      });
  });
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({ statusCode: status, message });
}
