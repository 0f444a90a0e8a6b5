import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { Construct } from 'constructs';
import { raiseDeferredDeprecations, renamedMethod, Validate, ValidationError } from '../core';
import { CheckpointBucket } from './checkpoint-bucket';
import { IContainerRegistry } from './interfaces';
import { GcpPrincipal } from './principal';
import { grantId, unresolved, validateGceName, validateRegistryLocation } from './private/names';
import { readOnce } from '../core/private/read-once';

/** Where a remote repository pulls from: a public repository enum or a custom URI. */
export interface RemoteUpstream {
  /**
   * Artifact Registry public repository, for example `DOCKER_HUB`.
   * @default - a custom URI
   */
  readonly publicRepository?: string;
  /**
   * Custom upstream URI, for example `https://ghcr.io`.
   * @default - the public repository
   */
  readonly uri?: string;
}

/** A protected model-artifact bucket created next to the registry. */
export interface ModelBucketOptions {
  /** Globally unique bucket name. */
  readonly bucketName: string;
}

/** An upstream registry an Artifact Registry remote repository mirrors. */
export class RemoteRegistry {
  /** Docker Hub (vLLM `vllm/vllm-openai`, most community images). */
  public static readonly DOCKER_HUB = new RemoteRegistry(
    'docker-hub',
    { publicRepository: 'DOCKER_HUB' },
    'Docker Hub',
  );
  /** GitHub Container Registry (Hugging Face TGI, many operators). */
  public static readonly GHCR = new RemoteRegistry(
    'ghcr',
    { uri: 'https://ghcr.io' },
    'GitHub Container Registry',
  );
  /** NVIDIA NGC (Triton, TensorRT-LLM, NeMo). Public NGC images pull without credentials (VERIFY per image). */
  public static readonly NVCR = new RemoteRegistry('nvcr', { uri: 'https://nvcr.io' }, 'NVIDIA NGC');
  /** Kubernetes' registry (`registry.k8s.io`). */
  public static readonly K8S = new RemoteRegistry(
    'k8s',
    { uri: 'https://registry.k8s.io' },
    'registry.k8s.io',
  );

  /** Another Docker registry by URI. */
  public static custom(id: string, uri: string): RemoteRegistry {
    validateGceName('RemoteRegistry.custom id', id, 50);
    Validate.url(undefined, 'RemoteRegistry.custom uri', uri);
    if (!unresolved(uri) && !/^https:\/\/[a-z0-9.-]+(\/[\w./-]*)?$/.test(uri)) {
      throw new ValidationError(
        `RemoteRegistry.custom('${id}', '${uri}'): the upstream must be an https:// registry URI, for example 'https://quay.io'.`,
      );
    }
    return new RemoteRegistry(id, { uri }, uri);
  }

  private constructor(
    /** Suffix of the remote repository id. */
    public readonly id: string,
    /** Upstream: a public repository enum or a custom URI. */
    public readonly upstream: RemoteUpstream,
    /** Human name. */
    public readonly description: string,
  ) {}
}

/** Properties of {@link ArtifactRegistry}. */
export interface ArtifactRegistryProps {
  /** Region, for example `us-central1` (co-locate with the cluster). */
  readonly location: string;
  /**
   * Project id.
   * @default - the provider's project
   */
  readonly project?: string;
  /**
   * Id of the Docker repository; remote repositories are `<id>-<upstream>`.
   * @default 'containers'
   */
  readonly repositoryId?: string;
  /**
   * Refuse to overwrite an existing tag.
   * @default true
   */
  readonly immutableTags?: boolean;
  /**
   * Delete untagged images older than this many days.
   * @default 7
   */
  readonly deleteUntaggedAfterDays?: number;
  /**
   * Always keep this many most recent versions of each image (KEEP wins over DELETE).
   * @default 10
   */
  readonly keepMostRecentVersions?: number;
  /**
   * Evaluate cleanup policies without deleting (`cleanup_policy_dry_run`). Rendered explicitly:
   * the API default is believed to be false (VERIFY).
   * @default false
   */
  readonly cleanupPolicyDryRun?: boolean;
  /**
   * Vulnerability scanning (`INHERITED`: on when `containerscanning.googleapis.com` is enabled;
   * about $0.26 per scanned image).
   * @default true
   */
  readonly vulnerabilityScanning?: boolean;
  /**
   * Upstream registries mirrored by remote (pull-through cache) repositories.
   * @default - Docker Hub, GHCR and NVIDIA NGC
   */
  readonly remotes?: RemoteRegistry[];
  /**
   * Bucket for model artifacts (weights, tokenizers): versioned, protected from destroy.
   * @default - none
   */
  readonly modelBucket?: ModelBucketOptions;
  /**
   * Principals granted `roles/artifactregistry.reader` on every repository (the cluster's node
   * service account already reads project-wide).
   * @default - none
   */
  readonly readers?: GcpPrincipal[];
  /**
   * Refuse `terraform destroy` of the repositories and the model bucket.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * GCE labels.
   * @default - the stack's Tags only
   */
  readonly labels?: Record<string, string>;
}

