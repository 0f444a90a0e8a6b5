import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { isEmailAddress } from './private/email';

/**
 * The stable codes of the core validators, one per rule. A `ValidationError` raised by
 * `Validate` carries one of them in `code`; tests and tools match on the code, never on the text.
 */
export const VALIDATION_CODES = {
  /** A value of the wrong JavaScript type (a string for a number, `null`, an object for a string). */
  TYPE: 'type',
  /** A number that is not finite, not whole where a count is needed, or outside the API's range. */
  NUMBER_RANGE: 'number-range',
  /** A string that is empty, too long or has characters the target API refuses. */
  STRING: 'string',
  /** A value listed twice, or two values that become the same id or name. */
  DUPLICATE: 'duplicate',
  /** A value that is not one of a fixed set. */
  ENUM: 'enum',
  /** Kubernetes object name: RFC 1123 DNS label. */
  K8S_DNS_LABEL: 'k8s-dns-label',
  /** Kubernetes object name: RFC 1123 DNS subdomain. */
  K8S_DNS_SUBDOMAIN: 'k8s-dns-subdomain',
  /** Kubernetes Service-like name: RFC 1035 label. */
  K8S_RFC1035_LABEL: 'k8s-rfc1035-label',
  /** Kubernetes label or annotation key (qualified name). */
  K8S_LABEL_KEY: 'k8s-label-key',
  /** Kubernetes label value. */
  K8S_LABEL_VALUE: 'k8s-label-value',
  /** Kubernetes taint. */
  K8S_TAINT: 'k8s-taint',
  /** Kubernetes toleration. */
  K8S_TOLERATION: 'k8s-toleration',
  /** Container environment variable name. */
  K8S_ENV_NAME: 'k8s-env-name',
  /** Kubernetes resource quantity. */
  K8S_QUANTITY: 'k8s-quantity',
  /** Duration in the target's format (Prometheus, Go, Google `"<n>s"`). */
  DURATION: 'duration',
  /** AWS region name. */
  AWS_REGION: 'aws-region',
  /** AWS Availability Zone name. */
  AWS_AZ: 'aws-availability-zone',
  /** AWS partition. */
  AWS_PARTITION: 'aws-partition',
  /** AWS ARN. */
  AWS_ARN: 'aws-arn',
  /** AWS account id. */
  AWS_ACCOUNT_ID: 'aws-account-id',
  /** EC2 resource id (`vpc-`, `subnet-`, `sg-`, ...). */
  AWS_RESOURCE_ID: 'aws-resource-id',
  /** EC2 capacity reservation id (`cr-`). */
  AWS_RESERVATION_ID: 'aws-reservation-id',
  /** EC2 instance type name. */
  AWS_INSTANCE_TYPE: 'aws-instance-type',
  /** S3 general purpose bucket name. */
  AWS_S3_BUCKET_NAME: 'aws-s3-bucket-name',
  /** IPv4 CIDR block. */
  CIDR: 'cidr',
  /** Google Cloud project id. */
  GCP_PROJECT_ID: 'gcp-project-id',
  /** Google Cloud region. */
  GCP_REGION: 'gcp-region',
  /** Google Cloud zone. */
  GCP_ZONE: 'gcp-zone',
  /** Compute Engine resource name (RFC 1035). */
  GCP_RESOURCE_NAME: 'gcp-resource-name',
  /** Compute Engine machine type name. */
  GCP_MACHINE_TYPE: 'gcp-machine-type',
  /** Cloud Storage bucket name. */
  GCP_GCS_BUCKET_NAME: 'gcp-gcs-bucket-name',
  /** Google Cloud label key. */
  GCP_LABEL_KEY: 'gcp-label-key',
  /** Google Cloud label value. */
  GCP_LABEL_VALUE: 'gcp-label-value',
  /** E-mail address. */
  EMAIL: 'email',
  /** http(s) URL. */
  URL: 'url',
  /** Container image reference. */
  IMAGE_REFERENCE: 'image-reference',
  /** PromQL label matcher. */
  PROMQL_MATCHER: 'promql-matcher',
  /** PromQL metric selector. */
  PROMQL_SELECTOR: 'promql-selector',
  /** A policy rule id that is malformed or not one of the pack's rules. */
  POLICY_RULE_ID: 'policy-rule-id',
  /** A policy suppression without a reason long enough to record. */
  POLICY_SUPPRESSION_REASON: 'policy-suppression-reason',
  /** A policy report file name that is not a plain `.json` file name, or one already written. */
  POLICY_REPORT_FILE: 'policy-report-file',
} as const;

/** One of the codes in `VALIDATION_CODES`. */
export type ValidationCode = (typeof VALIDATION_CODES)[keyof typeof VALIDATION_CODES];

/** The largest signed 32-bit integer: the ceiling of most Kubernetes and cloud API integer fields. */
export const INT32_MAX = 2147483647;

/** Options of `Validate.integer`. */
export interface IntegerRange {
  /**
   * Smallest allowed value.
   * @default 0
   */
  readonly min?: number;
  /**
   * Largest allowed value.
   * @default INT32_MAX (2^31 - 1)
   */
  readonly max?: number;
  /**
   * Why the limits are what they are, appended to the message (for example `the EKS
   * node group limit`).
   * @default - no reason given
   */
  readonly reason?: string;
}

/** Options of `Validate.number`. */
export interface NumberRange {
  /**
   * Smallest allowed value.
   * @default - no lower bound beyond being finite
   */
  readonly min?: number;
  /**
   * Largest allowed value.
   * @default - no upper bound beyond being finite
   */
  readonly max?: number;
  /**
   * Whether `min` itself is excluded.
   * @default false
   */
  readonly exclusiveMin?: boolean;
  /**
   * Why the limits are what they are, appended to the message.
   * @default - no reason given
   */
  readonly reason?: string;
}

