import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

function messages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const field = path ? `${path}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${field}${m.slice(e.property.length)}` : `${field}: ${m}`,
    );
    return [...own, ...messages(e.children ?? [], field)];
  });
}

/** The global ValidationPipe's rules, for a body that arrives other than as JSON (multipart). */
export function validateBody<T extends object>(schema: new () => T, plain: unknown): T {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw new BadRequestException(['body: must be a JSON object']);
  const value = plainToInstance(schema, plain);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new BadRequestException(messages(errors));
  return value;
}
