import { ValidationError } from '../core';
import { AwsGpuInstanceType, efaTrainingInstanceTypeNames, supportsEfaLayout } from './instance-types';

/** The EFA device resource the EFA device plugin advertises. */
export const EFA_RESOURCE = 'vpc.amazonaws.com/efa';

/** `interface_type` of a launch-template network interface. */
export enum NetworkInterfaceType {
  /** A plain ENA interface with an IP address. */
  INTERFACE = 'interface',
  /** EFA with ENA: an EFA device that also has an IP address. */
  EFA = 'efa',
  /** EFA-only: an EFA device without an IP address (saves subnet IPs; VPC CNI >= 1.18.5). */
  EFA_ONLY = 'efa-only',
}

/** One network interface of an EFA launch template. */
export interface EfaInterfaceSpec {
  /** Network card index. */
  readonly networkCardIndex: number;
  /** Device index on that card. */
  readonly deviceIndex: number;
  /** Interface type. */
  readonly interfaceType: NetworkInterfaceType;
}

/**
 * The EFA network-interface layout AWS recommends for an instance type ("use case 1" of the
 * EC2 User Guide, *EFA configuration for P5 and P5e*): card 0 carries the primary ENA
 * `interface` at device 0 and an `efa-only` device at device 1; every other card carries one
 * `efa-only` device at device 0. The result is one EFA device per network card (32 on p5 /
 * p5e, 16 on p5en, 4 on p4d / p4de) and a single IP address per node, so GPU nodes do not
 * exhaust their subnet.
 *
 * The layout depends only on the instance type's network cards: a node group must not mix
 * instance types with different card counts under one launch template.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html
 * @throws ValidationError when the instance type has no catalogued EFA network cards
 */
export function efaInterfaceLayout(type: AwsGpuInstanceType): EfaInterfaceSpec[] {
  if (!supportsEfaLayout(type)) {
    throw new ValidationError(
      `'instanceType' ${type.name} has no EFA network-card layout in this library's catalogue (max EFA interfaces: ${type.maxEfaInterfaces}): ` +
        `use an EFA training shape (${efaTrainingInstanceTypeNames().join(', ')}) or set 'efa: false'.`,
    );
  }
  const cards = type.networkCards as number;
  const layout: EfaInterfaceSpec[] = [
    { networkCardIndex: 0, deviceIndex: 0, interfaceType: NetworkInterfaceType.INTERFACE },
    { networkCardIndex: 0, deviceIndex: 1, interfaceType: NetworkInterfaceType.EFA_ONLY },
  ];
  for (let card = 1; card < cards; card++) {
    layout.push({ networkCardIndex: card, deviceIndex: 0, interfaceType: NetworkInterfaceType.EFA_ONLY });
  }
  return layout;
}

/** EFA devices in a layout (what the EFA device plugin advertises as `vpc.amazonaws.com/efa`). */
export function efaDeviceCount(layout: readonly EfaInterfaceSpec[]): number {
  return layout.filter((i) => i.interfaceType !== NetworkInterfaceType.INTERFACE).length;
}
