import { registerDecorator, type ValidationArguments } from 'class-validator';
import { labelsProblem } from '../../jobs/job-labels';

/** A job's `labels` (see labelsProblem); the message names the label ("labels.r OH: …"). */
export function IsJobLabels(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isJobLabels',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => labelsProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => labelsProblem(args.value) ?? 'labels: invalid',
      },
    });
}
