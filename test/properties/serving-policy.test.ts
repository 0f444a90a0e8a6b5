import { Construct } from 'constructs';
import { VALIDATION_CODES, ValidationError } from '../../lib/core';
import {
  GatewayExposure,
  InferenceGateway,
  InferencePool,
  LoraAdapter,
  ModelServerBackend,
  SchedulingProfile,
  loraEngineArgs,
  validateLoraAdapters,
} from '../../lib/k8s';
import { PolicyPack, PolicySuppressions } from '../../lib/policy';
import { PropertyCase, runCase } from './harness';
import { gatewayFixture, stacks } from './k8s-fixtures';

// Hostile values for the factories whose products constructs consume (LoraAdapter,
// GatewayExposure, SchedulingProfile) and for the policy pack's suppressions and options. A
// factory's product reaches the cloud or API server only through a construct, so each case
// builds the construct that renders it.

/** vLLM's `--lora-modules name=path` pairs of `args`. */
function loraModules(args: string[]): string[] {
  const i = args.indexOf('--lora-modules');
  return i < 0 ? [] : args.slice(i + 1);
}

const cases: PropertyCase<any>[] = [
  {
    name: 'LoraAdapter.fromHuggingFace / fromBucket / fromVolume (validateLoraAdapters, loraEngineArgs)',
    base: () => ({
      hf: { name: 'support', repository: 'acme/llama-support', rank: 16, revision: 'main' },
      bucket: { name: 'sql', uri: 's3://adapters/sql/', rank: 8 },
      volume: { name: 'legal', claim: 'adapters', rank: 32, path: 'legal' },
      maxLoras: 2,
    }),
    props: {
      'hf.name': 'string',
      'hf.repository': 'string',
      'hf.rank': 'int',
      'hf.revision': 'string',
      'bucket.name': 'string',
      'bucket.uri': 'string',
      'bucket.rank': 'int',
      'volume.name': 'string',
      'volume.claim': 'string',
      'volume.rank': 'int',
      'volume.path': 'string',
      maxLoras: 'int',
    },
    build: (p) => {
      const adapters = [
        LoraAdapter.fromHuggingFace(p.hf.name, p.hf.repository, { rank: p.hf.rank, revision: p.hf.revision }),
        LoraAdapter.fromBucket(p.bucket.name, p.bucket.uri, { rank: p.bucket.rank }),
        LoraAdapter.fromVolume(p.volume.name, p.volume.claim, { rank: p.volume.rank, path: p.volume.path }),
      ];
      const { workloads } = stacks();
      const scope = new Construct(workloads, 'Scope');
      validateLoraAdapters(scope, 'loraAdapters', adapters, 'llama-3.1-8b');
      const args = loraEngineArgs(adapters, { maxLoras: p.maxLoras });
      // What vLLM reads: whole-number --max-loras / --max-lora-rank, one `name=path` per adapter
      // with no '=' or whitespace in the name (the parser splits on '=').
      for (const flag of ['--max-loras', '--max-lora-rank']) {
        const v = args[args.indexOf(flag) + 1];
        if (!/^[1-9]\d*$/.test(v)) throw new Error(`${flag} ${v} is not a positive integer`);
      }
      for (const m of loraModules(args)) {
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}=\S+$/.test(m)) throw new Error(`--lora-modules '${m}'`);
      }
      return [];
    },
  },
  {
    name: 'GatewayExposure.internalLoadBalancer / external / awsInternalNlb on an InferenceGateway',
    base: () => ({ annotations: { 'example.com/team': 'ml' }, awsLbc: true }),
    props: { annotations: 'map', awsLbc: 'bool' },
    build: (p) => {
      const { platform, workloads, gatewayPlatform } = gatewayFixture();
      new InferenceGateway(workloads, 'Gateway', {
        platform: gatewayPlatform,
        namespace: 'llm',
        exposure: GatewayExposure.internalLoadBalancer(p.annotations),
        tls: { secretName: 'llm-gateway-tls' },
      });
      new InferenceGateway(workloads, 'Nlb', {
        platform: gatewayPlatform,
        namespace: 'llm',
        exposure: GatewayExposure.awsInternalNlb({ awsLoadBalancerController: p.awsLbc }),
        tls: { secretName: 'llm-gateway-tls' },
      });
      new InferenceGateway(workloads, 'External', {
        platform: gatewayPlatform,
        namespace: 'llm',
        exposure: GatewayExposure.external(p.annotations),
        tls: { secretName: 'llm-gateway-tls' },
      });
      return [platform, workloads];
    },
  },
  {
    name: 'SchedulingProfile.of on an InferencePool',
    base: () => ({ queueDepth: 2, kvCacheUtilization: 2, prefixCacheAffinity: 3, loraAffinity: 2 }),
    props: { queueDepth: 'int', kvCacheUtilization: 'int', prefixCacheAffinity: 'int', loraAffinity: 'int' },
    build: (p) => {
      const { platform, workloads, gatewayPlatform, server } = gatewayFixture();
      new InferencePool(workloads, 'Pool', {
        backend: ModelServerBackend.of(server),
        platform: gatewayPlatform,
        schedulingProfile: SchedulingProfile.of(p),
      });
      return [platform, workloads];
    },
  },
  {
    name: 'PolicySuppressions and PolicyPack options',
    base: () => ({
      ruleId: 's3-public-access',
      reason: 'Public dataset mirror approved by the data owner (SEC-1234).',
      exclude: ['image-pinned'],
      reportFileName: 'policy-report.json',
    }),
    props: { ruleId: 'string', reason: 'string', exclude: 'strings', reportFileName: 'string' },
    build: (p) => {
      const { workloads } = stacks();
      PolicySuppressions.addStackSuppression(workloads, p.ruleId, p.reason);
      PolicySuppressions.addResourceSuppression(new Construct(workloads, 'Scope'), p.ruleId, p.reason);
      PolicyPack.aiInfra({ exclude: p.exclude }).applyTo(workloads, { reportFileName: p.reportFileName });
      return [workloads];
    },
  },
];

