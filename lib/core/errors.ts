import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The one error type of this library: an invalid prop or an impossible combination, found at
 * synth time.
 *
 * The message names the prop as the user wrote it, the value received, what is allowed and how
 * to fix it. When the error is raised in a construct, the construct path is prepended so the
 * user can find the offending declaration in a large app.
 *
 * @example
 * throw new ValidationError(`'maxNodes' (2) must be >= 'minNodes' (3): raise maxNodes or lower minNodes.`, this);
 */
export class ValidationError extends Error {
  /**
   * Runs `fn` and re-throws any `ValidationError` it raises without a construct path with the
   * path of `scope`. Use it when a construct calls a pure catalogue or sizing function.
   */
  public static withScope<T>(scope: IConstruct, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ValidationError && e.constructPath === undefined) {
        throw new ValidationError(e.detail, scope, e.code);
      }
      throw e;
    }
  }

  /** The construct path of the construct that raised the error, if any. */
  public readonly constructPath?: string;
  /** The message without the construct path. */
  public readonly detail: string;
  /**
   * A stable, kebab-case code for the rule that failed (for example `k8s-dns-label`,
   * `aws-s3-bucket-name`), as warnings have ids: tests and tools match on it, never on the text.
   * The codes of the core validators are listed in `VALIDATION_CODES`; errors raised without a
   * code carry `invalid-value`.
   */
  public readonly code: string;

  /**
   * @param message the prop as the user wrote it, the value, what is allowed and how to fix it
   * @param scope the construct that raised it; its path is prepended to the message
   * @param code stable code of the rule that failed
   */
  constructor(message: string, scope?: IConstruct, code: string = 'invalid-value') {
    const path = scope?.node.path;
    super(path ? `${path}: ${message}` : message);
    this.name = 'ValidationError';
    this.detail = message;
    this.constructPath = path;
    this.code = code;
    Object.setPrototypeOf(this, ValidationError.prototype);
  }
}

const SUPPRESSIONS = new WeakMap<IConstruct, Set<string>>();

/**
 * Context key (for example in `cdktf.json` `context`) holding warning ids to silence for the
 * whole app.
 */
export const SUPPRESSED_WARNINGS_CONTEXT = 'cdktf-ai-infra:suppressedWarnings';

/**
 * Synth-time warnings with stable ids, for combinations that are legal but almost always a
 * mistake. Every warning message starts with `[cdktf-ai-infra:<id>]` so it can be searched for
 * and silenced.
 */
export class Warnings {
  /**
   * Adds warning `id` to `scope` unless it is suppressed on `scope` or an ancestor.
   * @param id stable, kebab-case id, for example `aws-capacity-block-placement-group`
   */
  public static add(scope: IConstruct, id: string, message: string): void {
    if (Warnings.isSuppressed(scope, id)) {
      return;
    }
    Annotations.of(scope).addWarning(`[cdktf-ai-infra:${id}] ${message}`);
  }

  /**
   * Silences warning `id` on `scope` and every construct below it. A reason is required and is
   * recorded as construct metadata so reviewers see why.
   */
  public static suppress(scope: IConstruct, id: string, reason: string): void {
    if (!reason || reason.trim().length < 8) {
      throw new ValidationError(
        `Warnings.suppress('${id}') needs a reason of at least 8 characters, got '${reason ?? ''}': say why the warning does not apply.`,
        scope,
      );
    }
    const ids = SUPPRESSIONS.get(scope) ?? new Set<string>();
    ids.add(id);
    SUPPRESSIONS.set(scope, ids);
    scope.node.addMetadata('cdktf-ai-infra:suppression', { id, reason });
  }

  /** Whether warning `id` is suppressed for `scope`. */
  public static isSuppressed(scope: IConstruct, id: string): boolean {
    const fromContext = scope.node.tryGetContext(SUPPRESSED_WARNINGS_CONTEXT) as string[] | undefined;
    if (Array.isArray(fromContext) && fromContext.includes(id)) {
      return true;
    }
    return scope.node.scopes.some((c) => SUPPRESSIONS.get(c)?.has(id) ?? false);
  }
}
