import {
  ImageScanning,
  PullThroughCache,
  Registry,
  RegistryProps,
  renderEcrLifecyclePolicy,
} from '../../lib/aws/registry';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, hasWarning } from './util';

function build(props: Partial<RegistryProps> = {}) {
  const stack = awsStack();
  const registry = new Registry(stack, 'Registry', { repositories: ['vllm-serving'], ...props });
  return { stack, registry, json: synthJson(stack) };
}

describe('Registry', () => {
  test('repositories are immutable, scanned on push, KMS-encrypted and protected', () => {
    expect(onlyResource(build().json, 'aws_ecr_repository')).toMatchObject({
      name: 'vllm-serving',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [
        { encryption_type: 'KMS', kms_key: expect.stringContaining('aws_kms_key.') },
      ],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('mutableTagFilters uses IMMUTABLE_WITH_EXCLUSION', () => {
    expect(onlyResource(build({ mutableTagFilters: ['latest'] }).json, 'aws_ecr_repository')).toMatchObject({
      image_tag_mutability: 'IMMUTABLE_WITH_EXCLUSION',
      image_tag_mutability_exclusion_filter: [{ filter: 'latest', filter_type: 'WILDCARD' }],
    });
  });

  test('default lifecycle expires untagged images then keeps the newest 200', () => {
    const policy = JSON.parse(onlyResource(build().json, 'aws_ecr_lifecycle_policy').policy);
    expect(policy.rules.map((r: any) => [r.rulePriority, r.selection.tagStatus])).toEqual([
      [1, 'untagged'],
      [100, 'any'],
    ]);
    expect(policy.rules[0].selection).toMatchObject({
      countType: 'sinceImagePushed',
      countUnit: 'days',
      countNumber: 14,
    });
  });

  test('enhanced scanning is registry-wide and warns', () => {
    const { json, stack } = build({ scanning: ImageScanning.ENHANCED });
    expect(onlyResource(json, 'aws_ecr_registry_scanning_configuration').scan_type).toBe('ENHANCED');
    expect(onlyResource(json, 'aws_ecr_repository').image_scanning_configuration).toEqual({
      scan_on_push: false,
    });
    expect(hasWarning(stack, 'aws-ecr-enhanced-scanning-registry-wide')).toBe(true);
  });

  test('creates pull-through cache rules', () => {
    const rules = Object.values(
      resourcesOf(
        build({ pullThroughCaches: [PullThroughCache.ecrPublic(), PullThroughCache.kubernetes()] }).json,
        'aws_ecr_pull_through_cache_rule',
      ),
    );
    expect(rules.map((r) => [r.ecr_repository_prefix, r.upstream_registry_url])).toEqual([
      ['ecr-public', 'public.ecr.aws'],
      ['k8s', 'registry.k8s.io'],
    ]);
  });

  test('Docker Hub needs an ecr-pullthroughcache/ secret', () => {
    expect(() =>
      build({
        pullThroughCaches: [
          PullThroughCache.dockerHub('arn:aws:secretsmanager:us-east-1:111122223333:secret:dockerhub'),
        ],
      }),
    ).toThrow(/is not an ARN of secretsmanager 'secret:ecr-pullthroughcache\/...'/);
    const ok = build({
      pullThroughCaches: [
        PullThroughCache.dockerHub(
          'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/dockerhub-AbCd',
        ),
      ],
    });
    expect(onlyResource(ok.json, 'aws_ecr_pull_through_cache_rule').credential_arn).toContain(
      'ecr-pullthroughcache/',
    );
  });

  test('throws for two caches with one prefix', () => {
    expect(() =>
      build({ pullThroughCaches: [PullThroughCache.quay('x1'), PullThroughCache.kubernetes('x1')] }),
    ).toThrow(/two pull-through caches use the prefix 'x1'/);
  });

  test('throws for the reserved prefix ecr', () => {
    expect(() => build({ pullThroughCaches: [PullThroughCache.quay('ecr')] })).toThrow(
      /prefix 'ecr' must be/,
    );
  });

  test('creates a versioned, protected model bucket by default', () => {
    const { json } = build();
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({
      bucket_prefix: 'models-',
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
  });

  test('modelBucket: false leaves it out and grantReadModels throws', () => {
    const { json, registry } = build({ modelBucket: false });
    expect(resourcesOf(json, 'aws_s3_bucket')).toEqual({});
    expect(() =>
      registry.grantReadModels({ roleName: 'r', roleArn: 'arn:aws:iam::111122223333:role/r' }),
    ).toThrow(/has no model bucket/);
  });

  test('protectFromDestroy: false lifts protection', () => {
    expect(onlyResource(build({ protectFromDestroy: false }).json, 'aws_ecr_repository').lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  test('protects the repository and model-bucket keys from destroy with the stores', () => {
    const keys = (json: any) => Object.values(resourcesOf(json, 'aws_kms_key')).map((k: any) => k.lifecycle);
    expect(keys(build().json)).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }]);
    expect(keys(build({ protectFromDestroy: false }).json)).toEqual([
      { prevent_destroy: false },
      { prevent_destroy: false },
    ]);
  });

  test('grantPull covers repositories and pull-through imports', () => {
    const stack = awsStack();
    const r = new Registry(stack, 'R', {
      repositories: ['app'],
      pullThroughCaches: [PullThroughCache.ecrPublic()],
    });
    r.grantPull({ roleName: 'node', roleArn: 'arn:aws:iam::111122223333:role/node' });
    const statements = JSON.parse(onlyResource(synthJson(stack), 'aws_iam_role_policy').policy).Statement;
    expect(statements.flatMap((s: any) => s.Action)).toEqual(
      expect.arrayContaining([
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:BatchImportUpstreamImage',
        'kms:Decrypt',
      ]),
    );
  });

  test('throws for an invalid repository name', () => {
    expect(() => build({ repositories: ['VLLM'] })).toThrow(
      /'repositories' entry 'VLLM' must be a unique ECR repository name/,
    );
  });

  test('throws for an empty registry', () => {
    expect(() => build({ repositories: [] })).toThrow(/'repositories' is empty/);
  });

  test('throws for an invalid mutable tag filter', () => {
    expect(() => build({ mutableTagFilters: ['a b'] })).toThrow(/'mutableTagFilters' entry 'a b'/);
  });

  test('throws with the construct path for an invalid lifecycle rule', () => {
    expect(() =>
      build({
        lifecycleRules: [
          {
            rulePriority: 1,
            description: 'x',
            tagStatus: 'tagged',
            countType: 'imageCountMoreThan',
            countNumber: 5,
          },
        ],
      }),
    ).toThrow(/^test\/Registry: lifecycle rule 1/);
  });
});

describe('renderEcrLifecyclePolicy', () => {
  const base = { description: 'r', countType: 'imageCountMoreThan' as const, countNumber: 10 };

  test('sorts rules by priority', () => {
    const p = JSON.parse(
      renderEcrLifecyclePolicy([
        { ...base, rulePriority: 5, tagStatus: 'any' },
        { ...base, rulePriority: 2, tagStatus: 'tagged', tagPatternList: ['v*'] },
      ]),
    );
    expect(p.rules.map((r: any) => r.rulePriority)).toEqual([2, 5]);
    expect(p.rules[0].selection.tagPatternList).toEqual(['v*']);
    expect(p.rules[0].action).toEqual({ type: 'expire' });
  });

  test('throws for duplicate priorities', () => {
    expect(() =>
      renderEcrLifecyclePolicy([
        { ...base, rulePriority: 1, tagStatus: 'untagged' },
        { ...base, rulePriority: 1, tagStatus: 'any' },
      ]),
    ).toThrow(/unique positive integer/);
  });

  test('throws when the any rule is not last', () => {
    expect(() =>
      renderEcrLifecyclePolicy([
        { ...base, rulePriority: 1, tagStatus: 'any' },
        { ...base, rulePriority: 2, tagStatus: 'untagged' },
      ]),
    ).toThrow(/'tagStatus: any' rule must have the highest 'rulePriority'/);
  });

  test('throws for a tagged rule without a list', () => {
    expect(() => renderEcrLifecyclePolicy([{ ...base, rulePriority: 1, tagStatus: 'tagged' }])).toThrow(
      /a 'tagged' rule needs/,
    );
  });

  test('throws for an untagged rule with a list', () => {
    expect(() =>
      renderEcrLifecyclePolicy([{ ...base, rulePriority: 1, tagStatus: 'untagged', tagPrefixList: ['v'] }]),
    ).toThrow(/'untagged' rule must not have/);
  });

  test('throws for both list kinds', () => {
    expect(() =>
      renderEcrLifecyclePolicy([
        { ...base, rulePriority: 1, tagStatus: 'tagged', tagPrefixList: ['v'], tagPatternList: ['v*'] },
      ]),
    ).toThrow(/not both/);
  });

  test('throws for more than 4 wildcards', () => {
    expect(() =>
      renderEcrLifecyclePolicy([
        { ...base, rulePriority: 1, tagStatus: 'tagged', tagPatternList: ['*a*b*c*d*'] },
      ]),
    ).toThrow(/more than 4 wildcards/);
  });

  test('throws for a zero count', () => {
    expect(() =>
      renderEcrLifecyclePolicy([{ ...base, rulePriority: 1, tagStatus: 'untagged', countNumber: 0 }]),
    ).toThrow(/'lifecycleRules\[0\].countNumber' \(0\)/);
  });

  test('throws for no rules', () => {
    expect(() => renderEcrLifecyclePolicy([])).toThrow(/'lifecycleRules' is empty/);
  });
});

describe('Registry more defaults', () => {
  test('modelBucketName names the model bucket', () => {
    expect(onlyResource(build({ modelBucketName: 'acme-models' }).json, 'aws_s3_bucket').bucket).toBe(
      'acme-models',
    );
  });

  test('defaults to no pull-through caches', () => {
    expect(resourcesOf(build().json, 'aws_ecr_pull_through_cache_rule')).toEqual({});
  });
});