describe('property: serving factories and policy options, hostile values', () => {
  test.each(cases.map((c) => [c.name, c]))(
    '%s: only ValidationError, no value the consumer rejects',
    (_n, c) => {
      expect(runCase(c, 10)).toEqual([]);
    },
  );
});

describe('policy and suppression errors carry their own stable codes', () => {
  const { workloads } = stacks();
  const code = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return e instanceof ValidationError ? e.code : `not a ValidationError: ${String(e)}`;
    }
    return 'no error';
  };

  test.each([
    [
      'a suppression of a malformed rule id',
      () => PolicySuppressions.addStackSuppression(workloads, 'Not A Rule', 'long enough reason'),
      VALIDATION_CODES.POLICY_RULE_ID,
    ],
    [
      'a suppression without a reason',
      () => PolicySuppressions.addStackSuppression(workloads, 's3-public-access', 'short'),
      VALIDATION_CODES.POLICY_SUPPRESSION_REASON,
    ],
    [
      'an unknown rule id in exclude',
      () => PolicyPack.aiInfra({ exclude: ['no-such-rule'] }),
      VALIDATION_CODES.POLICY_RULE_ID,
    ],
    [
      'a rule listed twice in a pack',
      () => new PolicyPack('p', [...PolicyPack.aiInfra().entries, PolicyPack.aiInfra().entries[0]]),
      VALIDATION_CODES.DUPLICATE,
    ],
    [
      'a report file name with a path',
      () => PolicyPack.aiInfra().applyTo(workloads, { reportFileName: '../x.json' }),
      VALIDATION_CODES.POLICY_REPORT_FILE,
    ],
  ])('%s', (_name, f, expected) => {
    expect(code(f)).toBe(expected);
  });
});

describe('InferenceGateway exposure annotations', () => {
  const gateway = (annotations: Record<string, string>) => {
    const { workloads, gatewayPlatform } = gatewayFixture();
    return () =>
      new InferenceGateway(workloads, 'Gateway', {
        platform: gatewayPlatform,
        namespace: 'llm',
        exposure: GatewayExposure.internalLoadBalancer(annotations),
        tls: { secretName: 'llm-gateway-tls' },
      });
  };

  test('throws for an annotation key that is not a qualified name', () => {
    expect(gateway({ 'A B': 'x' })).toThrow(/exposure annotations/);
  });

  test('throws for more than the 8 annotations the Gateway API allows', () => {
    const nine = Object.fromEntries([...Array(9).keys()].map((i) => [`example.com/a${i}`, 'x']));
    expect(gateway(nine)).toThrow(/at most 8/);
  });

  test('accepts empty values and up to 8 annotations', () => {
    const eight = Object.fromEntries([...Array(8).keys()].map((i) => [`example.com/a${i}`, '']));
    expect(gateway(eight)).not.toThrow();
  });
});