/** Attributes of a Docker repository the app does not own, for {@link ArtifactRegistry.fromRepositoryAttributes}. */
export interface ArtifactRegistryAttributes {
  /** Project id of the repository. */
  readonly project: string;
  /** Region (or multi-region `us`, `europe`, `asia`) of the repository. */
  readonly location: string;
  /** Repository id. */
  readonly repositoryId: string;
}

/** An Artifact Registry repository the app does not own. */
class ImportedArtifactRegistry extends Construct implements IContainerRegistry {
  public readonly repositoryUrl: string;
  private readonly attrs: ArtifactRegistryAttributes;

  constructor(scope: Construct, id: string, attrs: ArtifactRegistryAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    Validate.gcpProjectId(this, 'project', attrs.project);
    validateRegistryLocation(this, 'location', attrs.location);
    validateGceName('repositoryId', attrs.repositoryId, 63, this);
    this.attrs = attrs;
    this.repositoryUrl = `${attrs.location}-docker.pkg.dev/${attrs.project}/${attrs.repositoryId}`;
  }

  public grantPull(principal: GcpPrincipal): ArtifactRegistryRepositoryIamMember[] {
    raiseDeferredDeprecations(this, principal);
    const id = grantId(this, 'roles/artifactregistry.reader', principal.member);
    const existing = this.node.tryFindChild(id) as ArtifactRegistryRepositoryIamMember | undefined;
    return [
      existing ??
        new ArtifactRegistryRepositoryIamMember(this, id, {
          project: this.attrs.project,
          location: this.attrs.location,
          repository: this.attrs.repositoryId,
          role: 'roles/artifactregistry.reader',
          member: principal.member,
        }),
    ];
  }
}

/**
 * Artifact Registry for serving and training images: a Docker repository with cleanup policies
 * (delete untagged after 7 days, keep the 10 most recent versions), immutable tags and
 * vulnerability scanning; remote repositories that mirror the public registries serving images
 * come from (Docker Hub, GHCR, NVIDIA NGC), so nodes pull through Google's network and are not
 * rate-limited; and an optional protected, versioned model-artifact bucket.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/artifact_registry_repository
 * @example
 * const registry = new ArtifactRegistry(stack, 'Registry', {
 *   location: 'us-central1', modelBucket: { bucketName: 'acme-models' },
 * });
 * registry.imageUrl('docker-hub', 'vllm/vllm-openai:v0.8.5');
 */
export class ArtifactRegistry extends Construct implements IContainerRegistry {
  /**
   * A Docker repository the app does not own, for pull grants and image URLs.
   * @example
   * ArtifactRegistry.fromRepositoryAttributes(stack, 'Images', { project: 'acme-ml', location: 'us-central1', repositoryId: 'serving' })
   *   .grantPull(GcpPrincipal.serviceAccount('ml-prod-nodes@acme-ml.iam.gserviceaccount.com'));
   */
  public static fromRepositoryAttributes(
    scope: Construct,
    id: string,
    attrs: ArtifactRegistryAttributes,
  ): IContainerRegistry {
    return new ImportedArtifactRegistry(scope, id, attrs);
  }

