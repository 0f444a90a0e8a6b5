import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrPullThroughCacheRule } from '@cdktf/provider-aws/lib/ecr-pull-through-cache-rule';
import { EcrRegistryScanningConfiguration } from '@cdktf/provider-aws/lib/ecr-registry-scanning-configuration';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct, IConstruct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../core';
import { PolicyStatement, RoleGrants } from './private/grants';
import { awsPartition } from './private/partition';
import { bucketGrantStatements, oldVersionsRule, SecureBucket } from './private/secure-bucket';
import { IAwsRole, IContainerRegistry } from './interfaces';
import { addKmsKeyCost } from './private/service-prices';

/** An upstream registry ECR can cache through a pull-through cache rule. */
export class PullThroughCache {
  /** Amazon ECR Public (`public.ecr.aws`), no credentials. */
  public static ecrPublic(prefix = 'ecr-public'): PullThroughCache {
    return new PullThroughCache('public.ecr.aws', prefix);
  }

  /** The Kubernetes registry (`registry.k8s.io`), no credentials. */
  public static kubernetes(prefix = 'k8s'): PullThroughCache {
    return new PullThroughCache('registry.k8s.io', prefix);
  }

  /** Quay (`quay.io`), no credentials. */
  public static quay(prefix = 'quay'): PullThroughCache {
    return new PullThroughCache('quay.io', prefix);
  }

  /**
   * Docker Hub (`registry-1.docker.io`): needs a Secrets Manager secret whose name starts with
   * `ecr-pullthroughcache/` holding `username` and `accessToken`.
   */
  public static dockerHub(credentialSecretArn: string, prefix = 'docker-hub'): PullThroughCache {
    return new PullThroughCache('registry-1.docker.io', prefix, credentialSecretArn);
  }

  /** GitHub Container Registry (`ghcr.io`): needs a credential secret as for Docker Hub. */
  public static githubContainerRegistry(credentialSecretArn: string, prefix = 'github'): PullThroughCache {
    return new PullThroughCache('ghcr.io', prefix, credentialSecretArn);
  }

  private constructor(
    /** Upstream registry host. */
    public readonly upstreamRegistryUrl: string,
    /** ECR repository prefix images are cached under (`<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/...`). */
    public readonly prefix: string,
    /** Secrets Manager ARN of the upstream credentials. */
    public readonly credentialArn?: string,
  ) {}

  /** @internal */
  public _validate(scope: IConstruct): void {
    Validate.string(scope, 'pull-through cache prefix', this.prefix);
    if (this.credentialArn !== undefined) {
      Validate.arn(scope, `pull-through cache credentialSecretArn`, this.credentialArn, {
        service: 'secretsmanager',
        resourcePrefix: 'secret:ecr-pullthroughcache/',
      });
    }
    if (
      !/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(this.prefix) ||
      this.prefix.length < 2 ||
      this.prefix.length > 30 ||
      this.prefix === 'ecr'
    ) {
      throw new ValidationError(
        `pull-through cache prefix '${this.prefix}' must be 2-30 lower-case letters, digits, '.', '_' or '-' and not 'ecr'.`,
        scope,
      );
    }
    if (
      this.credentialArn !== undefined &&
      !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:ecr-pullthroughcache\/.+/.test(
        this.credentialArn,
      )
    ) {
      throw new ValidationError(
        `the credentials of the ${this.upstreamRegistryUrl} pull-through cache ('${this.credentialArn}') must be a Secrets Manager secret ARN whose name starts with 'ecr-pullthroughcache/'.`,
        scope,
      );
    }
  }
}

/** An ECR lifecycle policy rule (the JSON shape ECR expects). */
export interface EcrLifecycleRule {
  /** Unique priority; lower runs first. A `tagStatus: 'any'` rule must have the highest. */
  readonly rulePriority: number;
  /** Description. */
  readonly description: string;
  /** `tagged`, `untagged` or `any`. */
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  /**
   * Tag patterns (`*` wildcards, at most 4 each) for `tagged` rules.
   * @default - none; required for `tagged` unless tagPrefixList is set
   */
  readonly tagPatternList?: string[];
  /**
   * Tag prefixes for `tagged` rules.
   * @default - none
   */
  readonly tagPrefixList?: string[];
  /** `imageCountMoreThan` (keep N) or `sinceImagePushed` (older than N days). */
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  /** N. */
  readonly countNumber: number;
}

