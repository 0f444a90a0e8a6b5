import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  IGpuPlatform,
  IInferenceBackend,
  IMonitoringStack,
  InferenceEngineType,
} from '../../lib/k8s/interfaces';

/** A stack with the Kubernetes and Helm providers configured from a kubeconfig path. */
export function clusterStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, 'Kubernetes', { configPath: '~/.kube/config' });
  new HelmProvider(stack, 'Helm', { kubernetes: { configPath: '~/.kube/config' } });
  return stack;
}

/** An app with a platform stack and a workloads stack. */
export function platformAndWorkloads(): { app: App; platform: TerraformStack; workloads: TerraformStack } {
  const app = Testing.app();
  return { app, platform: clusterStack(app, 'platform'), workloads: clusterStack(app, 'workloads') };
}

/** Warnings annotated on the constructs of `stack`. */
export function warningsOf(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}

/**
 * A hand-written vLLM backend (no ModelServer): `name` in namespace `llm`, selected by the
 * `app.kubernetes.io/name: vllm` and `app.kubernetes.io/instance: <name>` labels, serving
 * `llama-3.1-8b` on port 8000, not scaling to zero, without LoRA adapters; `overrides` replace fields.
 */
export function vllmBackend(name: string, overrides: Partial<IInferenceBackend> = {}): IInferenceBackend {
  return {
    name,
    namespace: 'llm',
    podSelectorLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': name },
    targetPort: 8000,
    servedModelName: 'llama-3.1-8b',
    engine: InferenceEngineType.VLLM,
    mayScaleToZero: false,
    loraAdapterNames: [],
    ...overrides,
  };
}

/**
 * A monitoring stack that is not a construct library's: Prometheus at `prometheusUrl` in
 * namespace `monitoring`, ServiceMonitors selected by `release: <releaseName>`.
 */
export class FakeMonitoring extends Construct implements IMonitoringStack {
  public readonly namespace = 'monitoring';
  public readonly selectorLabels: Record<string, string>;
  constructor(
    scope: Construct,
    id: string,
    public readonly releaseName = 'kps',
    public readonly prometheusUrl = 'http://prometheus.monitoring.svc:9090',
  ) {
    super(scope, id);
    this.selectorLabels = { release: releaseName };
  }
  public addScrapeTarget(): void {}
}

/** A GPU platform that is not a GpuPlatform: KEDA, JobSet and Kueue installed unless `props` says otherwise. */
export class FakePlatform extends Construct implements IGpuPlatform {
  public readonly kedaInstalled: boolean = true;
  public readonly jobSetInstalled: boolean = true;
  public readonly kueueInstalled: boolean = true;
  public readonly leaderWorkerSetInstalled?: boolean;
  public readonly mpiOperatorInstalled?: boolean;
  public readonly dcgmHostEngineAddress?: string;
  constructor(scope: Construct, id: string, props: Partial<Omit<IGpuPlatform, 'node'>> = {}) {
    super(scope, id);
    Object.assign(this, props);
  }
}
