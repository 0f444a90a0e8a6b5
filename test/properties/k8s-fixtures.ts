import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import {
  GatewayImplementation,
  InferenceGatewayPlatform,
  ModelServer,
  MonitoringStack,
  WeightsSource,
} from '../../lib/k8s';
import { probeId, propertyApp, PropertyCase } from './harness';

// Fixtures and case builders of the Kubernetes property suites (k8s.test.ts,
// serving-policy.test.ts).

/** A platform and a workloads stack with the Kubernetes and Helm providers, in a fresh app. */
export function stacks(): { app: App; platform: TerraformStack; workloads: TerraformStack } {
  const app = propertyApp();
  const mk = (id: string) => {
    const s = new TerraformStack(app, id);
    new KubernetesProvider(s, 'Kubernetes', { configPath: '~/.kube/config' });
    new HelmProvider(s, 'Helm', { kubernetes: { configPath: '~/.kube/config' } });
    return s;
  };
  return { app, platform: mk('platform'), workloads: mk('workloads') };
}

/** One platform and one workloads stack per test file, where probes build their constructs. */
let shared: ReturnType<typeof stacks> | undefined;

/**
 * `build` and `probe` of a case whose construct goes into one stack: `make` builds it into the
 * platform stack of a fresh app (build) or into a fresh scope of the shared platform stack (probe).
 */
export function inPlatform(
  make: (s: Construct, p: any) => void,
  probe = true,
): Pick<PropertyCase<any>, 'build' | 'probe'> {
  return {
    build: (p) => {
      const { platform } = stacks();
      make(platform, p);
      return [platform];
    },
    probe: probe ? (p) => make(new Construct((shared ??= stacks()).platform, probeId('P')), p) : undefined,
  };
}

/**
 * {@link inPlatform} for the workloads stack. `probe` false for a construct that allows one of its
 * kind (name and namespace) per stack.
 */
export function inWorkloads(
  make: (s: Construct, p: any) => void,
  probe = true,
): Pick<PropertyCase<any>, 'build' | 'probe'> {
  return {
    build: (p) => {
      const { workloads } = stacks();
      make(workloads, p);
      return [workloads];
    },
    probe: probe ? (p) => make(new Construct((shared ??= stacks()).workloads, probeId('W')), p) : undefined,
  };
}

export /** A platform with the gateway and a model server in the workloads stack, for the gateway cases. */
function gatewayFixture() {
  const { app, platform, workloads } = stacks();
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
    implementation: GatewayImplementation.istio(),
  });
  const server = new ModelServer(workloads, 'Llama8B', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L4,
    weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
    namespace: 'llm',
  });
  return { app, platform, workloads, gatewayPlatform, server };
}

/**
 * `build` and `probe` of a case on the gateway fixture: `make` builds into the workloads stack of a
 * fresh {@link gatewayFixture} (build, which synthesizes the workloads stack and, with
 * `withPlatform`, the platform stack), or into a fresh scope of the workloads stack of one fixture
 * shared by the case's probes.
 */
export function onGateway(
  make: (g: ReturnType<typeof gatewayFixture>, scope: Construct, p: any) => void,
  withPlatform = true,
): Pick<PropertyCase<any>, 'build' | 'probe'> {
  let shared: ReturnType<typeof gatewayFixture> | undefined;
  return {
    build: (p) => {
      const g = gatewayFixture();
      make(g, g.workloads, p);
      return withPlatform ? [g.platform, g.workloads] : [g.workloads];
    },
    probe: (p) => {
      shared ??= gatewayFixture();
      make(shared, new Construct(shared.workloads, probeId('G')), p);
    },
  };
}

/**
 * `build` and `probe` of a case whose construct takes a monitoring stack: `make` builds into the
 * platform stack of a fresh app with a new `MonitoringStack` (build), or into a fresh scope of a
 * platform stack and one `MonitoringStack` shared by the case's probes.
 */
export function withMonitoring(
  make: (s: Construct, monitoring: MonitoringStack, p: any) => void,
): Pick<PropertyCase<any>, 'build' | 'probe'> {
  let shared: { platform: TerraformStack; monitoring: MonitoringStack } | undefined;
  const fresh = () => {
    const { platform } = stacks();
    return { platform, monitoring: new MonitoringStack(platform, 'Monitoring') };
  };
  return {
    build: (p) => {
      const f = fresh();
      make(f.platform, f.monitoring, p);
      return [f.platform];
    },
    probe: (p) => {
      shared ??= fresh();
      make(new Construct(shared.platform, probeId('M')), shared.monitoring, p);
    },
  };
}