/** The lifecycle rules a repository gets by default: untagged after 14 days, then keep the newest 200. */
export const DEFAULT_ECR_LIFECYCLE_RULES: readonly EcrLifecycleRule[] = [
  {
    rulePriority: 1,
    description: 'Expire untagged images after 14 days',
    tagStatus: 'untagged',
    countType: 'sinceImagePushed',
    countNumber: 14,
  },
  {
    rulePriority: 100,
    description: 'Keep the newest 200 images',
    tagStatus: 'any',
    countType: 'imageCountMoreThan',
    countNumber: 200,
  },
];

/**
 * Renders ECR lifecycle rules as the policy JSON, enforcing ECR's rules: unique priorities,
 * the `any` rule last (highest priority), `tagged` needs a tag list, `untagged` and `any`
 * forbid one, at most 4 wildcards per pattern, positive counts.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 * @throws ValidationError naming the offending rule
 */
export function renderEcrLifecyclePolicy(rules: readonly EcrLifecycleRule[]): string {
  if (rules.length === 0) {
    throw new ValidationError(
      `'lifecycleRules' is empty: give at least one rule, or omit it for the defaults.`,
    );
  }
  Validate.array(undefined, 'lifecycleRules', rules);
  rules.forEach((r, i) => {
    Validate.object(undefined, `lifecycleRules[${i}]`, r);
    Validate.integer(undefined, `lifecycleRules[${i}].rulePriority`, r.rulePriority, { min: 1 });
    Validate.integer(undefined, `lifecycleRules[${i}].countNumber`, r.countNumber, { min: 1 });
    Validate.string(undefined, `lifecycleRules[${i}].description`, r.description, {
      allowEmpty: true,
      maxLength: 256,
    });
    Validate.oneOf(undefined, `lifecycleRules[${i}].tagStatus`, r.tagStatus, ['tagged', 'untagged', 'any']);
    Validate.oneOf(undefined, `lifecycleRules[${i}].countType`, r.countType, [
      'imageCountMoreThan',
      'sinceImagePushed',
    ]);
    for (const k of ['tagPatternList', 'tagPrefixList'] as const) {
      if (r[k] !== undefined) {
        Validate.array<string>(undefined, `lifecycleRules[${i}].${k}`, r[k]).forEach((t, j) =>
          Validate.string(undefined, `lifecycleRules[${i}].${k}[${j}]`, t),
        );
      }
    }
  });
  const priorities = new Set<number>();
  const maxPriority = Math.max(...rules.map((r) => r.rulePriority));
  for (const r of rules) {
    const where = `lifecycle rule ${r.rulePriority} ('${r.description}')`;
    if (!Number.isInteger(r.rulePriority) || r.rulePriority < 1 || priorities.has(r.rulePriority)) {
      throw new ValidationError(`${where}: 'rulePriority' must be a unique positive integer.`);
    }
    priorities.add(r.rulePriority);
    const lists = [...(r.tagPatternList ?? []), ...(r.tagPrefixList ?? [])];
    if (r.tagStatus === 'tagged' && lists.length === 0) {
      throw new ValidationError(`${where}: a 'tagged' rule needs 'tagPatternList' or 'tagPrefixList'.`);
    }
    if (r.tagPatternList && r.tagPrefixList) {
      throw new ValidationError(`${where}: use 'tagPatternList' or 'tagPrefixList', not both.`);
    }
    if (r.tagStatus !== 'tagged' && lists.length > 0) {
      throw new ValidationError(
        `${where}: a '${r.tagStatus}' rule must not have 'tagPatternList' or 'tagPrefixList'.`,
      );
    }
    for (const p of r.tagPatternList ?? []) {
      if ((p.match(/\*/g) ?? []).length > 4) {
        throw new ValidationError(`${where}: tag pattern '${p}' has more than 4 wildcards.`);
      }
    }
    if (r.tagStatus === 'any' && r.rulePriority !== maxPriority) {
      throw new ValidationError(
        `${where}: a 'tagStatus: any' rule must have the highest 'rulePriority' (${maxPriority} is higher): ECR evaluates it last.`,
      );
    }
    if (!Number.isInteger(r.countNumber) || r.countNumber < 1) {
      throw new ValidationError(`${where}: 'countNumber' (${r.countNumber}) must be a positive integer.`);
    }
  }
  return JSON.stringify({
    rules: [...rules]
      .sort((a, b) => a.rulePriority - b.rulePriority)
      .map((r) => ({
        rulePriority: r.rulePriority,
        description: r.description,
        selection: {
          tagStatus: r.tagStatus,
          ...(r.tagPatternList ? { tagPatternList: r.tagPatternList } : {}),
          ...(r.tagPrefixList ? { tagPrefixList: r.tagPrefixList } : {}),
          countType: r.countType,
          ...(r.countType === 'sinceImagePushed' ? { countUnit: 'days' } : {}),
          countNumber: r.countNumber,
        },
        action: { type: 'expire' },
      })),
  });
}

