import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { Construct } from 'constructs';
import { ACCELERATOR_NODE_LABEL, Accelerator, Validate, ValidationError } from '../core';
import { ApiToleration } from './interfaces';
import { MANAGED_BY, nameFromId, assertDnsLabel, assertNodeLabels, gpuToleration } from './private/common';
import { PodSecurityLevel } from './pod-security';
import { IMAGES, ImageVersion, imageRef } from './versions';

/** Properties of an {@link ImagePrePuller}. */
export interface ImagePrePullerProps {
  /**
   * Images to keep on every selected node, for example the serving engine's
   * (`ServingEngine.VLLM.image`). Each must contain `sh`: an init container runs `sh -c true` in it.
   */
  readonly images: ImageVersion[];
  /**
   * The GPU the nodes carry: selects the library's node pools of that accelerator.
   * @default - the nodes `nodeSelector` selects
   */
  readonly accelerator?: Accelerator;
  /**
   * Node selector, merged over the accelerator label. One of `accelerator` and `nodeSelector`
   * is required: a pre-puller on every node fills CPU nodes' disks with GPU images.
   * @default - the accelerator label only
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations (the `nvidia.com/gpu` taint is always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * Namespace (must exist).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * DaemonSet name.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
}

/**
 * Pulls serving images onto GPU nodes as soon as they join, before a model server's pod is
 * scheduled there: a DaemonSet whose init containers run each image once (`sh -c true`) and whose
 * only long-running container is the pinned pause image. The portable fallback where the cloud
 * cannot preload images (GKE secondary boot disks, Bottlerocket data-volume snapshots): the pull
 * still happens, but in parallel with node registration and the GPU driver start instead of
 * after the server is scheduled.
 *
 * The pods meet Pod Security "restricted" (UID 65535, no privilege escalation, all capabilities
 * dropped, RuntimeDefault seccomp, read-only root filesystem) and request 10m CPU and 16 MiB.
 *
 * @example
 * new ImagePrePuller(workloads, 'PrePull', { images: [ServingEngine.VLLM.image], accelerator: Accelerator.L40S });
 */
export class ImagePrePuller extends Construct {
  /** The DaemonSet. */
  public readonly resource: DaemonSetV1;
  /** The Pod Security level the pods meet. */
  public readonly podSecurityLevel = PodSecurityLevel.RESTRICTED;

  constructor(scope: Construct, id: string, props: ImagePrePullerProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const images = Validate.array<ImageVersion>(this, 'images', props.images);
    if (images.length === 0) {
      throw new ValidationError(`'images' is empty: name at least one image to pre-pull.`, this);
    }
    const refs = images.map((img, i) => {
      Validate.object(this, `images[${i}]`, img);
      if (img.tag === 'latest') {
        throw new ValidationError(
          `'images[${i}]' (${img.repository}:latest) must be pinned: a pre-pulled 'latest' is not the image a server pulls later.`,
          this,
        );
      }
      return Validate.imageReference(this, `images[${i}]`, imageRef(img));
    });
    Validate.unique(this, 'images', refs);
    const namespace = props.namespace ?? 'default';
    assertDnsLabel(this, 'namespace', namespace);
    const name = props.name ?? nameFromId(id);
    assertDnsLabel(this, 'name', name);
    if (!props.accelerator && !props.nodeSelector) {
      throw new ValidationError(
        `'accelerator' or 'nodeSelector' is required: without one the pre-puller runs on every node, CPU nodes included.`,
        this,
      );
    }
    const nodeSelector = {
      ...(props.accelerator ? { [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue } : {}),
      ...(props.nodeSelector ?? {}),
    };
    assertNodeLabels(this, `'nodeSelector'`, nodeSelector);
    const tolerations = [
      gpuToleration(),
      ...Validate.array<ApiToleration>(this, 'tolerations', props.tolerations ?? []),
    ];
    tolerations.forEach((t, i) => Validate.k8sToleration(this, `tolerations[${i}]`, t));

    const selector = { 'app.kubernetes.io/name': 'image-pre-puller', 'app.kubernetes.io/instance': name };
    const labels = { ...selector, ...MANAGED_BY };
    const securityContext = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    };
    const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } };
    this.resource = new DaemonSetV1(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%' } },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector,
            toleration: tolerations.map((t) => ({ ...t })),
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 1,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: '65535',
              runAsGroup: '65535',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            initContainer: refs.map((image, i) => ({
              name: `pull-${i}`,
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', 'true'],
              resources,
              securityContext,
            })),
            container: [
              {
                name: 'pause',
                image: imageRef(IMAGES.pause),
                imagePullPolicy: 'IfNotPresent',
                resources,
                securityContext,
              },
            ],
          },
        },
      },
      waitForRollout: false,
    });
    this.node.defaultChild = this.resource;
  }
}
