import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ValidationError } from '../../lib/core';
import {
  GatewayExposure,
  GatewayExposureKind,
  MpiJob,
  MpiJobProps,
  ServingFabric,
  TrainingJob,
  TrainingJobProps,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const TRAINING: TrainingJobProps = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 2,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 's3://ckpt/llama/' },
};

const MPI: MpiJobProps = {
  image: 'nvcr.io/nvidia/pytorch:25.11-py3',
  command: ['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py'],
  workers: 2,
  gpusPerWorker: 8,
  accelerator: Accelerator.H100,
};

const EFA_AND_HUGE_PAGES = { 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' };

function scope(): Construct {
  return new Construct(Testing.app(), 'Scope');
}

describe('GatewayExposure.awsInternalNlb on EKS Auto Mode', () => {
  test('carries only the scheme and target-type annotations Auto Mode supports', () => {
    const e = GatewayExposure.awsInternalNlb({ eksAutoMode: true });
    expect(e.kind).toBe(GatewayExposureKind.INTERNAL_LOAD_BALANCER);
    expect(e.serviceAnnotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    });
  });

  test('defaults to the AWS Load Balancer Controller form (eksAutoMode false)', () => {
    expect(GatewayExposure.awsInternalNlb().serviceAnnotations).toEqual(
      GatewayExposure.awsInternalNlb({ eksAutoMode: false }).serviceAnnotations,
    );
    expect(GatewayExposure.awsInternalNlb().serviceAnnotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
  });

  test.each([true, false])('throws when awsLoadBalancerController (%s) is set with eksAutoMode', (lbc) => {
    const make = () => GatewayExposure.awsInternalNlb({ eksAutoMode: true, awsLoadBalancerController: lbc });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(/'awsLoadBalancerController' is set with 'eksAutoMode'/);
  });

  test('throws on a non-boolean eksAutoMode', () => {
    expect(() => GatewayExposure.awsInternalNlb({ eksAutoMode: 'yes' as unknown as boolean })).toThrow(
      /'eksAutoMode'/,
    );
  });
});

describe('huge pages on EKS Auto Mode nodes', () => {
  test('ServingFabric.efa requests no huge pages with eksAutoMode', () => {
    expect(
      ServingFabric.efa({ devicesPerNode: 32, eksAutoMode: true }).podSettings(scope()).resources,
    ).toEqual({
      'vpc.amazonaws.com/efa': '32',
    });
  });

  test('ServingFabric.efa keeps its 5210 MiB default without eksAutoMode', () => {
    expect(ServingFabric.efa({ devicesPerNode: 32 }).podSettings(scope()).resources['hugepages-2Mi']).toBe(
      '5210Mi',
    );
  });

  test('ServingFabric.efa refuses hugePages2MiB with eksAutoMode', () => {
    const settings = () =>
      ServingFabric.efa({ devicesPerNode: 32, hugePages2MiB: 5210, eksAutoMode: true }).podSettings(scope());
    expect(settings).toThrow(ValidationError);
    expect(settings).toThrow(/'fabric.hugePages2MiB' requests 'hugepages-2Mi' on EKS Auto Mode nodes/);
  });

  test('ServingFabric.efa throws on a non-boolean eksAutoMode', () => {
    const settings = () =>
      ServingFabric.efa({ devicesPerNode: 32, eksAutoMode: 1 as unknown as boolean }).podSettings(scope());
    expect(settings).toThrow(/'fabric.eksAutoMode'/);
  });

  test('TrainingJob refuses huge pages with eksAutoMode', () => {
    const make = () =>
      new TrainingJob(platformAndWorkloads().workloads, 'Job', {
        ...TRAINING,
        eksAutoMode: true,
        extraResourcesPerNode: EFA_AND_HUGE_PAGES,
      });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(/'extraResourcesPerNode' requests 'hugepages-2Mi' on EKS Auto Mode nodes/);
  });

  test('TrainingJob takes the EFA request alone with eksAutoMode, and huge pages without it', () => {
    const { workloads } = platformAndWorkloads();
    new TrainingJob(workloads, 'Auto', {
      ...TRAINING,
      eksAutoMode: true,
      extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 },
    });
    new TrainingJob(workloads, 'Managed', { ...TRAINING, extraResourcesPerNode: EFA_AND_HUGE_PAGES });
    const limits = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest')).map(
      (m: any) =>
        m.manifest.spec.replicatedJobs[0].template.spec.template.spec.containers[0].resources.limits,
    );
    expect(limits[0]).not.toHaveProperty('hugepages-2Mi');
    expect(limits[0]['vpc.amazonaws.com/efa']).toBe('32');
    expect(limits[1]['hugepages-2Mi']).toBe('5120Mi');
  });

  test('TrainingJob throws on a non-boolean eksAutoMode', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () => new TrainingJob(workloads, 'Job', { ...TRAINING, eksAutoMode: 'no' as unknown as boolean }),
    ).toThrow(/'eksAutoMode'/);
  });

  test('MpiJob refuses huge pages with eksAutoMode', () => {
    const make = () =>
      new MpiJob(platformAndWorkloads().workloads, 'Job', {
        ...MPI,
        eksAutoMode: true,
        extraResourcesPerWorker: { 'hugepages-1Gi': '2Gi' },
      });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(/'extraResourcesPerWorker' requests 'hugepages-1Gi' on EKS Auto Mode nodes/);
  });

  test('MpiJob accepts EFA alone with eksAutoMode', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () =>
        new MpiJob(workloads, 'Job', {
          ...MPI,
          eksAutoMode: true,
          extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32 },
        }),
    ).not.toThrow();
  });
});
