import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { Problems, type FieldError } from '@onecard/kernel';

/** RFC 6901 escaping of one reference token. */
function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Flattens class-validator errors into one entry per bad field, addressed by JSON pointer. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const pointer = `${parent}/${escapeToken(String(e.property))}`;
    if (e.constraints) {
      const messages = Object.entries(e.constraints).map(([name, message]) =>
        name === 'whitelistValidation' ? `unknown field "${String(e.property)}"` : message,
      );
      out.push({ pointer, detail: messages.join('; ') });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, pointer));
  }
  return out;
}

/**
 * The global pipe: unknown fields are errors (not silently dropped), types are checked, and every
 * failure becomes one 400 problem+json listing each bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => Problems.validation(toFieldErrors(errors)),
  });
}
