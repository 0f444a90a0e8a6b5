import { IConstruct } from 'constructs';
import type { CostAllocationTag } from '../tags';
import { Validate } from '../validation';

/**
 * Validates a list of e-mail subscribers, one implementation for every notifying construct (AWS
 * and GCP budgets, GCP monitoring): an array of e-mail addresses (core `Validate.email`, each
 * named `<prop>[i]`), none listed twice in any letter case.
 * @param emails the list as given; `undefined` is an empty list
 * @returns the list
 */
export function validateEmailList(scope: IConstruct, prop: string, emails: unknown): string[] {
  const list = Validate.array<string>(scope, prop, emails ?? []);
  list.forEach((e, i) => Validate.email(scope, `${prop}[${i}]`, e));
  Validate.unique(scope, prop, list, (e) => e.toLowerCase(), 'e-mail addresses are case-insensitive');
  return list;
}

/**
 * Validates the shape of a cost-allocation tag a budget filters on: an object with a non-empty
 * `key` and a string `value` (which may be empty). The cloud's own key and value rules are the
 * caller's.
 * @param prop the prop as the user wrote it (`costAllocationTag`, or a deprecated name)
 */
export function validateCostAllocationTagShape(
  scope: IConstruct,
  prop: string,
  tag: CostAllocationTag,
): void {
  Validate.object(scope, prop, tag);
  Validate.string(scope, `${prop}.key`, tag.key);
  Validate.string(scope, `${prop}.value`, tag.value, { allowEmpty: true });
}