/** A taint to validate: the shape of core `Taint`. */
export interface TaintLike {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value.
   * @default - no value
   */
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute` (or the cloud spellings `NO_SCHEDULE`, ...). */
  readonly effect: string;
}

/** A toleration to validate: the shape of a Kubernetes `Toleration`. */
export interface TolerationLike {
  /**
   * Taint key; empty with operator `Exists` tolerates every taint.
   * @default - every key
   */
  readonly key?: string;
  /**
   * `Exists` or `Equal`.
   * @default 'Equal'
   */
  readonly operator?: string;
  /**
   * Value to match; must be empty with `Exists`.
   * @default - empty
   */
  readonly value?: string;
  /**
   * `NoSchedule`, `PreferNoSchedule`, `NoExecute`; empty matches all effects.
   * @default - all effects
   */
  readonly effect?: string;
  /**
   * Seconds a `NoExecute` taint is tolerated.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** Which grammar `Validate.duration` checks. */
export enum DurationFormat {
  /**
   * Prometheus duration (rule `for`, scrape intervals): units `ms s m h d w y` in descending
   * order, integers only, for example `5m`, `1h30m`. Source: prometheus/common `model/time.go`
   * `ParseDuration`.
   */
  PROMETHEUS = 'prometheus',
  /**
   * Go `time.ParseDuration` (Kubernetes `metav1.Duration`, KEDA, Kueue): decimal numbers with
   * units `ns us ms s m h`, for example `300s`, `1.5h`.
   */
  GO = 'go',
  /**
   * Google API `Duration` in JSON (`google.protobuf.Duration`): seconds with up to 9 fractional
   * digits and the suffix `s`, for example `3600s`.
   */
  GOOGLE = 'google',
}

/** Options of `Validate.url`. */
export interface UrlOptions {
  /**
   * Allowed schemes, without `:`.
   * @default ['https']
   */
  readonly schemes?: string[];
}

/** Options of `Validate.arn`. */
export interface ArnOptions {
  /**
   * The service the ARN must belong to (for example `sns`, `iam`).
   * @default - any service
   */
  readonly service?: string;
  /**
   * A prefix the resource part must start with (for example `role/`, `secret:`).
   * @default - any resource
   */
  readonly resourcePrefix?: string;
}

/** Options of `Validate.cidr`. */
export interface CidrOptions {
  /**
   * Shortest allowed prefix length (largest block).
   * @default 0
   */
  readonly minPrefix?: number;
  /**
   * Longest allowed prefix length (smallest block).
   * @default 32
   */
  readonly maxPrefix?: number;
  /**
   * Why the limits are what they are, appended to the message.
   * @default - no reason given
   */
  readonly reason?: string;
}

/** Options of the Kubernetes name validators. */
export interface NameOptions {
  /**
   * Maximum length when the field is shorter than the grammar allows (a name that becomes a
   * label value, a prefix with a generated suffix).
   * @default - the grammar's limit (63 for labels, 253 for subdomains)
   */
  readonly maxLength?: number;
  /**
   * What the name becomes, for the message (for example `a Secret name`).
   * @default - 'a Kubernetes object name'
   */
  readonly what?: string;
}

// ---------------------------------------------------------------------------------------------
// Grammars. Every rule names its source.
// ---------------------------------------------------------------------------------------------

/** RFC 1123 label: kubernetes/apimachinery `pkg/util/validation/validation.go` `dns1123LabelFmt`. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: the same file, `dns1123SubdomainFmt`, at most 253 characters. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1035 label: the same file, `dns1035LabelFmt` (Service names). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Qualified-name part of a label key: the same file, `qualifiedNameFmt`, at most 63 characters. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Label value: the same file, `labelValueFmt`, at most 63 characters, may be empty. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/**
 * Environment variable name: the same file, `envVarNameFmt` (`[-._a-zA-Z][-._a-zA-Z0-9]*`). Newer
 * API servers relax it (RelaxedEnvironmentVariableValidation); this library keeps the strict
 * rule that every supported version accepts.
 */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Quantity: kubernetes/apimachinery `pkg/api/resource/quantity.go` (the grammar in its doc comment). */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const PROMETHEUS_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const GOOGLE_DURATION = /^-?\d{1,12}(\.\d{1,9})?s$/;

/**
 * AWS region names: `<geo>[-gov|-iso...]-<direction>-<n>`. Source: the partition files of the AWS
 * SDKs (aws/aws-sdk-go-v2 `internal/endpoints/awsrulesfn/partitions.json`, `regionRegex` per
 * partition): `^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$`, `^cn-\w+-\d+$`, `^us-gov-\w+-\d+$`,
 * `^us-iso-\w+-\d+$`, `^us-isob-\w+-\d+$`, `^eu-isoe-\w+-\d+$`, `^us-isof-\w+-\d+$`,
 * `^eusc-(de)-\w+-\d+$`; `\w+` narrowed to the compass words regions use.
 */
const AWS_REGION =
  /^(?:(us|eu|ap|sa|ca|me|af|il|mx)|(cn)|(us-gov)|(us-iso)|(us-isob)|(eu-isoe)|(us-isof)|(eusc-de))-(central|north|south|east|west|northeast|northwest|southeast|southwest)-[1-9]\d?$/;
const AWS_PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

/**
 * The AWS partition a region belongs to (`aws`, `aws-cn`, `aws-us-gov`, ...), from the same
 * partition files as the region rule. Returns `aws` for an unresolved token.
 */
export function awsPartitionOfRegion(region: string): string {
  if (Token.isUnresolved(region)) {
    return 'aws';
  }
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** GCP regions: `<geo>-<direction><n>` (https://cloud.google.com/compute/docs/regions-zones). */
const GCP_REGION =
  /^(africa|asia|australia|europe|me|northamerica|southamerica|us)-(central|east|west|north|south|northeast|northwest|southeast|southwest)[1-9]\d?$/;
/** A Google Cloud zone: its region (group 1), `-` and one letter. */
const GCP_ZONE = /^(.+)-([a-z])$/;

/**
 * OCI distribution reference grammar (distribution/reference `regexp.go` and its grammar in
 * `reference.go`): `[domain/]path[:tag][@digest]`.
 */
const OCI_DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const OCI_DOMAIN = `(?:${OCI_DOMAIN_COMPONENT}(?:\\.${OCI_DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const OCI_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const OCI_NAME = `(?:${OCI_DOMAIN}/)?${OCI_PATH_COMPONENT}(?:/${OCI_PATH_COMPONENT})*`;
const OCI_TAG = '[\\w][\\w.-]{0,127}';
const OCI_DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const OCI_REFERENCE = new RegExp(`^(${OCI_NAME})(?::(${OCI_TAG}))?(?:@(${OCI_DIGEST}))?$`);

/** Prometheus label name (classic, non-UTF-8 form): `[a-zA-Z_][a-zA-Z0-9_]*`. */
const PROM_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
const PROM_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

// ---------------------------------------------------------------------------------------------

/** How a received value is shown in a message: quoted, truncated, with its type when odd. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 60)}...` : value;
    const escaped = JSON.stringify(shown).slice(1, -1).replace(/'/g, "\\'");
    return value.length > 80 ? `'${escaped}' (${value.length} characters)` : `'${escaped}'`;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return withArticle(typeof value);
}

/** `a function`, `an object`: a JavaScript type name with its English article. */
function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function fail(scope: IConstruct | undefined, code: ValidationCode, message: string): never {
  throw new ValidationError(message, scope, code);
}

function skip(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/**
 * The common form of the string validators: a string (an unresolved token passes unchecked)
 * that `ok` accepts; otherwise a ValidationError with `code` and `message(value)`.
 */
function checkString(
  scope: IConstruct | undefined,
  prop: string,
  value: unknown,
  code: ValidationCode,
  ok: (v: string) => boolean,
  message: (v: string) => string,
): string {
  Validate.string(scope, prop, value);
  const v = value as string;
  if (!skip(v) && !ok(v)) fail(scope, code, message(v));
  return v;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : withArticle(typeof value);
}

/**
 * Runs `check` (validators of the parts of a compound value: a taint's key and value) and raises
 * a ValidationError it throws again with the compound's `code`; type errors keep code `type`.
 */
function withCode(scope: IConstruct | undefined, code: ValidationCode, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof ValidationError && e.code !== VALIDATION_CODES.TYPE) {
      throw new ValidationError(e.detail, scope, code);
    }
    throw e;
  }
}

/**
 * The common form of the zone validators: `value` parsed by `zone` into its region (group 1),
 * which `regionName` must accept, and, with `region`, in that region. `letter` joins a region and
 * a zone letter in the example (`'a'` on AWS, `'-a'` on Google Cloud).
 */
function checkZone(
  scope: IConstruct | undefined,
  prop: string,
  value: unknown,
  region: string | undefined,
  o: {
    code: ValidationCode;
    zone: RegExp;
    regionName: RegExp;
    letter: string;
    notAZone: (v: string) => string;
  },
): string {
  Validate.string(scope, prop, value);
  const v = value as string;
  if (skip(v)) return v;
  const m = o.zone.exec(v);
  if (!m || !o.regionName.test(m[1])) fail(scope, o.code, o.notAZone(v));
  if (region !== undefined && !skip(region) && m[1] !== region) {
    fail(
      scope,
      o.code,
      `'${prop}' (${describeValue(v)}) is in region '${m[1]}', not in '${region}': use a zone of ${region}, for example '${region}${o.letter}'.`,
    );
  }
  return v;
}

/**
 * The validators every module calls, scope first, so each error carries the construct path, a
 * stable code (`ValidationError.code`, listed in `VALIDATION_CODES`) and a message naming the
 * prop as the user wrote it, the value received, what is allowed and how to fix it.
 *
 * Each validator returns the value it checked, so it can be used inline. Unresolved tokens
 * (`${aws_vpc.main.id}`) are returned unchecked: their value is known only at apply time.
 * Values of the wrong JavaScript type (from apps written in JavaScript) fail with code `type`.
 *
 * @example
 * const nodes = Validate.integer(this, 'maxNodes', props.maxNodes, { min: 0, max: 1000 });
 * Validate.s3BucketName(this, 'bucketName', props.bucketName);
 */
export class Validate {
  // ------------------------------------------------------------------ JavaScript types, numbers

  /**
   * A string (not `null`, a number or an object); by default non-empty and without surrounding
   * whitespace.
   */
  public static string(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: { allowEmpty?: boolean; maxLength?: number } = {},
  ): string {
    if (typeof value !== 'string') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a string, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    if (skip(value)) return value;
    if (!options.allowEmpty && value.trim() === '') {
      fail(
        scope,
        VALIDATION_CODES.STRING,
        `'${prop}' must not be empty or blank, got ${describeValue(value)}.`,
      );
    }
    if (value !== value.trim()) {
      fail(
        scope,
        VALIDATION_CODES.STRING,
        `'${prop}' (${describeValue(value)}) has leading or trailing whitespace: remove it.`,
      );
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      fail(
        scope,
        VALIDATION_CODES.STRING,
        `'${prop}' (${describeValue(value)}) is ${value.length} characters; at most ${options.maxLength} are allowed.`,
      );
    }
    return value;
  }

  /**
   * A finite whole number from `min` (default 0) to `max` (default 2^31 - 1). Rejects `NaN`,
   * `Infinity`, fractions, `1e21`, `null` and strings with code `type` or `number-range`.
   */
  public static integer(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    range: IntegerRange = {},
  ): number {
    const min = range.min ?? 0;
    const max = range.max ?? INT32_MAX;
    if (typeof value !== 'number') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a number, got ${typeName(value)} (${describeValue(value)}): pass a whole number from ${min} to ${max}.`,
      );
    }
    if (skip(value)) return value;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      fail(
        scope,
        VALIDATION_CODES.NUMBER_RANGE,
        `'${prop}' (${describeValue(value)}) must be a whole number from ${min} to ${max}` +
          (range.reason ? ` (${range.reason})` : '') +
          '.',
      );
    }
    return value;
  }

  /** A finite number within `min` / `max` (thresholds, prices, ratios). */
  public static number(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    range: NumberRange = {},
  ): number {
    if (typeof value !== 'number') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a number, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    if (skip(value)) return value;
    const low = range.min === undefined ? true : range.exclusiveMin ? value > range.min : value >= range.min;
    const high = range.max === undefined ? true : value <= range.max;
    if (!Number.isFinite(value) || !low || !high) {
      const bounds = [
        range.min === undefined ? undefined : `${range.exclusiveMin ? '>' : '>='} ${range.min}`,
        range.max === undefined ? undefined : `<= ${range.max}`,
      ].filter((b) => b !== undefined);
      fail(
        scope,
        VALIDATION_CODES.NUMBER_RANGE,
        `'${prop}' (${describeValue(value)}) must be a finite number${bounds.length ? ` ${bounds.join(' and ')}` : ''}` +
          (range.reason ? ` (${range.reason})` : '') +
          '.',
      );
    }
    return value;
  }

  /** A boolean (not the string `'true'`). */
  public static boolean(scope: IConstruct | undefined, prop: string, value: unknown): boolean {
    if (typeof value !== 'boolean') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be true or false, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    return value;
  }

  /** An object (props, options): not `null`, a string, a number or an array. */
  public static object<T>(scope: IConstruct | undefined, prop: string, value: T | unknown): T {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be an object, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    return value as T;
  }

  /** An array (not `null`, a string or an object); returns it. */
  public static array<T>(scope: IConstruct | undefined, prop: string, value: readonly T[] | unknown): T[] {
    if (!Array.isArray(value)) {
      if (skip(value)) return value as T[];
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be an array, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    return value as T[];
  }

  /** A plain object map of strings to strings (labels, tags, env). */
  public static stringMap(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
  ): Record<string, string> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be an object of string keys and string values, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    if (skip(value)) return value as Record<string, string>;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v !== 'string') {
        fail(
          scope,
          VALIDATION_CODES.TYPE,
          `'${prop}' key '${k}' must have a string value, got ${typeName(v)} (${describeValue(v)}).`,
        );
      }
    }
    return value as Record<string, string>;
  }

  /** One of `allowed`. */
  public static oneOf<T extends string>(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    allowed: readonly T[],
  ): T {
    if (skip(value)) return value as T;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      fail(
        scope,
        VALIDATION_CODES.ENUM,
        `'${prop}' (${describeValue(value)}) must be one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
      );
    }
    return value as T;
  }

  /**
   * No two entries of `values` with the same `keyOf` (which may normalise: lower-casing an
   * e-mail, or the construct id a value becomes). Names both entries.
   */
  public static unique<T>(
    scope: IConstruct | undefined,
    prop: string,
    values: readonly T[],
    keyOf: (v: T) => string = (v) => String(v),
    why = 'they would become the same resource',
  ): void {
    const seen = new Map<string, T>();
    const show = (x: T): string =>
      x !== null && typeof x === 'object' ? describeValue(keyOf(x)) : describeValue(x);
    for (const v of values) {
      if (skip(v)) continue;
      const k = keyOf(v);
      const prev = seen.get(k);
      if (prev !== undefined) {
        const same = show(prev) === show(v);
        fail(
          scope,
          VALIDATION_CODES.DUPLICATE,
          same
            ? `'${prop}' lists ${show(v)} twice: remove the duplicate.`
            : `'${prop}' lists ${show(prev)} and ${show(v)}: ${why}. Keep one.`,
        );
      }
      seen.set(k, v);
    }
  }

  // ------------------------------------------------------------------ Kubernetes

  /**
   * A Kubernetes object name that must be an RFC 1123 DNS label (namespaces, most names that
   * become labels): at most 63 lower-case letters, digits or `-`, starting and ending with a
   * letter or digit.
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
   */
  public static k8sDnsLabel(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: NameOptions = {},
  ): string {
    const max = options.maxLength ?? 63;
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.K8S_DNS_LABEL,
      (v) => DNS1123_LABEL.test(v) && v.length <= max,
      (v) =>
        `'${prop}' (${describeValue(v)}) is not valid as ${options.what ?? 'a Kubernetes object name'}: it must be at most ${max} ` +
        `lower-case letters, digits or '-', starting and ending with a letter or digit (an RFC 1123 label), for example 'llama-70b'.`,
    );
  }

