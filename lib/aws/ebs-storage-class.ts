import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { RawTerraformResource } from '../core/private/raw-resource';
import { IEksCluster, IKmsKey } from './interfaces';
import { requireEksCluster } from './private/auto-mode-rules';

// Facts: EKS User Guide (awsdocs/amazon-eks-user-guide, checked 2026-12-03)
// `latest/ug/automode/create-storage-class.adoc`: "EKS Auto Mode does not create a StorageClass
// for you. You must create a StorageClass referencing ebs.csi.eks.amazonaws.com"; its example is
// gp3, `encrypted: "true"`, `volumeBindingMode: WaitForFirstConsumer`, and a customer managed key
// goes in `parameters.kmsKeyId` (full key ARN). The EBS CSI driver add-on's provisioner is
// `ebs.csi.aws.com` (kubernetes-sigs/aws-ebs-csi-driver `docs/parameters.md`, the same parameter
// names). Terraform shape: hashicorp/kubernetes 2.38.0 `kubernetes_storage_class_v1`.

/** Who provisions the volumes of an {@link EbsStorageClass}. */
export enum EbsProvisioner {
  /** The EBS CSI driver add-on (`aws-ebs-csi-driver`) of a cluster with managed node groups. */
  EBS_CSI_DRIVER = 'ebs.csi.aws.com',
  /** EKS Auto Mode's built-in block storage (`storage_config.block_storage`). */
  AUTO_MODE = 'ebs.csi.eks.amazonaws.com',
}

/** EBS volume types a StorageClass may ask for (`parameters.type`). */
export enum EbsVolumeType {
  /** General purpose SSD, 3,000 IOPS and 125 MiB/s baseline at any size. */
  GP3 = 'gp3',
  /** Provisioned IOPS SSD (io2 Block Express). */
  IO2 = 'io2',
  /** Throughput-optimised HDD (large sequential reads; 125 GiB minimum). */
  ST1 = 'st1',
  /** Cold HDD (125 GiB minimum). */
  SC1 = 'sc1',
}

/** What happens to a volume when its PersistentVolumeClaim is deleted. */
export enum VolumeReclaimPolicy {
  /** Keep the EBS volume (and its data); delete it yourself when it is no longer needed. */
  RETAIN = 'Retain',
  /** Delete the EBS volume with the claim. */
  DELETE = 'Delete',
}

/** Properties of an {@link EbsStorageClass}. */
export interface EbsStorageClassProps {
  /** The EKS cluster the StorageClass is created in. */
  readonly cluster: IEksCluster;
  /**
   * Name of the StorageClass.
   * @default 'ebs-gp3'
   */
  readonly name?: string;
  /**
   * The provisioner. Must match the cluster: `AUTO_MODE` on an Auto Mode cluster, `EBS_CSI_DRIVER`
   * on any other (which must run the EBS CSI driver add-on).
   * @default - EbsProvisioner.AUTO_MODE when the cluster runs Auto Mode, else EbsProvisioner.EBS_CSI_DRIVER
   */
  readonly provisioner?: EbsProvisioner;
  /**
   * Make it the cluster's default StorageClass (`storageclass.kubernetes.io/is-default-class`), so
   * claims without a class (Prometheus, Loki, Tempo, Slurm state) get encrypted gp3 volumes.
   * @default true
   */
  readonly defaultClass?: boolean;
  /**
   * Volume type.
   * @default EbsVolumeType.GP3
   */
  readonly volumeType?: EbsVolumeType;
  /**
   * Customer managed KMS key of the volumes (`parameters.kmsKeyId`). Its key policy must let EBS
   * use it for the account (`kms:ViaService` `ec2.<region>.amazonaws.com`); on Auto Mode the
   * cluster role needs the key too (EKS User Guide `create-storage-class`).
   * @default - the account's `aws/ebs` key (volumes are always encrypted)
   */
  readonly kmsKey?: IKmsKey;
  /**
   * What happens to a volume when its claim is deleted.
   * @default VolumeReclaimPolicy.RETAIN - data outlives the claim; delete released volumes yourself
   */
  readonly reclaimPolicy?: VolumeReclaimPolicy;
  /**
   * File system formatted on new volumes (`csi.storage.k8s.io/fstype`).
   * @default 'ext4'
   */
  readonly fsType?: 'ext4' | 'xfs';
}