/** How images are scanned for vulnerabilities. */
export enum ImageScanning {
  /** Basic scanning on push, per repository. */
  BASIC_ON_PUSH = 'BASIC_ON_PUSH',
  /**
   * Amazon Inspector enhanced scanning, on push and continuously. Registry-wide: one
   * configuration per account and region, so only one stack may set it.
   */
  ENHANCED = 'ENHANCED',
}

/** Properties of a {@link Registry}. */
export interface RegistryProps {
  /** Repository names to create, for example `['training', 'vllm-serving']`. */
  readonly repositories: string[];
  /**
   * Tags that may be overwritten (wildcards allowed, for example `['latest', 'dev-*']`); all
   * other tags are immutable.
   * @default - every tag immutable
   */
  readonly mutableTagFilters?: string[];
  /**
   * Vulnerability scanning.
   * @default ImageScanning.BASIC_ON_PUSH
   */
  readonly scanning?: ImageScanning;
  /**
   * Lifecycle rules of every repository.
   * @default DEFAULT_ECR_LIFECYCLE_RULES
   */
  readonly lifecycleRules?: EcrLifecycleRule[];
  /**
   * Upstream registries to cache in ECR (images then come through the ECR VPC endpoints).
   * NVIDIA NGC (`nvcr.io`) is not an ECR pull-through upstream: mirror NGC images into a repository.
   * @default - none
   */
  readonly pullThroughCaches?: PullThroughCache[];
  /**
   * Create a versioned, protected, KMS-encrypted bucket for model artifacts (weights).
   * @default true
   */
  readonly modelBucket?: boolean;
  /**
   * Model bucket name.
   * @default - a unique name Terraform generates from the prefix `models-`
   */
  readonly modelBucketName?: string;
  /**
   * Keep `terraform destroy` from deleting repositories and the model bucket.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/** Attributes of ECR repositories and a model bucket the app does not own, for {@link Registry.fromRegistryAttributes}. */
export interface RegistryAttributes {
  /**
   * ARNs of the ECR repositories to pull from (`arn:<partition>:ecr:<region>:<account>:repository/<name>`).
   * @default - none
   */
  readonly repositoryArns?: string[];
  /**
   * ARN of the KMS key the repositories are encrypted with, when it is a customer managed key.
   * @default - no key statement (AES256 or an AWS managed key)
   */
  readonly kmsKeyArn?: string;
  /**
   * Name of the model-artifact S3 bucket.
   * @default - no model bucket; grantReadModels / grantWriteModels throw
   */
  readonly modelBucketName?: string;
  /**
   * ARN of the KMS key of the model bucket (SSE-KMS).
   * @default - no key statement
   */
  readonly modelBucketKmsKeyArn?: string;
}

/** ECR repositories and a model bucket the app does not own. */
class ImportedRegistry extends Construct implements IContainerRegistry {
  private readonly grants = new RoleGrants(this);
  private readonly repositoryArns: string[];
  private readonly keyArn?: string;
  private readonly modelBucketArn?: string;
  private readonly modelKeyArn?: string;

