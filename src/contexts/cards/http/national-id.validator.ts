import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { nationalIdProblem } from '../domain/national-id.js';

/**
 * A valid 18-character national ID whose birth digits equal the sibling `birthDateField`. The
 * message says what is wrong without repeating the ID.
 */
export function IsNationalIdOf(birthDateField: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isNationalId',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      constraints: [birthDateField],
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          if (typeof value !== 'string') return false;
          const birthDate = (args.object as Record<string, unknown>)[args.constraints[0] as string];
          return nationalIdProblem(value, typeof birthDate === 'string' ? birthDate : undefined) === null;
        },
        defaultMessage(args: ValidationArguments): string {
          if (typeof args.value !== 'string') return 'nationalId must be a string';
          const birthDate = (args.object as Record<string, unknown>)[args.constraints[0] as string];
          return `nationalId is not valid: ${nationalIdProblem(args.value, typeof birthDate === 'string' ? birthDate : undefined)}`;
        },
      },
    });
  };
}