  /**
   * A Kubernetes object name that must be an RFC 1123 DNS subdomain (Secrets, ConfigMaps,
   * ServiceAccounts, most objects): at most 253 characters of DNS labels joined by dots.
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
   */
  public static k8sDnsSubdomain(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: NameOptions = {},
  ): string {
    const max = options.maxLength ?? 253;
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.K8S_DNS_SUBDOMAIN,
      (v) => DNS1123_SUBDOMAIN.test(v) && v.length <= max,
      (v) =>
        `'${prop}' (${describeValue(v)}) is not valid as ${options.what ?? 'a Kubernetes object name'}: it must be at most ${max} ` +
        `lower-case letters, digits, '-' or '.', starting and ending with a letter or digit (an RFC 1123 subdomain), for example 'hf-token'.`,
    );
  }

  /**
   * A name that becomes a Service name: an RFC 1035 label (starts with a letter).
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#rfc-1035-label-names
   */
  public static k8sRfc1035Label(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: NameOptions = {},
  ): string {
    const max = options.maxLength ?? 63;
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.K8S_RFC1035_LABEL,
      (v) => DNS1035_LABEL.test(v) && v.length <= max,
      (v) =>
        `'${prop}' (${describeValue(v)}) is not valid as ${options.what ?? 'a Kubernetes Service name'}: it must be at most ${max} ` +
        `lower-case letters, digits or '-', start with a letter and end with a letter or digit (an RFC 1035 label), for example 'llama-70b'.`,
    );
  }

  /**
   * A Kubernetes label (or annotation, taint, toleration) key: an optional DNS-subdomain prefix
   * of at most 253 characters and `/`, then a name of at most 63 letters, digits, `-`, `_`, `.`
   * starting and ending with a letter or digit.
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
   */
  public static k8sLabelKey(scope: IConstruct | undefined, prop: string, value: unknown): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const parts = v.split('/');
    const name = parts[parts.length - 1];
    const prefix = parts.length === 2 ? parts[0] : undefined;
    const ok =
      parts.length <= 2 &&
      name.length <= 63 &&
      QUALIFIED_NAME.test(name) &&
      (prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
    if (!ok) {
      fail(
        scope,
        VALIDATION_CODES.K8S_LABEL_KEY,
        `'${prop}' key ${describeValue(v)} is not a valid Kubernetes label key: an optional lower-case DNS-subdomain prefix and '/', ` +
          `then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, for example 'cdktf-ai-infra/accelerator'.`,
      );
    }
    return v;
  }

  /**
   * A Kubernetes label value: empty, or at most 63 letters, digits, `-`, `_`, `.` starting and
   * ending with a letter or digit.
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
   */
  public static k8sLabelValue(scope: IConstruct | undefined, prop: string, value: unknown): string {
    if (typeof value !== 'string') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a string, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    if (skip(value)) return value;
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      fail(
        scope,
        VALIDATION_CODES.K8S_LABEL_VALUE,
        `'${prop}' (${describeValue(value)}) is not a valid Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', ` +
          `starting and ending with a letter or digit (or empty), for example 'h100'.`,
      );
    }
    return value;
  }

  /** Every key and value of a Kubernetes label map (node labels, selectors, pod labels). */
  public static k8sLabels(
    scope: IConstruct | undefined,
    prop: string,
    labels: unknown,
  ): Record<string, string> {
    const map = Validate.stringMap(scope, prop, labels);
    if (skip(map)) return map;
    for (const [k, v] of Object.entries(map)) {
      Validate.k8sLabelKey(scope, prop, k);
      Validate.k8sLabelValue(scope, `${prop}['${k}']`, v);
    }
    return map;
  }

  /**
   * A taint: key as a label key, value as a label value, effect one of `NoSchedule`,
   * `PreferNoSchedule`, `NoExecute` (the cloud spellings `NO_SCHEDULE`, `PREFER_NO_SCHEDULE`,
   * `NO_EXECUTE` are accepted too).
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  public static k8sTaint(scope: IConstruct | undefined, prop: string, taint: unknown): TaintLike {
    if (taint === null || typeof taint !== 'object') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a taint object { key, value?, effect }, got ${describeValue(taint)}.`,
      );
    }
    const t = taint as TaintLike;
    withCode(scope, VALIDATION_CODES.K8S_TAINT, () => {
      Validate.k8sLabelKey(scope, `${prop}.key`, t.key);
      if (t.value !== undefined) Validate.k8sLabelValue(scope, `${prop}.value`, t.value);
    });
    const effects = [
      'NoSchedule',
      'PreferNoSchedule',
      'NoExecute',
      'NO_SCHEDULE',
      'PREFER_NO_SCHEDULE',
      'NO_EXECUTE',
    ];
    if (!skip(t.effect) && !effects.includes(t.effect)) {
      fail(
        scope,
        VALIDATION_CODES.K8S_TAINT,
        `'${prop}.effect' (${describeValue(t.effect)}) must be 'NoSchedule', 'PreferNoSchedule' or 'NoExecute'.`,
      );
    }
    return t;
  }

  /**
   * A toleration, by the API server's rules (kubernetes/kubernetes
   * `pkg/apis/core/validation/validation.go` `ValidateTolerations`): the key is a label key or
   * empty with `Exists`; `Exists` takes no value; `Equal` takes a label value;
   * `tolerationSeconds` only with `NoExecute`.
   */
  public static k8sToleration(
    scope: IConstruct | undefined,
    prop: string,
    toleration: unknown,
  ): TolerationLike {
    if (toleration === null || typeof toleration !== 'object') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a toleration object { key, operator, value, effect }, got ${describeValue(toleration)}.`,
      );
    }
    const t = toleration as TolerationLike;
    const op = t.operator ?? 'Equal';
    const bad = (why: string): never =>
      fail(scope, VALIDATION_CODES.K8S_TOLERATION, `'${prop}' (${describeTol(t)}) ${why}`);
    if (!skip(op) && op !== 'Exists' && op !== 'Equal') {
      bad(`has operator ${describeValue(op)}: use 'Exists' or 'Equal'.`);
    }
    if (t.key === undefined || t.key === '') {
      if (op !== 'Exists') bad(`has no key: a toleration without a key must use operator 'Exists'.`);
    } else {
      withCode(scope, VALIDATION_CODES.K8S_TOLERATION, () =>
        Validate.k8sLabelKey(scope, `${prop}.key`, t.key),
      );
    }
    if (op === 'Exists' && t.value !== undefined && t.value !== '') {
      bad(`has a value with operator 'Exists': remove the value or use operator 'Equal'.`);
    }
    if (op === 'Equal' && t.value !== undefined) {
      withCode(scope, VALIDATION_CODES.K8S_TOLERATION, () =>
        Validate.k8sLabelValue(scope, `${prop}.value`, t.value),
      );
    }
    if (t.effect !== undefined && t.effect !== '' && !skip(t.effect)) {
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
        bad(
          `has effect ${describeValue(t.effect)}: use 'NoSchedule', 'PreferNoSchedule', 'NoExecute' or leave it empty for all.`,
        );
      }
    }
    if (t.tolerationSeconds !== undefined) {
      if (t.effect !== 'NoExecute') {
        bad(`sets tolerationSeconds without effect 'NoExecute': only NoExecute taints evict after a delay.`);
      }
      Validate.integer(scope, `${prop}.tolerationSeconds`, t.tolerationSeconds, {
        min: 0,
        max: Number.MAX_SAFE_INTEGER,
      });
    }
    return t;
  }

  /**
   * A container environment variable name: letters, digits, `_`, `-`, `.`, not starting with a
   * digit (kubernetes/apimachinery `IsEnvVarName`).
   */
  public static envVarName(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.K8S_ENV_NAME,
      (v) => ENV_NAME.test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not a valid environment variable name: letters, digits, '_', '-' or '.', ` +
        `not starting with a digit, for example 'HF_HOME'.`,
    );
  }

  /**
   * A Kubernetes resource quantity (`'2'`, `'500m'`, `'16Gi'`, `'1e3'`): no spaces, a known
   * suffix, and (for resource requests) not negative. A number is accepted when finite and
   * not negative, and returned as a string in plain decimal form.
   * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
   */
  public static k8sQuantity(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: { allowNegative?: boolean } = {},
  ): string {
    if (typeof value === 'number') {
      if (skip(value)) return Token.asString(value);
      Validate.number(scope, prop, value, options.allowNegative ? {} : { min: 0 });
      const s = plainDecimal(value);
      if (s === undefined) {
        fail(
          scope,
          VALIDATION_CODES.K8S_QUANTITY,
          `'${prop}' (${value}) cannot be written as a Kubernetes quantity: pass a string such as '16Gi' or '500m'.`,
        );
      }
      return s;
    }
    if (typeof value !== 'string') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a quantity string such as '16Gi', got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    if (skip(value)) return value;
    if (!QUANTITY.test(value) || (!options.allowNegative && value.startsWith('-'))) {
      fail(
        scope,
        VALIDATION_CODES.K8S_QUANTITY,
        `'${prop}' (${describeValue(value)}) is not a Kubernetes quantity: a ${options.allowNegative ? '' : 'non-negative '}number with ` +
          `no spaces and an optional suffix Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E, for example '16Gi', '500m' or '2'.`,
      );
    }
    return value;
  }

  /** A duration in the grammar its consumer parses (see `DurationFormat`). */
  public static duration(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    format: DurationFormat = DurationFormat.PROMETHEUS,
  ): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const [re, example, what] =
      format === DurationFormat.PROMETHEUS
        ? [
            PROMETHEUS_DURATION,
            "'5m', '1h30m' or '0s'",
            'whole numbers with units y w d h m s ms, largest first',
          ]
        : format === DurationFormat.GO
          ? [GO_DURATION, "'300s', '1.5h' or '500ms'", 'numbers with units h m s ms us ns']
          : [GOOGLE_DURATION, "'3600s'", "seconds with up to 9 decimals and the suffix 's'"];
    const zero = format === DurationFormat.PROMETHEUS && v === '0';
    if (!zero && !re.test(v)) {
      fail(
        scope,
        VALIDATION_CODES.DURATION,
        `'${prop}' (${describeValue(v)}) is not a ${format === DurationFormat.GOOGLE ? 'Google API' : format === DurationFormat.GO ? 'Go' : 'Prometheus'} duration: ${what}, for example ${example}.`,
      );
    }
    return v;
  }

  // ------------------------------------------------------------------ AWS

  /**
   * An AWS region name (`us-east-1`, `eu-west-2`, `us-gov-west-1`, `cn-north-1`).
   * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
   */
  public static awsRegion(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.AWS_REGION,
      (v) => AWS_REGION.test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an AWS region name: '<area>-<direction>-<number>', for example 'us-east-1', ` +
        `'eu-west-2', 'us-gov-west-1' or 'cn-north-1' (a region, not an Availability Zone such as 'us-east-1a').`,
    );
  }

  /**
   * An AWS Availability Zone name: its region followed by one letter (`us-east-1a`), or a Local
   * Zone (`us-west-2-lax-1a`). With `region`, the zone must be in it.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html
   */
  public static awsAvailabilityZone(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    region?: string,
  ): string {
    return checkZone(scope, prop, value, region, {
      code: VALIDATION_CODES.AWS_AZ,
      zone: /^(.+?\d)([a-z]|-[a-z]{3}-\d[a-z])$/,
      regionName: AWS_REGION,
      letter: 'a',
      notAZone: (v) =>
        `'${prop}' (${describeValue(v)}) is not an AWS Availability Zone name: a region followed by a letter, for example 'us-east-1a'.`,
    });
  }

  /** An AWS partition (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`). */
  public static awsPartition(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.AWS_PARTITION,
      (v) => AWS_PARTITIONS.includes(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an AWS partition: use one of ${AWS_PARTITIONS.map((p) => `'${p}'`).join(', ')}.`,
    );
  }

  /**
   * An ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`, partition-aware.
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
   */
  public static arn(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: ArnOptions = {},
  ): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const parts = v.split(':');
    const what = options.service
      ? `an ARN of ${options.service}${options.resourcePrefix ? ` '${options.resourcePrefix}...'` : ''}`
      : 'an ARN';
    const example = `'arn:aws:${options.service ?? 'sns'}:us-east-1:123456789012:${options.resourcePrefix ?? ''}example'`;
    const ok =
      parts.length >= 6 &&
      parts[0] === 'arn' &&
      AWS_PARTITIONS.includes(parts[1]) &&
      /^[a-z0-9-]+$/.test(parts[2]) &&
      (parts[3] === '' || AWS_REGION.test(parts[3])) &&
      (parts[4] === '' || /^\d{12}$/.test(parts[4]) || parts[4] === 'aws') &&
      parts.slice(5).join(':').length > 0 &&
      !/\s/.test(v) &&
      (options.service === undefined || parts[2] === options.service) &&
      (options.resourcePrefix === undefined || parts.slice(5).join(':').startsWith(options.resourcePrefix));
    if (!ok) {
      fail(
        scope,
        VALIDATION_CODES.AWS_ARN,
        `'${prop}' (${describeValue(v)}) is not ${what}: 'arn:<partition>:<service>:<region>:<12-digit account>:<resource>' ` +
          `with partition ${AWS_PARTITIONS.join(', ')}, for example ${example}.`,
      );
    }
    return v;
  }

  /** A 12-digit AWS account id. */
  public static awsAccountId(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.AWS_ACCOUNT_ID,
      (v) => /^\d{12}$/.test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an AWS account id: exactly 12 digits, for example '123456789012'.`,
    );
  }

  /**
   * An EC2 resource id with a given prefix: `vpc-`, `subnet-`, `sg-`, `igw-`, ... followed by
   * 8 or 17 lower-case hex digits.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
   */
  public static ec2ResourceId(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    prefix: string,
  ): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.AWS_RESOURCE_ID,
      (v) => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an EC2 ${prefix} id: '${prefix}-' followed by 8 or 17 lower-case hex digits, ` +
        `for example '${prefix}-0123456789abcdef0'.`,
    );
  }

  /**
   * An EC2 capacity reservation id (On-Demand Capacity Reservation or Capacity Block):
   * `cr-` and 17 (older: 8) lower-case hex digits.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityReservation.html
   */
  public static awsReservationId(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.AWS_RESERVATION_ID,
      (v) => /^cr-([0-9a-f]{8}|[0-9a-f]{17})$/.test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an EC2 capacity reservation id: 'cr-' followed by 17 (or, for old ones, 8) ` +
        `lower-case hex digits, for example 'cr-0123456789abcdef0'.`,
    );
  }

  /**
   * An EC2 instance type name: `<family>.<size>` in lower case (`p5.48xlarge`,
   * `p6e-gb200.36xlarge`).
   * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
   */
  public static awsInstanceType(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.AWS_INSTANCE_TYPE,
      (v) => !(!/^[a-z][a-z0-9-]*[a-z0-9]\.[a-z0-9]+$/.test(v) || v.length > 64),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an EC2 instance type name: '<family>.<size>' in lower case, for example 'p5.48xlarge'.`,
    );
  }

  /**
   * An S3 general purpose bucket name: 3-63 lower-case letters, digits, `.` and `-`, starting
   * and ending with a letter or digit; no `..`; not an IP address; not starting with `xn--`,
   * `sthree-` or `amzn-s3-demo-`; not ending with `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3` or
   * `--table-s3`.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   * @param maxLength a shorter limit when a suffix is appended (for a bucket name prefix)
   */
  public static s3BucketName(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    maxLength = 63,
  ): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const bad = (why: string): never =>
      fail(
        scope,
        VALIDATION_CODES.AWS_S3_BUCKET_NAME,
        `'${prop}' (${describeValue(v)}) is not a valid S3 bucket name: ${why}. Use 3-${maxLength} lower-case letters, digits, ` +
          `'-' or '.', starting and ending with a letter or digit, for example 'acme-ml-checkpoints'.`,
      );
    if (v.length < 3 || v.length > maxLength) bad(`it has ${v.length} characters`);
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(v))
      bad('it has characters other than a-z 0-9 . - or starts/ends with . or -');
    if (v.includes('..')) bad("it has two adjacent periods '..'");
    if (v.includes('.-') || v.includes('-.')) bad("it has a period next to a hyphen ('.-' or '-.')");
    if (IPV4.test(v)) bad('it is formatted as an IP address');
    for (const p of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
      if (v.startsWith(p)) bad(`it starts with the reserved prefix '${p}'`);
    }
    for (const s of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
      if (v.endsWith(s)) bad(`it ends with the reserved suffix '${s}'`);
    }
    return v;
  }

  /**
   * An IPv4 CIDR block in canonical form (`10.0.0.0/16`: no host bits set), with a prefix length
   * in `minPrefix`..`maxPrefix` (an AWS VPC takes /16 to /28).
   */
  public static cidr(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: CidrOptions = {},
  ): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const min = options.minPrefix ?? 0;
    const max = options.maxPrefix ?? 32;
    const m = /^([0-9.]+)\/(\d{1,2})$/.exec(v);
    const reason = options.reason ? ` (${options.reason})` : '';
    if (!m || !IPV4.test(m[1]) || Number(m[2]) > 32) {
      fail(
        scope,
        VALIDATION_CODES.CIDR,
        `'${prop}' (${describeValue(v)}) is not an IPv4 CIDR block: '<a.b.c.d>/<prefix>', for example '10.0.0.0/16'.`,
      );
    }
    const prefix = Number(m[2]);
    if (prefix < min || prefix > max) {
      fail(
        scope,
        VALIDATION_CODES.CIDR,
        `'${prop}' (${describeValue(v)}) has prefix length /${prefix}; it must be from /${min} to /${max}${reason}.`,
      );
    }
    const ip = m[1].split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - prefix);
    if (ip % size !== 0) {
      const base = ip - (ip % size);
      const dotted = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.');
      fail(
        scope,
        VALIDATION_CODES.CIDR,
        `'${prop}' (${describeValue(v)}) has host bits set: the network address of that block is '${dotted}/${prefix}'. Use it.`,
      );
    }
    return v;
  }

  // ------------------------------------------------------------------ Google Cloud

  /**
   * A Google Cloud project id: 6-30 lower-case letters, digits or `-`, starting with a letter,
   * not ending with `-`, and not containing `google`, `null`, `undefined` or `ssl`; or a legacy
   * domain-scoped id (`example.com:my-project`).
   * @see https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin
   */
  public static gcpProjectId(scope: IConstruct | undefined, prop: string, value: unknown): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const m = /^(?:([a-z0-9][-a-z0-9.]{0,61}[a-z0-9]):)?([a-z][-a-z0-9]{4,28}[a-z0-9])$/.exec(v);
    const restricted =
      m && !m[1] ? ['google', 'null', 'undefined', 'ssl'].find((r) => m[2].includes(r)) : undefined;
    if (!m || restricted) {
      fail(
        scope,
        VALIDATION_CODES.GCP_PROJECT_ID,
        `'${prop}' (${describeValue(v)}) is not a Google Cloud project id: 6-30 lower-case letters, digits or '-', starting ` +
          `with a letter and not ending with '-'${restricted ? `, and not containing '${restricted}'` : ''}, for example 'acme-ml-prod' ` +
          `(the project id, not the project name or number).`,
      );
    }
    return v;
  }

  /**
   * A Google Cloud region (`us-central1`, `europe-west4`).
   * @see https://cloud.google.com/compute/docs/regions-zones
   */
  public static gcpRegion(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.GCP_REGION,
      (v) => GCP_REGION.test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not a Google Cloud region: '<area>-<direction><number>', for example 'us-central1' ` +
        `or 'europe-west4' (a region, not a zone such as 'us-central1-a').`,
    );
  }

  /**
   * A Google Cloud zone: a region, `-` and one letter (`us-central1-a`). The fully qualified
   * zone name is `<region>-<zone letter>` (https://cloud.google.com/compute/docs/regions-zones:
   * "the fully-qualified name for zone a in region us-central1 is us-central1-a"; the
   * Pub/Sub Lite client's `CloudZone.parse` documents the same `<location>-<direction><number>-<letter>`
   * form). With `region`, the zone must be in it.
   */
  public static gcpZone(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    region?: string,
  ): string {
    return checkZone(scope, prop, value, region, {
      code: VALIDATION_CODES.GCP_ZONE,
      zone: GCP_ZONE,
      regionName: GCP_REGION,
      letter: '-a',
      notAZone: (v) =>
        `'${prop}' (${describeValue(v)}) is not a Google Cloud zone: a region, '-' and one letter, for example 'us-central1-a'.`,
    });
  }

  /** A Google Cloud region or zone (a GKE location). */
  public static gcpLocation(scope: IConstruct | undefined, prop: string, value: unknown): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    if (GCP_REGION.test(v)) return v;
    const m = GCP_ZONE.exec(v);
    if (!m || !GCP_REGION.test(m[1])) {
      fail(
        scope,
        VALIDATION_CODES.GCP_ZONE,
        `'${prop}' (${describeValue(v)}) is neither a Google Cloud region ('us-central1') nor a zone ('us-central1-a').`,
      );
    }
    return v;
  }

  /**
   * A Compute Engine resource name (RFC 1035): a lower-case letter, then lower-case letters,
   * digits or `-`, not ending with `-`, at most 63 (or the resource's own shorter limit).
   * @see https://cloud.google.com/compute/docs/naming-resources#resource-name-format
   */
  public static gcpResourceName(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    maxLength = 63,
  ): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.GCP_RESOURCE_NAME,
      (v) => !(!DNS1035_LABEL.test(v) || v.length > maxLength),
      (v) =>
        `'${prop}' (${describeValue(v)}) must be 1-${maxLength} lower-case letters, digits and '-', starting with a letter and ` +
        `not ending with '-', for example 'gpu-net'.`,
    );
  }

  /**
   * A Compute Engine machine type name (`a3-highgpu-8g`, `g2-standard-24`).
   * @see https://cloud.google.com/compute/docs/machine-resource
   */
  public static gcpMachineType(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.GCP_MACHINE_TYPE,
      (v) => !(!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(v) || v.length > 63),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not a Compute Engine machine type name: '<series>-<type>-<size>' in lower case, ` +
        `for example 'a3-highgpu-8g'.`,
    );
  }

  /**
   * A Cloud Storage bucket name: 3-63 characters (up to 222 with dots, each dot-separated part
   * at most 63) of lower-case letters, digits, `-`, `_` and `.`, starting and ending with a
   * letter or digit; not an IP address; not starting with `goog`; not containing `google` or
   * close misspellings.
   * @see https://cloud.google.com/storage/docs/buckets#naming
   */
  public static gcsBucketName(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    maxLength = 63,
  ): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const bad = (why: string): never =>
      fail(
        scope,
        VALIDATION_CODES.GCP_GCS_BUCKET_NAME,
        `'${prop}' (${describeValue(v)}) is not a valid Cloud Storage bucket name: ${why}. Use 3-${maxLength} lower-case ` +
          `letters, digits, '-', '_' or '.', starting and ending with a letter or digit, for example 'acme-ml-checkpoints'.`,
      );
    const limit = v.includes('.') ? Math.max(222, maxLength) : maxLength;
    if (v.length < 3 || v.length > limit) bad(`it has ${v.length} characters`);
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(v))
      bad('it has characters other than a-z 0-9 - _ . or starts/ends with one of - _ .');
    if (v.split('.').some((p) => p.length === 0 || p.length > 63))
      bad('a dot-separated part is empty or longer than 63 characters');
    if (IPV4.test(v)) bad('it is formatted as an IP address');
    if (v.startsWith('goog')) bad("it starts with the reserved prefix 'goog'");
    if (/g[o0][o0]g[l1]e/.test(v)) bad("it contains 'google' or a close misspelling");
    return v;
  }

  /**
   * A Google Cloud label key: 1-63 lower-case letters, digits, `_` or `-`, starting with a
   * lower-case letter (international lower-case letters are allowed).
   * @see https://cloud.google.com/resource-manager/docs/labels-overview#requirements
   */
  public static gcpLabelKey(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.GCP_LABEL_KEY,
      (v) => /^\p{Ll}[\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(v),
      (v) =>
        `'${prop}' key ${describeValue(v)} is not a Google Cloud label key: 1-63 lower-case letters, digits, '_' or '-', ` +
        `starting with a lower-case letter, for example 'cost-center'.`,
    );
  }

  /**
   * A Google Cloud label value: 0-63 lower-case letters, digits, `_` or `-`.
   * @see https://cloud.google.com/resource-manager/docs/labels-overview#requirements
   */
  public static gcpLabelValue(scope: IConstruct | undefined, prop: string, value: unknown): string {
    if (typeof value !== 'string') {
      fail(
        scope,
        VALIDATION_CODES.TYPE,
        `'${prop}' must be a string, got ${typeName(value)} (${describeValue(value)}).`,
      );
    }
    if (skip(value)) return value;
    if (!/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(value)) {
      fail(
        scope,
        VALIDATION_CODES.GCP_LABEL_VALUE,
        `'${prop}' (${describeValue(value)}) is not a Google Cloud label value: at most 63 lower-case letters, digits, '_' or '-', ` +
          `for example 'ml-platform'.`,
      );
    }
    return value;
  }

  /** Every key and value of a Google Cloud label map, and at most 64 labels. */
  public static gcpLabels(
    scope: IConstruct | undefined,
    prop: string,
    labels: unknown,
  ): Record<string, string> {
    const map = Validate.stringMap(scope, prop, labels);
    if (skip(map)) return map;
    const entries = Object.entries(map);
    if (entries.length > 64) {
      fail(
        scope,
        VALIDATION_CODES.GCP_LABEL_KEY,
        `'${prop}' has ${entries.length} labels; Google Cloud allows at most 64 per resource.`,
      );
    }
    for (const [k, v] of entries) {
      Validate.gcpLabelKey(scope, prop, k);
      Validate.gcpLabelValue(scope, `${prop}['${k}']`, v);
    }
    return map;
  }

  // ------------------------------------------------------------------ Other shapes

  /**
   * An e-mail address, by the WHATWG HTML rule for a valid e-mail address (what AWS Budgets, SNS
   * and Cloud Monitoring accept in practice): a local part of letters, digits and
   * ``.!#$%&'*+/=?^_`{|}~-``, `@`, and a domain of at least two dot-separated labels; at most 254
   * characters.
   * @see https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address
   */
  public static email(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.EMAIL,
      isEmailAddress,
      (v) =>
        `'${prop}' (${describeValue(v)}) is not an e-mail address: '<name>@<domain>.<tld>' with no spaces, no quotes and a ` +
        `domain of at least two parts, for example 'ml-oncall@example.com'.`,
    );
  }

  /**
   * An absolute URL with one of `schemes` (default `https`) and a host, no whitespace, no
   * credentials in it.
   */
  public static url(
    scope: IConstruct | undefined,
    prop: string,
    value: unknown,
    options: UrlOptions = {},
  ): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const schemes = options.schemes ?? ['https'];
    let parsed: URL | undefined;
    try {
      parsed = new URL(v);
    } catch {
      parsed = undefined;
    }
    const allowed = schemes.map((s) => `${s}://`).join(' or ');
    if (
      !parsed ||
      /\s/.test(v) ||
      !schemes.includes(parsed.protocol.replace(/:$/, '')) ||
      !parsed.hostname ||
      !v.toLowerCase().startsWith(`${parsed.protocol}//`)
    ) {
      fail(
        scope,
        VALIDATION_CODES.URL,
        `'${prop}' (${describeValue(v)}) is not a ${allowed} URL with a host, for example '${schemes[0]}://example.com/path'.`,
      );
    }
    if (parsed.username || parsed.password) {
      fail(
        scope,
        VALIDATION_CODES.URL,
        `'${prop}' (${describeValue(v.replace(/\/\/[^@]*@/, '//***@'))}) carries credentials: they would be written in plain ` +
          `text into the Terraform state. Pass them through a secret instead.`,
      );
    }
    return v;
  }

  /**
   * A container image reference by the OCI distribution grammar (distribution/reference):
   * `[registry[:port]/]path[:tag][@digest]`, path components in lower case, name at most 255
   * characters, tag at most 128.
   */
  public static imageReference(scope: IConstruct | undefined, prop: string, value: unknown): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const m = OCI_REFERENCE.exec(v);
    if (!m || m[1].length > 255) {
      fail(
        scope,
        VALIDATION_CODES.IMAGE_REFERENCE,
        `'${prop}' (${describeValue(v)}) is not a container image reference: '[registry/]repository[:tag][@sha256:digest]' ` +
          `with a lower-case repository, for example 'vllm/vllm-openai:v0.11.0' or 'nvcr.io/nvidia/tritonserver:25.01-trtllm-python-py3'.`,
      );
    }
    return v;
  }

  /**
   * A PromQL label matcher: `name op "value"` with op `=`, `!=`, `=~`, `!~`, the value a PromQL
   * string literal (double, single or back-tick quoted, with Go escapes), and for the regex ops a
   * value that compiles as a regular expression. Grammar: prometheus/prometheus
   * `promql/parser/generated_parser.y` (`label_matcher`) and `lex.go` (strings).
   */
  public static promqlMatcher(scope: IConstruct | undefined, prop: string, value: unknown): string {
    Validate.string(scope, prop, value);
    const v = value as string;
    if (skip(v)) return v;
    const parsed = parseMatcher(v);
    if (!parsed.ok) {
      fail(
        scope,
        VALIDATION_CODES.PROMQL_MATCHER,
        `'${prop}' (${describeValue(v)}) is not a PromQL label matcher (${parsed.why}): write name, an operator = != =~ !~ and a ` +
          `quoted value, for example 'namespace="llm"' or 'pod=~"vllm-.*"'.`,
      );
    }
    return v;
  }

  /**
   * A PromQL instant-vector selector: `metric`, `metric{matchers}` or `{matchers}` (with at
   * least one matcher), matchers separated by commas (a trailing comma is allowed, empty
   * elements are not).
   */
  public static promqlSelector(scope: IConstruct | undefined, prop: string, value: unknown): string {
    Validate.string(scope, prop, value);
    const v = (value as string).trim();
    if (skip(v)) return value as string;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(.*)\})?$/s.exec(v);
    let why: string | undefined;
    if (!m || (!m[1] && m[2] === undefined)) {
      why = 'expected metric{matchers}';
    } else if (m[2] !== undefined) {
      const items = splitMatchers(m[2]);
      if (items === undefined) {
        why = 'unbalanced quotes';
      } else {
        const trimmed = items.map((s) => s.trim());
        if (trimmed.length && trimmed[trimmed.length - 1] === '') trimmed.pop();
        if (trimmed.some((s) => s === '')) why = 'an empty matcher between commas';
        else if (!m[1] && trimmed.length === 0) why = 'a selector needs a metric name or a matcher';
        else {
          for (const t of trimmed) {
            const r = parseMatcher(t);
            if (!r.ok) {
              why = `${describeValue(t)}: ${r.why}`;
              break;
            }
          }
        }
      }
    }
    if (why) {
      fail(
        scope,
        VALIDATION_CODES.PROMQL_SELECTOR,
        `'${prop}' (${describeValue(value)}) is not a PromQL selector (${why}): write metric{name="value", ...}, for example ` +
          `'vllm:num_requests_waiting{namespace="llm"}'.`,
      );
    }
    return value as string;
  }

  /** A Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`, which is reserved). */
  public static promLabelName(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.PROMQL_MATCHER,
      (v) => !(!PROM_LABEL_NAME.test(v) || v.startsWith('__')),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not a Prometheus label name: letters, digits and '_', not starting with a digit ` +
        `or '__', for example 'team'.`,
    );
  }

  /** A Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
  public static promMetricName(scope: IConstruct | undefined, prop: string, value: unknown): string {
    return checkString(
      scope,
      prop,
      value,
      VALIDATION_CODES.PROMQL_SELECTOR,
      (v) => PROM_METRIC_NAME.test(v),
      (v) =>
        `'${prop}' (${describeValue(v)}) is not a Prometheus metric name: letters, digits, '_' and ':', not starting with a digit, ` +
        `for example 'vllm:num_requests_waiting'.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------

function describeTol(t: TolerationLike): string {
  return `key ${describeValue(t.key ?? '')}, operator ${describeValue(t.operator ?? 'Equal')}, value ${describeValue(t.value ?? '')}, effect ${describeValue(t.effect ?? '')}`;
}

/** A number as a plain decimal (no exponent, no `Infinity`), or undefined when it has none. */
function plainDecimal(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Math.abs(n) >= 1e21 || (Math.abs(n) < 1e-6 && n !== 0)) return undefined;
  return n.toFixed(0);
}

