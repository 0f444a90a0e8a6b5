import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Construct } from 'constructs';
import { Validate } from '../core';
import { ISlurmOperator } from './interfaces';
import { PodSecurityLevel, podSecurityLabels } from './pod-security';
import { MANAGED_BY, assertDnsLabel, registerCrdInstaller, toYaml } from './private/common';
import { addPinnedRelease } from './private/helm-release';
import { SLURM_HELM_CHARTS } from './versions';

/** The API group of the Slinky custom resources. */
export const SLINKY_API_GROUP = 'slinky.slurm.net';

/** The `slinky.slurm.net` version the pinned CRDs serve and store (`v1beta1` only, at v1.2.1). */
export const SLINKY_API_VERSION = 'v1beta1';

/** Properties of a {@link SlurmOperator}. */
export interface SlurmOperatorProps {
  /**
   * Namespace of the operator and its webhook (created, Pod Security "restricted").
   * @default 'slinky'
   */
  readonly namespace?: string;
  /**
   * Namespaces the operator and the webhook reconcile (the chart's `operator.namespaces` and
   * `webhook.namespaces`). The Slurm clusters must live in one of them.
   * @default - every namespace
   */
  readonly watchNamespaces?: string[];
  /**
   * Let cert-manager (already installed in the cluster, with its CRDs) issue the webhook's serving
   * certificate. Without it the chart generates a self-signed CA and certificate at install time
   * (`helm/slurm-operator/templates/webhook/webhook.yaml`, valid 10 years, regenerated with the
   * `caBundle` on every chart upgrade), which the installation guide documents as "Without
   * cert-manager".
   * @default false
   */
  readonly certManager?: boolean;
}

/**
 * SchedMD's Slinky slurm-operator (pinned in {@link SLURM_HELM_CHARTS}): the `slinky.slurm.net`
 * CRDs (Controller, NodeSet, LoginSet, Accounting, RestApi, Token) as their own Helm release,
 * protected from `terraform destroy` (deleting a CRD deletes every Slurm cluster), then the
 * operator and its admission webhook in a namespace that enforces Pod Security "restricted".
 *
 * The chart ships both pods without a securityContext; their images are distroless and run as UID
 * 65532 (`Dockerfile` at tag v1.2.1), so the values add `runAsNonRoot`, the RuntimeDefault seccomp
 * profile, no privilege escalation and every capability dropped.
 *
 * The CRDs are installed here: declare the {@link SlurmCluster}s in a later stack and pass this
 * construct as their `operator` (that orders the stacks).
 *
 * @see https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/docs/installation.md
 * @example
 * const slurm = new SlurmOperator(platformStack, 'Slurm', {});
 * new SlurmCluster(workloadsStack, 'Research', { operator: slurm, login: { rootAuthorizedKeys: ['ssh-ed25519 AAAA... alice'] } });
 */
export class SlurmOperator extends Construct implements ISlurmOperator {
  /** The `slinky.slurm.net` version the pinned CRDs serve. */
  public readonly apiVersion = SLINKY_API_VERSION;
  /** Namespace of the operator and webhook. */
  public readonly namespace: string;
  /** Namespaces the operator reconciles (empty: every namespace). */
  public readonly watchedNamespaces: readonly string[];
  /** The Pod Security level the operator's and webhook's pods meet. */
  public readonly podSecurityLevel = PodSecurityLevel.RESTRICTED;
  /** The CRDs release (`slurm-operator-crds`, protected from destroy). */
  public readonly crds: Release;
  /** The operator and webhook release (`slurm-operator`). */
  public readonly resource: Release;

  constructor(scope: Construct, id: string, props: SlurmOperatorProps = {}) {
    super(scope, id);
    Validate.object(this, 'props', props);
    this.namespace = props.namespace ?? 'slinky';
    assertDnsLabel(this, 'namespace', this.namespace);
    const watched = props.watchNamespaces ?? [];
    Validate.array(this, 'watchNamespaces', watched);
    watched.forEach((n, i) => assertDnsLabel(this, `watchNamespaces[${i}]`, n));
    Validate.unique(this, 'watchNamespaces', watched);
    this.watchedNamespaces = [...watched];
    if (props.certManager !== undefined) Validate.boolean(this, 'certManager', props.certManager);

    const ns = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: { ...MANAGED_BY, ...podSecurityLabels(PodSecurityLevel.RESTRICTED) },
      },
    });
    const { slurmOperatorCrds, slurmOperator } = SLURM_HELM_CHARTS;
    this.crds = new Release(this, 'Crds', {
      name: 'slurm-operator-crds',
      namespace: this.namespace,
      repository: slurmOperatorCrds.repository,
      chart: slurmOperatorCrds.chart,
      version: slurmOperatorCrds.version,
      timeout: 300,
      atomic: true,
      cleanupOnFail: true,
      dependsOn: [ns],
      lifecycle: { preventDestroy: true },
    });
    // Both images are distroless with USER 65532:65532 (Dockerfile at v1.2.1): restricted as shipped,
    // once the pod and container security contexts say so.
    const hardened = () => ({
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      ...(watched.length ? { namespaces: watched.join(',') } : {}),
    });
    this.resource = addPinnedRelease(this, {
      name: 'slurm-operator',
      namespace: this.namespace,
      chart: slurmOperator,
      values: toYaml({
        certManager: { enabled: props.certManager ?? false },
        operator: hardened(),
        webhook: hardened(),
      }),
      dependsOn: [ns, this.crds],
    });
    this.node.defaultChild = this.resource;
    registerCrdInstaller(this, [SLINKY_API_GROUP]);
  }
}
