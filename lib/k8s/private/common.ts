import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import {
  GPU_TAINT,
  INT32_MAX,
  VALIDATION_CODES,
  Validate,
  ValidationError,
  isValidKubernetesLabelKey,
} from '../../core';
import { ApiToleration } from '../interfaces';
import { ImageVersion, imageRef } from '../versions';

/**
 * `repository:tag` of an `image` prop, which a JavaScript app may pass as anything: an object
 * with a non-blank string `repository` and `tag`, or a ValidationError naming `prop`.
 */
export function userImageRef(scope: IConstruct, prop: string, image: ImageVersion): string {
  Validate.object(scope, prop, image);
  Validate.string(scope, `${prop}.repository`, image.repository);
  Validate.string(scope, `${prop}.tag`, image.tag);
  return imageRef(image);
}

/** An `s3://` or `gs://` URI: a bucket name (3 to 223 lower-case letters, digits, '.', '_', '-') and an optional prefix. */
export const BUCKET_URI = /^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/;

/** A Hugging Face Hub repository id, `org/name`. */
export const HF_REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Label every object of this module carries. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' };

/** Helm values as YAML, with stable key order and no line folding (core's shared emitter). */
export { toYaml } from '../../core/private/yaml';

/** The toleration for the GPU taint every GPU pool of this library carries (core GPU_TAINT). */
export function gpuToleration(): ApiToleration {
  return { key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validates a Kubernetes object name (RFC 1123 label) of at most `maxLength` characters.
 * Unresolved tokens are skipped.
 */
export function assertDnsLabel(scope: IConstruct, prop: string, value: string, maxLength = 63): void {
  Validate.string(scope, prop, value);
  if (Token.isUnresolved(value)) {
    return;
  }
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
    throw new ValidationError(
      `'${prop}' ('${value}') must be at most ${maxLength} lower-case letters, digits or '-', starting and ending ` +
        `with a letter or digit (a Kubernetes DNS label), for example 'llama-70b'.`,
      scope,
      VALIDATION_CODES.K8S_DNS_LABEL,
    );
  }
}

const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validates a name that becomes a Service name (or a name prefix of one): an RFC 1035 label,
 * which, unlike other object names, must start with a letter. Unresolved tokens are skipped.
 */
export function assertServiceName(scope: IConstruct, prop: string, value: string, maxLength = 63): void {
  Validate.string(scope, prop, value);
  if (Token.isUnresolved(value)) {
    return;
  }
  if (!RFC1035_LABEL.test(value) || value.length > maxLength) {
    throw new ValidationError(
      `'${prop}' ('${value}') must be at most ${maxLength} lower-case letters, digits or '-', start with a letter and ` +
        `end with a letter or digit: it names a Kubernetes Service (an RFC 1035 label). For example 'llama-70b'.`,
      scope,
      VALIDATION_CODES.K8S_RFC1035_LABEL,
    );
  }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Validates node labels (a node selector or a Kueue flavor's `nodeLabels`): keys and values
 * the API server accepts. Unresolved tokens are skipped.
 */
export function assertNodeLabels(scope: IConstruct, prop: string, labels: Record<string, string>): void {
  Validate.stringMap(scope, prop, labels);
  for (const [key, value] of Object.entries(labels)) {
    if (!Token.isUnresolved(key) && !isValidKubernetesLabelKey(key)) {
      throw new ValidationError(
        `${prop} key '${key}' is not a valid Kubernetes label key: an optional DNS-subdomain prefix and '/', then at most ` +
          `63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (for example 'cdktf-ai-infra/accelerator').`,
        scope,
        VALIDATION_CODES.K8S_LABEL_KEY,
      );
    }
    if (!Token.isUnresolved(value) && (value.length > 63 || !LABEL_VALUE.test(value))) {
      throw new ValidationError(
        `${prop} value '${value}' (key '${key}') is not a valid Kubernetes label value: at most 63 letters, digits, ` +
          `'-', '_' or '.', starting and ending with a letter or digit (for example 'h100').`,
        scope,
        VALIDATION_CODES.K8S_LABEL_VALUE,
      );
    }
  }
}

/** Converts a construct id such as `Llama70B` to a Kubernetes name such as `llama70b`. */
export function nameFromId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A whole-number check that skips tokens. */
export function assertInteger(
  scope: IConstruct,
  prop: string,
  value: number,
  min: number,
  max?: number,
): void {
  if (typeof value !== 'number') {
    // From JavaScript callers: a string or null is a ValidationError, never a TypeError.
    Validate.integer(scope, prop, value, { min, max });
  }
  if (Token.isUnresolved(value)) {
    return;
  }
  // Kubernetes integer fields are int32 unless noted (API conventions); 1e21 or 2^31 is a typo.
  const cap = max ?? INT32_MAX;
  if (!Number.isSafeInteger(value) || value < min || value > cap) {
    throw new ValidationError(
      `'${prop}' (${value}) must be an integer ${max === undefined && value <= cap ? `>= ${min}` : `from ${min} to ${cap}`}.`,
      scope,
      VALIDATION_CODES.NUMBER_RANGE,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Stack split: charts that install CRDs and the custom resources that use them.
// ---------------------------------------------------------------------------------------------

const CRD_INSTALLERS = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Records that `scope` installs the CRDs of `apiGroups` (through a Helm chart) in its stack.
 */
export function registerCrdInstaller(scope: IConstruct, apiGroups: string[]): void {
  const stack = TerraformStack.of(scope);
  const map = CRD_INSTALLERS.get(stack) ?? new Map<string, string>();
  for (const g of apiGroups) {
    if (!map.has(g)) {
      map.set(g, scope.node.path);
    }
  }
  CRD_INSTALLERS.set(stack, map);
}

function conflict(scope: IConstruct, apiGroup: string, kind: string): string | undefined {
  const installer = CRD_INSTALLERS.get(TerraformStack.of(scope))?.get(apiGroup);
  if (!installer) {
    return undefined;
  }
  return (
    `the ${kind} (${apiGroup}) is a kubernetes_manifest in the same stack as '${installer}', the Helm chart that ` +
    `installs its CRD. kubernetes_manifest needs the CRD at plan time, so the first 'terraform plan' fails ` +
    `(hashicorp/terraform-provider-kubernetes#1985). Put the platform constructs in one stack and the workloads ` +
    `in a second stack that depends on it (workloads.addDependency(platform)).`
  );
}

/**
 * Fails when a custom resource of `apiGroup` is declared in the same stack as the chart that
 * installs its CRD: now (if the installer exists already) and at synth (if it is added later).
 */
export function assertCrdInOtherStack(scope: IConstruct, apiGroup: string, kind: string): void {
  const now = conflict(scope, apiGroup, kind);
  if (now) {
    throw new ValidationError(now, scope);
  }
  scope.node.addValidation({
    validate: () => {
      const later = conflict(scope, apiGroup, kind);
      return later ? [`${scope.node.path}: ${later}`] : [];
    },
  });
}

/**
 * Makes the stack of `scope` depend on the stack of `other` (no-op when they are the same
 * stack or the dependency exists): the workloads stack is then deployed after the platform.
 */
export function dependOnStackOf(scope: IConstruct, other: IConstruct): void {
  const mine = TerraformStack.of(scope);
  const theirs = TerraformStack.of(other);
  if (mine !== theirs && !mine.dependencies.includes(theirs)) {
    mine.addDependency(theirs);
  }
}

/** A Terraform provider declared raw (no cdktf binding of it is a dependency) that takes no configuration. */
export interface PinnedProvider {
  /** Local name, the prefix of its resource and data source types (`http`, `random`). */
  readonly name: string;
  /** Pinned version. */
  readonly version: string;
  /** Registry source (`hashicorp/http`). */
  readonly source: string;
}

/** A {@link PinnedProvider} as a construct. */
class PinnedProviderConstruct extends TerraformProvider {
  constructor(scope: Construct, id: string, p: PinnedProvider) {
    super(scope, id, {
      terraformResourceType: p.name,
      terraformGeneratorMetadata: { providerName: p.name, providerVersion: p.version },
      terraformProviderSource: p.source,
    });
  }
}

/** Adds `provider` to the stack of `scope` once, at the stack's top with construct id `id`. */
export function addStackProvider(scope: IConstruct, id: string, provider: PinnedProvider): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild(id)) {
    new PinnedProviderConstruct(stack, id, provider);
  }
}