/** Splits the inside of `{...}` on commas outside string literals; undefined on an open quote. */
function splitMatchers(body: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      cur += c;
      if (c === '\\' && quote !== '`' && i + 1 < body.length) {
        cur += body[++i];
      } else if (c === quote) {
        quote = undefined;
      }
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      cur += c;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  if (quote) return undefined;
  out.push(cur);
  return out;
}

/** Go string-literal escapes PromQL's lexer accepts (`lex.go` `lexEscape`). */
const PROM_ESCAPE = /\\(?:[abfnrtv\\'"]|[0-7]{3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g;

function parseMatcher(text: string): { ok: boolean; why?: string } {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(".*"|'.*'|`.*`)\s*$/s.exec(text);
  if (!m) return { ok: false, why: 'expected name, operator and a quoted value' };
  const [, , op, lit] = m;
  const q = lit[0];
  const inner = lit.slice(1, -1);
  let raw: string;
  if (q === '`') {
    if (inner.includes('`')) return { ok: false, why: 'a back-tick inside a back-tick string' };
    raw = inner;
  } else {
    const rest = inner.replace(PROM_ESCAPE, '');
    if (rest.includes('\\')) return { ok: false, why: 'an unknown escape sequence' };
    if (rest.includes(q)) return { ok: false, why: `an unescaped ${q} inside the value` };
    if (/[\n\r]/.test(inner)) return { ok: false, why: 'a line break inside the value' };
    raw = inner.replace(PROM_ESCAPE, (e) => (e[1] === '\\' || e[1] === '"' || e[1] === "'" ? e[1] : 'x'));
  }
  if (op === '=~' || op === '!~') {
    // RE2 (Go regexp) syntax: no look-around, no back-references; leading flag groups such as
    // (?i) are RE2 and not JavaScript, so they are stripped before the compile check.
    if (/\(\?<?[=!]|\\[1-9]/.test(raw)) {
      return { ok: false, why: 'look-around and back-references are not RE2 syntax' };
    }
    const body = raw.replace(/^\(\?[imsU]+\)/, '');
    try {
      new RegExp(`^(?:${body})$`);
    } catch {
      return { ok: false, why: 'the regular expression does not compile' };
    }
  }
  return { ok: true };
}
