import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../../core';

/** Per-unit storage throughput values of PERSISTENT_2 SSD file systems, MB/s per TiB. */
export const LUSTRE_THROUGHPUTS_MBPS_PER_TIB = [125, 250, 500, 1000] as const;

/** Lustre versions of PERSISTENT_2 file systems (FSx API `FileSystemTypeVersion`; 2.10 is Scratch / PERSISTENT_1 only). */
export const LUSTRE_PERSISTENT_2_VERSIONS = ['2.12', '2.15'] as const;

/**
 * The security-group rules of an FSx for Lustre file system used by EKS nodes, in both
 * directions (FSx LustreGuide, "File system access control with Amazon VPC"): clients reach the
 * file servers, and the servers call back their clients, whose security group is the cluster
 * security group on every node. Construct ids are the callers' Terraform addresses: keep them.
 */
export function addLustreSecurityRules(
  scope: Construct,
  o: {
    readonly fileSystemSecurityGroupId: string;
    readonly clusterSecurityGroupId: string;
    readonly vpcCidr: string;
    readonly ports: ReadonlyArray<readonly [number, number]>;
    /** How the callback rule describes the file system (`from <path>`). */
    readonly serversWhat: string;
  },
): void {
  const sg = o.fileSystemSecurityGroupId;
  const directions = [
    { id: 'LustreSelf', to: sg, from: sg, what: 'between file servers' },
    { id: 'LustreNodes', to: sg, from: o.clusterSecurityGroupId, what: 'from EKS nodes' },
    { id: 'LustreServersToNodes', to: o.clusterSecurityGroupId, from: sg, what: o.serversWhat },
  ];
  for (const [fromPort, toPort] of o.ports) {
    const name = fromPort === toPort ? `${fromPort}` : `${fromPort}-${toPort}`;
    for (const d of directions) {
      new VpcSecurityGroupIngressRule(scope, `${d.id}${name}`, {
        securityGroupId: d.to,
        referencedSecurityGroupId: d.from,
        ipProtocol: 'tcp',
        fromPort,
        toPort,
        description: `Lustre ${name} ${d.what}`,
      });
    }
  }
  new VpcSecurityGroupEgressRule(scope, 'LustreEgress', {
    securityGroupId: sg,
    ipProtocol: '-1',
    cidrIpv4: o.vpcCidr,
    description: 'Lustre replies within the VPC',
  });
}

/**
 * Checks the settings of a PERSISTENT_2 SSD file system: capacity 1200, 2400 or a multiple of
 * 2400 GiB, a per-unit throughput of {@link LUSTRE_THROUGHPUTS_MBPS_PER_TIB} and a Lustre
 * version of {@link LUSTRE_PERSISTENT_2_VERSIONS}. `prefix` is where the props sit (`lustre.`).
 */
export function validatePersistent2(
  scope: IConstruct,
  prefix: string,
  o: {
    readonly capacityGiB: number;
    readonly throughputMBpsPerTiB: number;
    readonly fileSystemTypeVersion: string;
  },
): void {
  const cap = o.capacityGiB;
  if (!Number.isInteger(cap) || !(cap === 1200 || (cap >= 2400 && cap % 2400 === 0))) {
    throw new ValidationError(
      `'${prefix}capacityGiB' (${cap}) must be 1200, 2400 or a multiple of 2400 for PERSISTENT_2 (for example ${Math.max(2400, Math.ceil((Number(cap) || 0) / 2400) * 2400)}).`,
      scope,
    );
  }
  const tp = o.throughputMBpsPerTiB;
  if (!(LUSTRE_THROUGHPUTS_MBPS_PER_TIB as readonly number[]).includes(tp)) {
    throw new ValidationError(
      `'${prefix}throughputMBpsPerTiB' (${tp}) must be one of ${LUSTRE_THROUGHPUTS_MBPS_PER_TIB.join(', ')} (PERSISTENT_2 SSD).`,
      scope,
    );
  }
  const version = o.fileSystemTypeVersion;
  if (!(LUSTRE_PERSISTENT_2_VERSIONS as readonly string[]).includes(version)) {
    throw new ValidationError(
      `'${prefix}fileSystemTypeVersion' ('${version}') must be one of ${LUSTRE_PERSISTENT_2_VERSIONS.join(', ')}: PERSISTENT_2 file systems do not run other Lustre versions.`,
      scope,
    );
  }
}
