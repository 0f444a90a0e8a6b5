import { Aspects, IAspect, TerraformResource, TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { Validate } from './validation';

const GCP_LABEL_MAX = 63;

/**
 * Normalises a string into a Google Cloud label key: lower case, only `a-z 0-9 _ -`, starting
 * with a letter, at most 63 characters (reference/gcp.md §13). Idempotent.
 */
export function normalizeGcpLabelKey(key: string): string {
  let k = key.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  if (!/^[a-z]/.test(k)) {
    k = `l${k}`;
  }
  return k.slice(0, GCP_LABEL_MAX);
}

/** Normalises a Google Cloud label value: lower case, `a-z 0-9 _ -`, at most 63 characters. Idempotent. */
export function normalizeGcpLabelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, GCP_LABEL_MAX);
}

/**
 * Normalises a map into Google Cloud labels. Two keys that normalise to the same label are an
 * error rather than a silent overwrite.
 * @throws ValidationError when two keys collide or there are more than 64 labels
 */
export function normalizeGcpLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const nk = normalizeGcpLabelKey(k);
    if (nk in out && from[nk] !== k) {
      throw new ValidationError(
        `Labels '${from[nk]}' and '${k}' both become the Google Cloud label '${nk}' (lower case, a-z 0-9 _ -, max 63 characters): rename one.`,
      );
    }
    out[nk] = normalizeGcpLabelValue(v);
    from[nk] = k;
  }
  if (Object.keys(out).length > 64) {
    throw new ValidationError(
      `Google Cloud allows at most 64 labels per resource; got ${Object.keys(out).length}.`,
    );
  }
  return out;
}

/**
 * Normalises a Kubernetes label value: at most 63 characters of `A-Z a-z 0-9 . _ -`, starting
 * and ending with an alphanumeric character (empty stays empty). Idempotent.
 */
export function normalizeKubernetesLabelValue(value: string): string {
  let v = value.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  v = v.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  return v;
}

/**
 * Validates a Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name of at
 * most 63 characters.
 */
export function isValidKubernetesLabelKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) {
    return false;
  }
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const nameOk = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(name);
  const prefixOk =
    prefix === undefined ||
    (prefix.length <= 253 &&
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(prefix));
  return nameOk && prefixOk;
}

/** Normalises a map into Kubernetes labels (keys are validated, values normalised). */
export function normalizeKubernetesLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const key = isValidKubernetesLabelKey(k) ? k : normalizeGcpLabelKey(k);
    out[key] = normalizeKubernetesLabelValue(v);
  }
  return out;
}

const TAGS = new WeakMap<TerraformStack, Tags>();

/** The tag budgets and cost reports filter on. */
export interface CostAllocationTag {
  /** Tag key. */
  readonly key: string;
  /** Tag value. */
  readonly value: string;
}

/**
 * Google resources whose `labels` attribute is configuration (a notification channel's
 * `email_address`, ...) rather than resource labels; their resource labels are `user_labels`.
 */
const GOOGLE_USER_LABELS = new Set([
  'google_monitoring_notification_channel',
  'google_monitoring_alert_policy',
  'google_monitoring_uptime_check_config',
]);

/**
 * AWS tag characters (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html):
 * letters, digits, spaces and _ . : / = + - @.
 */
const AWS_TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/**
 * The ASCII part of {@link AWS_TAG_CHARS}, tested first: it decides the usual ASCII tag without
 * compiling the Unicode property classes (a few tenths of a millisecond per pattern and process).
 */
const AWS_TAG_ASCII_CHARS = /^[A-Za-z0-9 _.:/=+\-@]*$/;

/** Whether `s` has only characters AWS tags allow. */
function awsTagChars(s: string): boolean {
  return AWS_TAG_ASCII_CHARS.test(s) || AWS_TAG_CHARS.test(s);
}