  constructor(scope: Construct, id: string, attrs: RegistryAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    this.repositoryArns = Validate.array<string>(this, 'repositoryArns', attrs.repositoryArns ?? []);
    this.repositoryArns.forEach((a, i) =>
      Validate.arn(this, `repositoryArns[${i}]`, a, { service: 'ecr', resourcePrefix: 'repository/' }),
    );
    Validate.unique(this, 'repositoryArns', this.repositoryArns);
    if (attrs.kmsKeyArn !== undefined)
      this.keyArn = Validate.arn(this, 'kmsKeyArn', attrs.kmsKeyArn, {
        service: 'kms',
        resourcePrefix: 'key/',
      });
    if (attrs.modelBucketKmsKeyArn !== undefined)
      this.modelKeyArn = Validate.arn(this, 'modelBucketKmsKeyArn', attrs.modelBucketKmsKeyArn, {
        service: 'kms',
        resourcePrefix: 'key/',
      });
    if (attrs.modelBucketName !== undefined) {
      Validate.s3BucketName(this, 'modelBucketName', attrs.modelBucketName);
      this.modelBucketArn = `arn:${awsPartition(this)}:s3:::${attrs.modelBucketName}`;
    } else if (attrs.modelBucketKmsKeyArn !== undefined) {
      throw new ValidationError(
        `'modelBucketKmsKeyArn' is set without 'modelBucketName': name the bucket or drop the key.`,
        this,
      );
    }
    if (this.repositoryArns.length === 0 && attrs.modelBucketName === undefined) {
      throw new ValidationError(
        `give 'repositoryArns' or 'modelBucketName': an empty registry grants nothing.`,
        this,
      );
    }
  }

  public grantPull(role: IAwsRole): IamRolePolicy {
    if (this.repositoryArns.length === 0) {
      throw new ValidationError(`grantPull: this registry has no 'repositoryArns'.`, this);
    }
    return this.grants.add('grantPull', role, [
      { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      ...(this.keyArn !== undefined
        ? [{ Effect: 'Allow' as const, Action: ['kms:Decrypt'], Resource: [this.keyArn] }]
        : []),
      {
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: this.repositoryArns,
      },
    ]);
  }

  public grantReadModels(role: IAwsRole): IamRolePolicy {
    return this.grants.add(
      'grantReadModels',
      role,
      bucketGrantStatements(this.requireModels('grantReadModels'), this.modelKeyArn, false),
    );
  }

  public grantWriteModels(role: IAwsRole): IamRolePolicy {
    return this.grants.add(
      'grantWriteModels',
      role,
      bucketGrantStatements(this.requireModels('grantWriteModels'), this.modelKeyArn, true),
    );
  }

  private requireModels(method: string): string {
    if (this.modelBucketArn === undefined) {
      throw new ValidationError(
        `${method}: this registry has no model bucket ('modelBucketName' is not set).`,
        this,
      );
    }
    return this.modelBucketArn;
  }
}

/**
 * Container and model registry: ECR repositories (immutable tags, scan on push or registry-wide
 * enhanced scanning, KMS, lifecycle rules checked against ECR's ordering rules), pull-through
 * cache rules for the public registries serving images come from, and a versioned, protected
 * model-artifact bucket.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 * @example
 * const registry = new Registry(stack, 'Registry', {
 *   repositories: ['vllm-serving'],
 *   pullThroughCaches: [PullThroughCache.ecrPublic(), PullThroughCache.kubernetes()],
 * });
 * registry.grantPull(cluster.nodeRole);
 */
export class Registry extends Construct implements IContainerRegistry {
  /**
   * ECR repositories and a model bucket the app does not own, for pull and model grants with
   * ARNs in the provider's partition. Nothing is created for them.
   * @example
   * Registry.fromRegistryAttributes(stack, 'Images', {
   *   repositoryArns: ['arn:aws:ecr:us-east-1:111122223333:repository/vllm-serving'], modelBucketName: 'acme-models',
   * }).grantPull(cluster.nodeRole);
   */
  public static fromRegistryAttributes(
    scope: Construct,
    id: string,
    attrs: RegistryAttributes,
  ): IContainerRegistry {
    return new ImportedRegistry(scope, id, attrs);
  }

