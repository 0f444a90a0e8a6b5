import { ArtifactRegistry, ArtifactRegistryProps, RemoteRegistry } from '../../lib/gcp/artifact-registry';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { resourcesOf, synthJson } from '../util';
import { gcpStack } from './helpers';

function registry(props: Partial<ArtifactRegistryProps> = {}) {
  const { stack } = gcpStack();
  const r = new ArtifactRegistry(stack, 'Registry', { location: 'us-central1', ...props });
  const json = synthJson(stack);
  const repos = Object.values(resourcesOf(json, 'google_artifact_registry_repository')) as any[];
  return {
    stack,
    r,
    json,
    repos,
    standard: repos.find((x) => x.mode === 'STANDARD_REPOSITORY')!,
    remotes: repos.filter((x) => x.mode === 'REMOTE_REPOSITORY'),
  };
}

describe('ArtifactRegistry', () => {
  test('defaults to a DOCKER standard repository named containers with immutable tags', () => {
    expect(registry().standard).toMatchObject({
      repository_id: 'containers',
      format: 'DOCKER',
      docker_config: { immutable_tags: true },
    });
  });

  test('defaults to cleanup policies: delete untagged after 7 days, keep 10 most recent', () => {
    expect(registry().standard.cleanup_policies).toEqual([
      {
        id: 'delete-untagged',
        action: 'DELETE',
        condition: { tag_state: 'UNTAGGED', older_than: '604800s' },
      },
      { id: 'keep-most-recent', action: 'KEEP', most_recent_versions: { keep_count: 10 } },
    ]);
  });

  test('renders cleanup_policy_dry_run false explicitly by default', () => {
    expect(registry().standard.cleanup_policy_dry_run).toBe(false);
  });

  test('dry-run on request', () => {
    expect(registry({ cleanupPolicyDryRun: true }).standard.cleanup_policy_dry_run).toBe(true);
  });

  test('defaults to vulnerability scanning INHERITED', () => {
    expect(registry().standard.vulnerability_scanning_config).toEqual({ enablement_config: 'INHERITED' });
  });

  test('disables vulnerability scanning on request', () => {
    expect(registry({ vulnerabilityScanning: false }).standard.vulnerability_scanning_config).toEqual({
      enablement_config: 'DISABLED',
    });
  });

  test('defaults to remote repositories for Docker Hub, GHCR and NGC', () => {
    const remotes = registry().remotes;
    expect(remotes.map((r) => r.repository_id)).toEqual([
      'containers-docker-hub',
      'containers-ghcr',
      'containers-nvcr',
    ]);
    expect(remotes[0].remote_repository_config.docker_repository).toEqual({
      public_repository: 'DOCKER_HUB',
    });
    expect(remotes[1].remote_repository_config.docker_repository).toEqual({
      custom_repository: { uri: 'https://ghcr.io' },
    });
    expect(remotes[2].remote_repository_config.docker_repository).toEqual({
      custom_repository: { uri: 'https://nvcr.io' },
    });
  });

  test('accepts custom remotes', () => {
    const remotes = registry({ remotes: [RemoteRegistry.custom('quay', 'https://quay.io')] }).remotes;
    expect(remotes).toHaveLength(1);
    expect(remotes[0].repository_id).toBe('containers-quay');
  });

  test('throws for a duplicate remote', () => {
    expect(() => registry({ remotes: [RemoteRegistry.GHCR, RemoteRegistry.GHCR] })).toThrow(
      /'remotes' lists 'ghcr' twice/,
    );
  });

  test('throws for a custom remote without https', () => {
    expect(() => RemoteRegistry.custom('quay', 'quay.io')).toThrow(
      /'RemoteRegistry.custom uri' \('quay.io'\) is not a https:\/\/ URL/,
    );
  });

  test('protects every repository from destroy by default', () => {
    expect(registry().repos.every((r) => r.lifecycle?.prevent_destroy === true)).toBe(true);
  });

  test('creates a versioned, protected model bucket on request', () => {
    const { json } = registry({ modelBucket: { bucketName: 'acme-models' } });
    const b = Object.values(resourcesOf(json, 'google_storage_bucket'))[0] as any;
    expect(b).toMatchObject({
      name: 'acme-models',
      versioning: { enabled: true },
      public_access_prevention: 'enforced',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('grants readers on every repository', () => {
    const { json } = registry({ readers: [GcpPrincipal.serviceAccount('ci@acme.iam.gserviceaccount.com')] });
    expect(Object.keys(resourcesOf(json, 'google_artifact_registry_repository_iam_member'))).toHaveLength(4);
  });

  test('imageUrl points through a remote repository', () => {
    const { r } = registry();
    expect(r.imageUrl('docker-hub', 'vllm/vllm-openai:v0.8.5')).toMatch(
      /-docker\.pkg\.dev\/.*\/vllm\/vllm-openai:v0\.8\.5$/,
    );
    expect(() => r.imageUrl('quay', 'x')).toThrow(/no repository 'quay'/);
  });

  test('throws for invalid cleanup numbers', () => {
    expect(() => registry({ keepMostRecentVersions: 0 })).toThrow(/'keepMostRecentVersions' \(0\)/);
    expect(() => registry({ deleteUntaggedAfterDays: 0.5 })).toThrow(/'deleteUntaggedAfterDays' \(0.5\)/);
  });

  test('throws when repositoryId plus a remote id exceeds 63 characters', () => {
    expect(() =>
      registry({
        repositoryId: `r${'x'.repeat(40)}`,
        remotes: [RemoteRegistry.custom(`q${'y'.repeat(30)}`, 'https://quay.io')],
      }),
    ).toThrow(/'repositoryId-<remote id>' \('rx+-qy+'\) must be 1-63 lower-case letters/);
  });

  test('throws for an invalid repository id', () => {
    expect(() => registry({ repositoryId: 'My Repo' })).toThrow(/'repositoryId' \('My Repo'\)/);
  });
});