/** EC2 resource types a launch template tags at launch. */
const LAUNCH_TEMPLATE_TAGGED = ['instance', 'volume', 'network-interface'];

/**
 * One tagging and labelling facade per stack. Tags added here reach:
 * - every AWS resource with `tags`, and the instances, volumes and network interfaces launched
 *   from a launch template (through its tag specifications: EKS managed node groups do not
 *   propagate their own tags to instances);
 * - every Google Cloud resource with `labels`, GKE clusters' `resource_labels` and node pools'
 *   `node_config.resource_labels`, normalised to Google's label rules;
 * - every Kubernetes object's `metadata.labels` (values normalised).
 *
 * Explicit tags on a resource win over stack tags. The facade is an Aspect added to the stack
 * (cdktf 0.21 does not apply App-level aspects to resources inside stacks).
 *
 * @example
 * Tags.of(stack).add('team', 'ml-platform');
 * Tags.of(stack).setCostAllocationTag('project', 'llm-serving');
 */
export class Tags {
  /** The tags of the stack containing `scope`. */
  public static of(scope: IConstruct): Tags {
    const stack = TerraformStack.of(scope);
    let t = TAGS.get(stack);
    if (!t) {
      t = new Tags();
      TAGS.set(stack, t);
      Aspects.of(stack).add(new TagAspect(t));
    }
    return t;
  }

  private readonly _tags: Record<string, string> = {};
  private _costKey?: string;

  private constructor() {}

  /** Adds (or replaces) a tag. */
  public add(key: string, value: string): void {
    Validate.string(undefined, 'Tags.add key', key);
    Validate.string(undefined, `Tags.add value of '${key}'`, value, { allowEmpty: true });
    // Keys must not start with aws: either.
    if (!Token.isUnresolved(key) && (!awsTagChars(key) || /^aws:/i.test(key))) {
      throw new ValidationError(
        `Tag key '${key}' has characters AWS tags do not allow (letters, digits, spaces and _ . : / = + - @; not starting with 'aws:').`,
        undefined,
        'string',
      );
    }
    if (!Token.isUnresolved(value) && !awsTagChars(value)) {
      throw new ValidationError(
        `Tag value '${value}' of '${key}' has characters AWS tags do not allow (letters, digits, spaces and _ . : / = + - @).`,
        undefined,
        'string',
      );
    }
    if (!key || key.length > 128 || value.length > 256) {
      throw new ValidationError(
        `Tag '${key}' = '${value}': keys must be 1-128 and values at most 256 characters (AWS tag limits).`,
      );
    }
    this._tags[key] = value;
  }

  /**
   * Adds the tag that cost reports and budgets filter on. Budget alarms in this stack filter
   * on it (AWS `TagKeyValue`, GCP label filter).
   */
  public setCostAllocationTag(key: string, value: string): void {
    this.add(key, value);
    this._costKey = key;
  }

  /** The cost-allocation tag, if one was set. */
  public get costAllocationTag(): CostAllocationTag | undefined {
    return this._costKey ? { key: this._costKey, value: this._tags[this._costKey] } : undefined;
  }

  /** The tags as AWS tags. */
  public get awsTags(): Record<string, string> {
    return { ...this._tags };
  }

  /** The tags as Google Cloud labels. */
  public get gcpLabels(): Record<string, string> {
    return normalizeGcpLabels(this._tags);
  }

  /** The tags as Kubernetes labels. */
  public get kubernetesLabels(): Record<string, string> {
    return normalizeKubernetesLabels(this._tags);
  }

  /** Whether any tag was added. */
  public get isEmpty(): boolean {
    return Object.keys(this._tags).length === 0;
  }
}

interface Taggable {
  tagsInput?: unknown;
  tags: Record<string, string>;
}
interface Labellable {
  labelsInput?: unknown;
  labels: Record<string, string>;
}
interface LaunchTemplateLike {
  tagSpecificationsInput?: unknown;
  putTagSpecifications(v: Array<{ resourceType?: string; tags?: Record<string, string> }>): void;
}