  /** `<location>-docker.pkg.dev/<project>/<repositoryId>`. */
  public readonly repositoryUrl: string;
  /** The Docker repository. */
  public readonly resource: ArtifactRegistryRepository;
  /** The remote repositories by upstream id. */
  public readonly remoteRepositories: Record<string, ArtifactRegistryRepository> = {};
  /** The model-artifact bucket, when requested. */
  public readonly modelBucket?: CheckpointBucket;

  constructor(scope: Construct, id: string, props: ArtifactRegistryProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    validateRegistryLocation(this, 'location', props.location);
    if (props.project !== undefined) Validate.gcpProjectId(this, 'project', props.project);
    if (props.labels !== undefined) Validate.gcpLabels(this, 'labels', props.labels);
    for (const b of [
      'immutableTags',
      'cleanupPolicyDryRun',
      'vulnerabilityScanning',
      'protectFromDestroy',
    ] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.modelBucket !== undefined) {
      Validate.object(this, 'modelBucket', props.modelBucket);
      Validate.gcsBucketName(this, 'modelBucket.bucketName', props.modelBucket.bucketName);
    }
    const readers = Validate.array<GcpPrincipal>(this, 'readers', props.readers ?? []);
    readers.forEach((p, i) => {
      if (!(p instanceof GcpPrincipal)) {
        throw new ValidationError(`'readers[${i}]' must be a GcpPrincipal.`, this, 'type');
      }
      raiseDeferredDeprecations(this, p);
    });
    const repoId = props.repositoryId ?? 'containers';
    validateGceName('repositoryId', repoId, 50, this);
    // Cleanup policy ages are written as seconds: bound the days so the number stays exact.
    const untaggedDays = Validate.integer(
      this,
      'deleteUntaggedAfterDays',
      props.deleteUntaggedAfterDays ?? 7,
      {
        min: 1,
        max: 36500,
      },
    );
    const keep = Validate.integer(this, 'keepMostRecentVersions', props.keepMostRecentVersions ?? 10, {
      min: 1,
      max: 100000,
    });
    if (!Number.isInteger(untaggedDays) || untaggedDays < 1) {
      throw new ValidationError(
        `'deleteUntaggedAfterDays' (${untaggedDays}) must be a positive integer.`,
        this,
      );
    }
    if (!Number.isInteger(keep) || keep < 1) {
      throw new ValidationError(`'keepMostRecentVersions' (${keep}) must be a positive integer.`, this);
    }
    const remotes = Validate.array<RemoteRegistry>(
      this,
      'remotes',
      props.remotes ?? [RemoteRegistry.DOCKER_HUB, RemoteRegistry.GHCR, RemoteRegistry.NVCR],
    );
    const seen = new Set<string>();
    for (const r of remotes) {
      if (!(r instanceof RemoteRegistry)) {
        throw new ValidationError(
          `'remotes' entries must be RemoteRegistry values (RemoteRegistry.DOCKER_HUB, RemoteRegistry.custom(...)).`,
          this,
          'type',
        );
      }
      if (seen.has(r.id)) {
        throw new ValidationError(`'remotes' lists '${r.id}' twice: each upstream is mirrored once.`, this);
      }
      seen.add(r.id);
      ValidationError.withScope(this, () =>
        validateGceName('repositoryId-<remote id>', `${repoId}-${r.id}`, 63),
      );
    }
    const preventDestroy = props.protectFromDestroy ?? true;
    const scanning = { enablementConfig: (props.vulnerabilityScanning ?? true) ? 'INHERITED' : 'DISABLED' };

    this.resource = new ArtifactRegistryRepository(this, 'Resource', {
      project: props.project,
      location: props.location,
      repositoryId: repoId,
      description: 'Container images for AI training and serving (cdktf-ai-infra)',
      format: 'DOCKER',
      mode: 'STANDARD_REPOSITORY',
      dockerConfig: { immutableTags: props.immutableTags ?? true },
      cleanupPolicyDryRun: props.cleanupPolicyDryRun ?? false,
      cleanupPolicies: [
        {
          id: 'delete-untagged',
          action: 'DELETE',
          condition: { tagState: 'UNTAGGED', olderThan: `${untaggedDays * 86400}s` },
        },
        { id: 'keep-most-recent', action: 'KEEP', mostRecentVersions: { keepCount: keep } },
      ],
      vulnerabilityScanningConfig: scanning,
      labels: props.labels,
      lifecycle: { preventDestroy },
    });
    this.node.defaultChild = this.resource;
    this.repositoryUrl = repoUrl(this.resource);

    for (const r of remotes) {
      const cid = `Remote${r.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`;
      this.remoteRepositories[r.id] = new ArtifactRegistryRepository(this, cid, {
        project: props.project,
        location: props.location,
        repositoryId: `${repoId}-${r.id}`,
        description: `Pull-through cache of ${r.description} (cdktf-ai-infra)`,
        format: 'DOCKER',
        mode: 'REMOTE_REPOSITORY',
        remoteRepositoryConfig: {
          description: r.description,
          dockerRepository: r.upstream.publicRepository
            ? { publicRepository: r.upstream.publicRepository }
            : { customRepository: { uri: r.upstream.uri } },
        },
        cleanupPolicyDryRun: props.cleanupPolicyDryRun ?? false,
        cleanupPolicies: [
          {
            id: 'delete-stale-cache',
            action: 'DELETE',
            condition: { tagState: 'ANY', olderThan: `${90 * 86400}s` },
          },
          { id: 'keep-most-recent', action: 'KEEP', mostRecentVersions: { keepCount: keep } },
        ],
        vulnerabilityScanningConfig: scanning,
        labels: props.labels,
        lifecycle: { preventDestroy },
      });
    }

    for (const p of readers) {
      this.grantPull(p);
    }
    if (props.modelBucket) {
      this.modelBucket = new CheckpointBucket(this, 'ModelBucket', {
        bucketName: props.modelBucket.bucketName,
        location: props.location,
        project: props.project,
        hierarchicalNamespace: false,
        versioning: true,
        protectFromDestroy: preventDestroy,
        labels: props.labels,
      });
    }
  }

