import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { Problems, type FieldError } from '@onecard/kernel';
import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-validator/types/metadata/MetadataStorage.js';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';

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
  memoiseValidationMetadata();
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

/**
 * class-validator looks up a class's constraints on every validation by filtering every
 * registered constraint of every DTO of the service and testing each class for inheritance
 * (`MetadataStorage.getTargetValidationMetadatas`, ~3 % of a gate tap's CPU). The answer depends
 * only on the class, the options and the registered constraints, which decorators register when
 * the classes load: memoised per class and options here, forgotten whenever a constraint is added.
 */
export function memoiseValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [MEMOISED]?: true };
  if (patched[MEMOISED]) return;
  patched[MEMOISED] = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let cache = new Map<Function, Map<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata: ValidationMetadata) => {
    cache = new Map();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target: Function, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
}

const MEMOISED = Symbol('onecard.memoised');