function plainMap(v: unknown): Record<string, string> | undefined {
  if (v === undefined) {
    return {};
  }
  if (Token.isUnresolved(v) || typeof v !== 'object' || v === null || Array.isArray(v)) {
    return undefined;
  }
  return v as Record<string, string>;
}

class TagAspect implements IAspect {
  constructor(private readonly tags: Tags) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || this.tags.isEmpty) {
      return;
    }
    const type = node.terraformResourceType;
    if (type.startsWith('aws_')) {
      this.tagAws(node);
    } else if (type.startsWith('google_')) {
      this.labelGoogle(node, type);
    } else if (type.startsWith('kubernetes_')) {
      this.labelKubernetes(node, type);
    }
  }

  private tagAws(node: TerraformResource): void {
    const defaults = this.tags.awsTags;
    if ('tagsInput' in node) {
      const t = node as unknown as Taggable;
      const existing = plainMap(t.tagsInput);
      if (existing) {
        t.tags = { ...defaults, ...existing };
      }
    }
    if (node.terraformResourceType === 'aws_launch_template' && 'tagSpecificationsInput' in node) {
      const lt = node as unknown as LaunchTemplateLike;
      const current = lt.tagSpecificationsInput;
      if (current !== undefined && (Token.isUnresolved(current) || !Array.isArray(current))) {
        return;
      }
      const specs = [...((current as Array<{ resourceType?: string; tags?: Record<string, string> }>) ?? [])];
      for (const rt of LAUNCH_TEMPLATE_TAGGED) {
        const i = specs.findIndex((s) => s.resourceType === rt);
        if (i >= 0) {
          specs[i] = { ...specs[i], tags: { ...defaults, ...(specs[i].tags ?? {}) } };
        } else {
          specs.push({ resourceType: rt, tags: { ...defaults } });
        }
      }
      lt.putTagSpecifications(specs);
    }
  }

  private labelGoogle(node: TerraformResource, type: string): void {
    const defaults = this.tags.gcpLabels;
    if (type === 'google_container_cluster') {
      node.addOverride('resource_labels', {
        ...defaults,
        ...(plainMap((node as unknown as { resourceLabelsInput?: unknown }).resourceLabelsInput) ?? {}),
      });
      return;
    }
    if (GOOGLE_USER_LABELS.has(type)) {
      const u = node as unknown as { userLabelsInput?: unknown; userLabels: Record<string, string> };
      const existing = plainMap(u.userLabelsInput);
      if (existing) {
        u.userLabels = { ...defaults, ...existing };
      }
      return;
    }
    if (type === 'google_container_node_pool') {
      const nc = (node as unknown as { nodeConfigInput?: { resourceLabels?: unknown } }).nodeConfigInput;
      node.addOverride('node_config.resource_labels', {
        ...defaults,
        ...(plainMap(nc?.resourceLabels) ?? {}),
      });
      return;
    }
    if ('labelsInput' in node) {
      const l = node as unknown as Labellable;
      const existing = plainMap(l.labelsInput);
      if (existing) {
        l.labels = { ...defaults, ...existing };
      }
    }
  }

  private labelKubernetes(node: TerraformResource, type: string): void {
    const defaults = this.tags.kubernetesLabels;
    if (type === 'kubernetes_manifest') {
      const m = (node as unknown as { manifestInput?: { metadata?: { labels?: unknown } } }).manifestInput;
      node.addOverride('manifest.metadata.labels', { ...defaults, ...(plainMap(m?.metadata?.labels) ?? {}) });
    } else if ('metadataInput' in node) {
      const m = (node as unknown as { metadataInput?: { labels?: unknown } }).metadataInput;
      node.addOverride('metadata.labels', { ...defaults, ...(plainMap(m?.labels) ?? {}) });
    }
  }
}