  /**
   * The pull URL of an image through this registry: `repository` `'standard'` for the Docker
   * repository or the upstream id of a remote (`docker-hub`, `ghcr`, `nvcr`).
   */
  public imageUrl(repository: string, image: string): string {
    if (repository === 'standard') {
      return `${this.repositoryUrl}/${image}`;
    }
    const remote = this.remoteRepositories[repository];
    if (!remote) {
      throw new ValidationError(
        `imageUrl: no repository '${repository}'. Known: standard, ${Object.keys(this.remoteRepositories).join(', ')}.`,
        this,
      );
    }
    return `${repoUrl(remote)}/${image}`;
  }

  /**
   * Grants `roles/artifactregistry.reader` on the Docker repository and every remote.
   * @deprecated renamed `grantPull` (its name in every module); warns `deprecated-api`, removed in the next minor release
   */
  public grantRead(principal: GcpPrincipal): ArtifactRegistryRepositoryIamMember[] {
    renamedMethod(this, 'grantRead', 'grantPull');
    return this.grantPull(principal);
  }

  /** Grants `roles/artifactregistry.reader` (pull images) on the Docker repository and every remote. */
  public grantPull(principal: GcpPrincipal): ArtifactRegistryRepositoryIamMember[] {
    raiseDeferredDeprecations(this, principal);
    const id = grantId(this, 'roles/artifactregistry.reader', principal.member);
    return [this.resource, ...Object.values(this.remoteRepositories)].map(
      (repo) =>
        // The same grant twice is one binding (the id derives from the grant).
        (repo.node.tryFindChild(id) as ArtifactRegistryRepositoryIamMember | undefined) ??
        new ArtifactRegistryRepositoryIamMember(repo, id, {
          project: readOnce(repo, 'project', (r) => r.project),
          location: readOnce(repo, 'location', (r) => r.location),
          repository: readOnce(repo, 'name', (r) => r.name),
          role: 'roles/artifactregistry.reader',
          member: principal.member,
        }),
    );
  }
}

// Attributes are read once per repository (readOnce): each read creates a cdktf token.
function repoUrl(repo: ArtifactRegistryRepository): string {
  const location = readOnce(repo, 'location', (r) => r.location);
  const project = readOnce(repo, 'project', (r) => r.project);
  return readOnce(repo, 'url', (r) => `${location}-docker.pkg.dev/${project}/${r.repositoryId}`);
}
