import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { IllegalTransitionError } from '../jobs/job-state-machine';
import { JobNotFoundError } from '../jobs/job-transitions';
import { SpecError } from '../submissions/spec-checker';

/** Domain errors as HTTP answers, in Nest's usual error shape. */
@Catch(SpecError, IllegalTransitionError, JobNotFoundError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(err: SpecError | IllegalTransitionError | JobNotFoundError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (err instanceof SpecError) {
      res.status(HttpStatus.BAD_REQUEST).json({ statusCode: 400, error: 'Bad Request', message: [err.message] });
    } else if (err instanceof IllegalTransitionError) {
      res
        .status(HttpStatus.CONFLICT)
        .json({ statusCode: 409, error: 'Conflict', message: `status: job is ${err.from}, cannot become ${err.to}` });
    } else {
      res.status(HttpStatus.NOT_FOUND).json({ statusCode: 404, error: 'Not Found', message: 'id: no such job' });
    }
  }
}