/**
 * An encrypted EBS StorageClass for an EKS cluster, with the provisioner the cluster needs:
 * `ebs.csi.eks.amazonaws.com` on EKS Auto Mode (which creates no StorageClass of its own, so
 * claims stay Pending without one), `ebs.csi.aws.com` (the EBS CSI driver add-on) otherwise.
 * Volumes are bound where the pod is scheduled (`WaitForFirstConsumer`, so a volume is created in
 * the pod's Availability Zone), can be expanded, and are retained when their claim is deleted
 * unless `reclaimPolicy` says otherwise.
 *
 * A `kubernetes_storage_class_v1`: put it in a stack that depends on the cluster's (the
 * Kubernetes provider is configured from the cluster's outputs).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html
 * @example
 * new EbsStorageClass(platformStack, 'Gp3', { cluster });
 */
export class EbsStorageClass extends Construct {
  /** The `kubernetes_storage_class_v1`. */
  public readonly resource: TerraformResource;
  /** Name of the StorageClass. */
  public readonly storageClassName: string;
  /** The provisioner in effect. */
  public readonly provisioner: EbsProvisioner;

  constructor(scope: Construct, id: string, props: EbsStorageClassProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cluster = requireEksCluster(this, 'cluster', props.cluster);
    if (TerraformStack.of(this) === TerraformStack.of(cluster)) {
      throw new ValidationError(
        `the StorageClass is a Kubernetes object in the stack of the EKS cluster '${cluster.node.path}': the Kubernetes provider ` +
          `is configured from that cluster's outputs, so put it in a stack that depends on it (the platform stack).`,
        this,
      );
    }
    const autoMode = cluster.autoMode ?? false;
    const expected = autoMode ? EbsProvisioner.AUTO_MODE : EbsProvisioner.EBS_CSI_DRIVER;
    const provisioner = props.provisioner ?? expected;
    Validate.oneOf(this, 'provisioner', provisioner, Object.values(EbsProvisioner));
    if (provisioner !== expected) {
      throw new ValidationError(
        autoMode
          ? `'provisioner' ('${provisioner}') is the EBS CSI driver add-on's, but cluster ${cluster.clusterName} runs EKS Auto Mode, ` +
              `which has no such add-on and provisions EBS volumes as '${EbsProvisioner.AUTO_MODE}': claims of this class would stay Pending. ` +
              `Remove 'provisioner' (or set EbsProvisioner.AUTO_MODE).`
          : `'provisioner' ('${provisioner}') is EKS Auto Mode's, but cluster ${cluster.clusterName} does not run Auto Mode: nothing ` +
              `would provision the volumes. Remove 'provisioner' (or set EbsProvisioner.EBS_CSI_DRIVER), or turn on 'autoMode' on the cluster.`,
        this,
      );
    }
    if (!autoMode && cluster.ebsCsiDriverInstalled === false) {
      throw new ValidationError(
        `cluster ${cluster.clusterName} runs without the EBS CSI driver add-on ('ebsCsiDriver: false' or ` +
          `'ebsCsiDriverInstalled: false'), so nothing would provision the volumes of this StorageClass: install the add-on or drop the StorageClass.`,
        this,
      );
    }
    const name = props.name ?? 'ebs-gp3';
    Validate.k8sDnsSubdomain(this, 'name', name, { what: 'a StorageClass name' });
    if (props.defaultClass !== undefined) Validate.boolean(this, 'defaultClass', props.defaultClass);
    const volumeType = props.volumeType ?? EbsVolumeType.GP3;
    Validate.oneOf(this, 'volumeType', volumeType, Object.values(EbsVolumeType));
    const reclaim = props.reclaimPolicy ?? VolumeReclaimPolicy.RETAIN;
    Validate.oneOf(this, 'reclaimPolicy', reclaim, Object.values(VolumeReclaimPolicy));
    const fsType = props.fsType ?? 'ext4';
    Validate.oneOf(this, 'fsType', fsType, ['ext4', 'xfs']);
    let kmsKeyId: string | undefined;
    if (props.kmsKey !== undefined) {
      Validate.object(this, 'kmsKey', props.kmsKey);
      kmsKeyId = Validate.arn(this, 'kmsKey.keyArn', props.kmsKey.keyArn, {
        service: 'kms',
        resourcePrefix: 'key/',
      });
    }
    this.storageClassName = name;
    this.provisioner = provisioner;
    this.resource = new RawTerraformResource(this, 'Resource', 'kubernetes_storage_class_v1', 'kubernetes', {
      metadata: {
        name,
        labels: { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' },
        ...((props.defaultClass ?? true)
          ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }
          : {}),
      },
      storage_provisioner: provisioner,
      reclaim_policy: reclaim,
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: true,
      parameters: {
        type: volumeType,
        encrypted: 'true',
        'csi.storage.k8s.io/fstype': fsType,
        ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      },
    });
    this.node.defaultChild = this.resource;
  }
}
