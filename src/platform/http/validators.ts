import { isBusinessDate, isIsoInstantWithOffset } from '@onecard/kernel';
import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

/**
 * The two field formats every context's API shares, validated one way everywhere:
 * `@Validate(IsInstantWithOffset)` and `@Validate(IsCalendarDate)`.
 */
@ValidatorConstraint({ name: 'isInstantWithOffset' })
export class IsInstantWithOffset implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isIsoInstantWithOffset(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an ISO-8601 instant with an offset, e.g. 2026-03-02T09:15:00+08:00`;
  }
}

/** A calendar date `YYYY-MM-DD` (an Asia/Shanghai business day where the field means one). */
@ValidatorConstraint({ name: 'isCalendarDate' })
export class IsCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isBusinessDate(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a date YYYY-MM-DD`;
  }
}
