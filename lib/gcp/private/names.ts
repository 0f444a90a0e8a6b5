import { createHash } from 'crypto';
import { Token } from 'cdktf';
import { ValidationError } from '../../core';

/** GCE resource name rule: lower case letter first, then lower case letters, digits, '-'; at most 63. */
const GCE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Turns a construct id into a GCE-style resource name: `CheckpointBucket` -> `checkpoint-bucket`. */
export function defaultName(id: string): string {
  let n = id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(n)) {
    n = `x-${n}`;
  }
  return n.slice(0, 40).replace(/-+$/, '');
}

/**
 * Validates a GCE resource name (networks, subnets, clusters, node pools, repositories).
 * @param maxLength the resource's own limit, when shorter than 63
 */
export function validateGceName(prop: string, name: string, maxLength = 63): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  if (!GCE_NAME.test(name) || name.length > maxLength) {
    throw new ValidationError(
      `'${prop}' ('${name}') must be 1-${maxLength} characters of lower case letters, digits and '-', starting with a letter and not ending with '-'.`,
    );
  }
}

/** Whether a value is an unresolved token (skip validation). */
export function unresolved(v: unknown): boolean {
  return Token.isUnresolved(v);
}

/**
 * A stable construct id for an IAM grant: the role's last word plus a short hash of the member,
 * so adding or reordering grants never renames (and so replaces) existing ones.
 */
export function grantId(role: string, member: string): string {
  const word = role
    .split(/[/.]/)
    .pop()!
    .replace(/^[a-z]/, (c) => c.toUpperCase());
  return `${word}${createHash('sha256').update(member).digest('hex').slice(0, 10)}`;
}
