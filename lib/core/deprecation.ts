import { IConstruct } from 'constructs';
import { ValidationError, Warnings } from './errors';

/** Id of the warning a deprecated prop or method raises. */
export const DEPRECATED_WARNING_ID = 'deprecated-api';

/**
 * Resolves a prop renamed for one API across clouds: the new name wins; the old name still
 * works for one release with warning `deprecated-api`; both at once is an error (they could
 * disagree).
 * @returns the value to use
 */
export function renamedProp<T>(
  scope: IConstruct,
  oldName: string,
  oldValue: T | undefined,
  newName: string,
  newValue: T | undefined,
): T | undefined {
  if (oldValue === undefined) return newValue;
  if (newValue !== undefined) {
    throw new ValidationError(
      `'${oldName}' and '${newName}' are both set: '${oldName}' is the deprecated name of '${newName}'. Keep '${newName}' only.`,
      scope,
    );
  }
  Warnings.add(
    scope,
    DEPRECATED_WARNING_ID,
    `'${oldName}' is deprecated and will be removed in the next minor release: rename it to '${newName}' (same type and meaning).`,
  );
  return oldValue;
}

/** Warns that a method was renamed (`grantRead` -> `grantPull`). */
export function renamedMethod(scope: IConstruct, oldName: string, newName: string): void {
  Warnings.add(
    scope,
    DEPRECATED_WARNING_ID,
    `${oldName}() is deprecated and will be removed in the next minor release: call ${newName}() (same behaviour).`,
  );
}