  /** Repositories by name. */
  public readonly repositories: Record<string, EcrRepository> = {};
  /** The key encrypting the repositories. */
  public readonly key: KmsKey;
  /** The model-artifact bucket, when created. */
  public readonly modelBucket?: S3Bucket;
  /** Pull-through cache rules. */
  public readonly pullThroughCacheRules: EcrPullThroughCacheRule[] = [];
  private readonly models?: SecureBucket;
  private readonly grants = new RoleGrants(this);
  /** `key.arn`, read once for every repository and grant (each attribute read creates a cdktf token). */
  private readonly keyArn: string;
  /** The ARNs grantPull grants on, read once for every grant (each attribute read creates a cdktf token). */
  private pullArns?: { readonly repositories: string[]; readonly caches: string[] };

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    if (props.repositories !== undefined) Validate.array(this, 'repositories', props.repositories);
    if (props.pullThroughCaches !== undefined)
      Validate.array(this, 'pullThroughCaches', props.pullThroughCaches);
    if (props.lifecycleRules !== undefined) Validate.array(this, 'lifecycleRules', props.lifecycleRules);
    for (const b of ['protectFromDestroy', 'modelBucket'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    const protect = props.protectFromDestroy ?? true;
    if (!props.repositories?.length && !props.pullThroughCaches?.length) {
      throw new ValidationError(
        `'repositories' is empty and no 'pullThroughCaches' are given: the registry would hold nothing.`,
        this,
      );
    }
    const policy = ValidationError.withScope(this, () =>
      renderEcrLifecyclePolicy(props.lifecycleRules ?? DEFAULT_ECR_LIFECYCLE_RULES),
    );
    this.key = new KmsKey(this, 'Key', {
      description: `ECR ${this.node.path}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // Images encrypted with the key are unreadable once it is deleted: protect it like the repositories.
      lifecycle: { preventDestroy: protect },
    });
    this.keyArn = this.key.arn;
    addKmsKeyCost(this.key, 'ECR images');
    const scanning = props.scanning ?? ImageScanning.BASIC_ON_PUSH;
    const filters = Validate.array<string>(this, 'mutableTagFilters', props.mutableTagFilters ?? []);
    for (const f of filters) {
      Validate.string(this, 'mutableTagFilters entry', f);
      if (!/^[A-Za-z0-9_.*-]{1,128}$/.test(f)) {
        throw new ValidationError(
          `'mutableTagFilters' entry '${f}' must be a tag with optional '*' wildcards.`,
          this,
        );
      }
    }
    const seen = new Set<string>();
    // 'a/b' and 'a_b' are both valid repository names but would share the construct id.
    Validate.unique(
      this,
      'repositories',
      props.repositories ?? [],
      (n) => String(n).replace(/\//g, '_'),
      "'/' becomes '_' in the construct id (Terraform address), so both would be one resource",
    );
    for (const name of props.repositories ?? []) {
      Validate.string(this, 'repositories entry', name);
      if (
        !/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(name) ||
        name.length < 2 ||
        name.length > 256 ||
        seen.has(name)
      ) {
        throw new ValidationError(
          `'repositories' entry '${name}' must be a unique ECR repository name: 2-256 lower-case letters, digits, '.', '_', '-' and '/' separators.`,
          this,
        );
      }
      seen.add(name);
      const repo = new EcrRepository(this, `Repository-${name.replace(/\//g, '_')}`, {
        name,
        imageTagMutability: filters.length ? 'IMMUTABLE_WITH_EXCLUSION' : 'IMMUTABLE',
        ...(filters.length
          ? {
              imageTagMutabilityExclusionFilter: filters.map((filter) => ({
                filter,
                filterType: 'WILDCARD',
              })),
            }
          : {}),
        imageScanningConfiguration: { scanOnPush: scanning === ImageScanning.BASIC_ON_PUSH },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: this.keyArn }],
        forceDelete: false,
        lifecycle: { preventDestroy: protect },
      });
      new EcrLifecyclePolicy(this, `Lifecycle-${name.replace(/\//g, '_')}`, {
        repository: repo.name,
        policy,
      });
      this.repositories[name] = repo;
    }
    if (scanning === ImageScanning.ENHANCED) {
      new EcrRegistryScanningConfiguration(this, 'Scanning', {
        scanType: 'ENHANCED',
        rule: [
          { scanFrequency: 'SCAN_ON_PUSH', repositoryFilter: [{ filter: '*', filterType: 'WILDCARD' }] },
          { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilter: [{ filter: '*', filterType: 'WILDCARD' }] },
        ],
      });
      Warnings.add(
        this,
        'aws-ecr-enhanced-scanning-registry-wide',
        'Enhanced scanning is a registry-wide setting (one per account and region) and is billed by Amazon Inspector per image scanned; define it in one stack only.',
      );
    }
    const prefixes = new Set<string>();
    for (const c of props.pullThroughCaches ?? []) {
      c._validate(this);
      if (prefixes.has(c.prefix)) {
        throw new ValidationError(
          `two pull-through caches use the prefix '${c.prefix}': give each upstream its own prefix.`,
          this,
        );
      }
      prefixes.add(c.prefix);
      this.pullThroughCacheRules.push(
        new EcrPullThroughCacheRule(this, `PullThroughCache-${c.prefix}`, {
          ecrRepositoryPrefix: c.prefix,
          upstreamRegistryUrl: c.upstreamRegistryUrl,
          ...(c.credentialArn ? { credentialArn: c.credentialArn } : {}),
        }),
      );
    }
    if (props.modelBucket ?? true) {
      this.models = new SecureBucket(this, 'ModelBucket', {
        bucketName: props.modelBucketName,
        bucketNameProp: 'modelBucketName',
        bucketPrefix: 'models-',
        protectFromDestroy: protect,
        keyDescription: `Model artifacts ${this.node.path}`,
        lifecycleRules: [oldVersionsRule(90)],
      });
      this.modelBucket = this.models.bucket;
    }
    this.node.defaultChild = Object.values(this.repositories)[0] ?? this.key;
  }

