/**
 * Reads an attribute of an object once and returns the same value on every later call.
 *
 * Every read of a provider resource's attribute (`bucket.arn`, `network.name`) builds a new
 * cdktf token, and cdktf captures a full stack trace for each; a construct that uses one
 * attribute of a shared resource in several places (every node pool attaching the same
 * network, every grant on the same repository) reads it here instead. The Terraform output is
 * the same: each token resolves to the same reference.
 * @param target the resource (or any object) the attribute belongs to
 * @param attribute the attribute's name, the cache key
 * @param read reads the attribute (called on the first call for `target` and `attribute` only)
 */
export function readOnce<T extends object>(
  target: T,
  attribute: string,
  read: (target: T) => string,
): string {
  let values = CACHE.get(target);
  if (values === undefined) {
    values = new Map();
    CACHE.set(target, values);
  }
  let value = values.get(attribute);
  if (value === undefined) {
    value = read(target);
    values.set(attribute, value);
  }
  return value;
}

const CACHE = new WeakMap<object, Map<string, string>>();
