import { createHash } from 'crypto';
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { Validate } from '../../core';

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
export function validateGceName(prop: string, name: string, maxLength = 63, scope?: IConstruct): void {
  Validate.gcpResourceName(scope, prop, name, maxLength);
}

/**
 * Validates a Cloud Storage location: a region (`us-central1`), a multi-region (`US`, `EU`,
 * `ASIA`) or a predefined dual-region (`NAM4`, `EUR4`, `ASIA1`, ...), case-insensitive
 * (https://cloud.google.com/storage/docs/locations).
 */
export function validateStorageLocation(scope: IConstruct, prop: string, location: unknown): string {
  const v = Validate.string(scope, prop, location);
  if (Token.isUnresolved(v)) return v;
  const l = v.toLowerCase();
  if (/^(us|eu|asia)$/.test(l) || /^(nam|eur|asia)\d{1,2}$/.test(l)) return v;
  Validate.gcpRegion(scope, prop, l);
  return v;
}

/**
 * Validates an Artifact Registry location: a region or a multi-region `us`, `europe`, `asia`
 * (https://cloud.google.com/artifact-registry/docs/repositories/repo-locations).
 */
export function validateRegistryLocation(scope: IConstruct, prop: string, location: unknown): string {
  const v = Validate.string(scope, prop, location);
  if (Token.isUnresolved(v) || /^(us|europe|asia)$/.test(v)) return v;
  return Validate.gcpRegion(scope, prop, v);
}

/** Whether a value is an unresolved token (skip validation). */
export function unresolved(v: unknown): boolean {
  return Token.isUnresolved(v);
}

/**
 * A stable construct id for an IAM grant: the role's last word plus a short hash of the member,
 * so adding or reordering grants never renames (and so replaces) existing ones. A member with
 * unresolved values (a service account's email, a cluster's workload pool) is hashed as the
 * Terraform expressions it resolves to, not as its token text, whose token numbers change
 * whenever the app creates more or fewer tokens before it.
 */
export function grantId(scope: IConstruct, role: string, member: string): string {
  const word = role
    .split(/[/.]/)
    .pop()!
    .replace(/^[a-z]/, (c) => c.toUpperCase());
  return `${word}${createHash('sha256').update(stableText(scope, member)).digest('hex').slice(0, 10)}`;
}

/** `value` with its tokens resolved (without preparing cross-stack references), else as given. */
function stableText(scope: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  try {
    const resolved: unknown = Tokenization.resolve(value, {
      scope: TerraformStack.of(scope),
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
    return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
  } catch {
    // A value that cannot be resolved yet (a lazy value whose producer fails now): its text.
    return value;
  }
}