  /**
   * Lets a role pull images from the repositories and through the pull-through caches (which
   * also needs `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` on the cache prefixes),
   * and decrypt with the registry key.
   */
  public grantPull(role: IAwsRole): IamRolePolicy {
    this.pullArns ??= {
      repositories: Object.values(this.repositories).map((r) => r.arn),
      caches: this.pullThroughCacheRules.map(
        (r) => `arn:${awsPartition(this)}:ecr:*:${r.registryId}:repository/${r.ecrRepositoryPrefix}/*`,
      ),
    };
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [this.keyArn] },
    ];
    const repoArns = this.pullArns.repositories;
    if (repoArns.length) {
      statements.push({
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: repoArns,
      });
    }
    if (this.pullArns.caches.length) {
      statements.push({
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchGetImage',
          'ecr:BatchImportUpstreamImage',
          'ecr:CreateRepository',
        ],
        Resource: this.pullArns.caches,
      });
    }
    return this.grants.add('grantPull', role, statements);
  }

  /** Lets a role read model artifacts. */
  public grantReadModels(role: IAwsRole): IamRolePolicy {
    if (!this.models) {
      throw new ValidationError(
        `grantReadModels: this registry has no model bucket ('modelBucket' is false).`,
        this,
      );
    }
    return this.grants.add('grantReadModels', role, this.models.grantStatements(false));
  }

  /** Lets a role write model artifacts. */
  public grantWriteModels(role: IAwsRole): IamRolePolicy {
    if (!this.models) {
      throw new ValidationError(
        `grantWriteModels: this registry has no model bucket ('modelBucket' is false).`,
        this,
      );
    }
    return this.grants.add('grantWriteModels', role, this.models.grantStatements(true));
  }
}
