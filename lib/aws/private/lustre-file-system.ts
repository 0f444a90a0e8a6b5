import { FsxLustreFileSystem } from '@cdktf/provider-aws/lib/fsx-lustre-file-system';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import type { IEksCluster, NetworkSubnet } from '../interfaces';
import { addLustreSecurityRules } from './lustre-rules';
import { addLustreCost } from './service-prices';

/** What {@link addPersistent2FileSystem} creates; the construct ids are the callers' addresses. */
export interface Persistent2FileSystemOptions {
  /** Construct id of the file system's security group. */
  readonly securityGroupId: string;
  /** Construct id of the file system. */
  readonly fileSystemId: string;
  /** What the security group's description calls the file system (`FSx for Lustre <path>`). */
  readonly what: string;
  /** How the servers-to-nodes rule describes the file system (`from <path>`). */
  readonly serversWhat: string;
  /** The cluster whose nodes mount it (its network, its security group, its FSx CSI driver). */
  readonly cluster: IEksCluster;
  /** The one subnet of the file system. */
  readonly subnet: NetworkSubnet;
  /** TCP port ranges Lustre uses. */
  readonly ports: ReadonlyArray<readonly [number, number]>;
  /** Storage capacity, GiB (validated by `validatePersistent2`). */
  readonly capacityGiB: number;
  /** Per-unit storage throughput, MB/s per TiB. */
  readonly throughputMBpsPerTiB: number;
  /** Lustre version. */
  readonly fileSystemTypeVersion: string;
  /** ARN of the KMS key the data is encrypted with. */
  readonly kmsKeyId: string;
  /** `lifecycle.prevent_destroy` of the file system. */
  readonly protectFromDestroy: boolean;
}

/**
 * A PERSISTENT_2 SSD FSx for Lustre file system for the nodes of an EKS cluster, as the
 * checkpoint store and the weight cache define it: its security group (`<path>/lustre`) with the
 * Lustre rules in both directions, the LZ4-compressed, KMS-encrypted file system in one subnet,
 * its cost line, and the cluster's FSx CSI driver.
 */
export function addPersistent2FileSystem(
  scope: Construct,
  o: Persistent2FileSystemOptions,
): { readonly securityGroup: SecurityGroup; readonly fileSystem: FsxLustreFileSystem } {
  const securityGroup = new SecurityGroup(scope, o.securityGroupId, {
    vpcId: o.cluster.network.vpcId,
    description: `${o.what}: ports 988 and 1018-1023`,
    tags: { Name: `${scope.node.path}/lustre` },
  });
  const sgId = securityGroup.id; // read once: each attribute read creates a cdktf token
  addLustreSecurityRules(scope, {
    fileSystemSecurityGroupId: sgId,
    clusterSecurityGroupId: o.cluster.clusterSecurityGroupId,
    vpcCidr: o.cluster.network.vpcCidr,
    ports: o.ports,
    serversWhat: o.serversWhat,
  });
  const fileSystem = new FsxLustreFileSystem(scope, o.fileSystemId, {
    deploymentType: 'PERSISTENT_2',
    storageType: 'SSD',
    storageCapacity: o.capacityGiB,
    perUnitStorageThroughput: o.throughputMBpsPerTiB,
    subnetIds: [o.subnet.subnetId],
    securityGroupIds: [sgId],
    dataCompressionType: 'LZ4',
    fileSystemTypeVersion: o.fileSystemTypeVersion,
    kmsKeyId: o.kmsKeyId,
    tags: { Name: scope.node.path },
    lifecycle: { preventDestroy: o.protectFromDestroy },
  });
  addLustreCost(fileSystem, o.capacityGiB, o.throughputMBpsPerTiB);
  o.cluster.enableFsxCsiDriver();
  return { securityGroup, fileSystem };
}
