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
    throw new ValidationError(bothNamesSet(oldName, newName), scope);
  }
  Warnings.add(scope, DEPRECATED_WARNING_ID, renamedMessage(oldName, newName));
  return oldValue;
}

/** The error when a prop or option is given under its old and its new name. */
function bothNamesSet(oldName: string, newName: string): string {
  return `'${oldName}' and '${newName}' are both set: '${oldName}' is the deprecated name of '${newName}'. Keep '${newName}' only.`;
}

/** The deprecation message of a renamed prop or option. */
function renamedMessage(oldName: string, newName: string): string {
  return `'${oldName}' is deprecated and will be removed in the next minor release: rename it to '${newName}' (same type and meaning).`;
}

/** Warns that a method was renamed (`grantRead` -> `grantPull`). */
export function renamedMethod(scope: IConstruct, oldName: string, newName: string): void {
  Warnings.add(
    scope,
    DEPRECATED_WARNING_ID,
    `${oldName}() is deprecated and will be removed in the next minor release: call ${newName}() (same behaviour).`,
  );
}

const DEFERRED = new WeakMap<object, string[]>();

/** What {@link renamedOption} resolved. */
export interface RenamedOption<T> {
  /** The value to use (the new name's, else the old name's). */
  readonly value: T | undefined;
  /** The deprecation message when the old name was used. */
  readonly deprecation?: string;
}

/**
 * Resolves a renamed option of a static factory (`MetricsCollection.managedPrometheus`,
 * `GcpPrincipal.kubernetesServiceAccount`, ...), which has no construct to warn on: the new name
 * wins; both at once is an error; the old name works for one release and the warning is kept
 * for the construct that uses the object ({@link raiseDeferredDeprecations}).
 * @param where the factory, as the user calls it
 * @returns the value to use, and the deprecation message when the old name was used
 */
export function renamedOption<T>(
  where: string,
  oldName: string,
  oldValue: T | undefined,
  newName: string,
  newValue: T | undefined,
): RenamedOption<T> {
  if (oldValue === undefined) return { value: newValue };
  if (newValue !== undefined) {
    throw new ValidationError(`${where}: ${bothNamesSet(oldName, newName)}`);
  }
  return { value: oldValue, deprecation: `${where}: ${renamedMessage(oldName, newName)}` };
}

/** Records a deprecation on an object made without a construct, to be raised where it is used. */
export function deferDeprecation(obj: object, message: string | undefined): void {
  if (message === undefined) return;
  DEFERRED.set(obj, [...(DEFERRED.get(obj) ?? []), message]);
}

/**
 * Raises the deprecations recorded on `obj` (by {@link deferDeprecation}) as warning
 * `deprecated-api` on `scope`, the construct that uses it. Safe for any value.
 */
export function raiseDeferredDeprecations(scope: IConstruct, obj: unknown): void {
  if (typeof obj !== 'object' || obj === null) return;
  for (const m of DEFERRED.get(obj) ?? []) Warnings.add(scope, DEPRECATED_WARNING_ID, m);
}
