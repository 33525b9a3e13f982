import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** An integer environment variable within [min, max]. */
export function EnvInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value)),
    IsInt({ message: 'must be an integer' }),
    Min(min),
    Max(max),
  );
}

/** A boolean environment variable: true/false/1/0. */
export function EnvBool(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
    ),
    IsIn([true, false], { message: 'must be true or false' }),
  );
}
