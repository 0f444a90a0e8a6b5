import { TerraformStack } from 'cdktf';
import { Accelerator, ValidationError } from '../../lib/core';
import { SlurmCluster, SlurmNodeSetOptions, SlurmOperator } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const H100: SlurmNodeSetOptions = { accelerator: Accelerator.H100, replicas: 2, gpusPerNode: 8 };

function twoClusters(second: { namespace?: string; name?: string } = {}) {
  const { app, platform, workloads } = platformAndWorkloads();
  const operator = new SlurmOperator(platform, 'Slurm', { watchNamespaces: ['slurm', 'slurm-b'] });
  const a = new SlurmCluster(workloads, 'Research', { operator });
  const b = new SlurmCluster(workloads, 'Production', { operator, ...second });
  return { app, workloads, operator, a, b };
}

describe('SlurmClusters sharing a namespace', () => {
  test('refuses a NodeSet short name another cluster in the same namespace and stack uses (its host names)', () => {
    const { a, b } = twoClusters();
    a.addNodeSet('H100', H100);
    let n = 0;
    const add = () => b.addNodeSet(`Gpu${n++}`, { ...H100, name: 'h100' });
    expect(add).toThrow(ValidationError);
    expect(add).toThrow(
      /a NodeSet named 'h100' already exists in SlurmCluster 'workloads\/Research', in the same namespace 'slurm'.*'h100-0', 'h100-1'/,
    );
  });

  test('accepts the same NodeSet name under distinct names, in another namespace, or in another stack', () => {
    const { a, b } = twoClusters();
    a.addNodeSet('H100', H100);
    expect(() => b.addNodeSet('H100', { ...H100, name: 'prod-h100' })).not.toThrow();
    const other = twoClusters({ namespace: 'slurm-b' });
    other.a.addNodeSet('H100', H100);
    expect(() => other.b.addNodeSet('H100', H100)).not.toThrow();
    const { app, operator, workloads } = twoClusters();
    const elsewhere = new TerraformStack(app, 'elsewhere');
    new SlurmCluster(workloads, 'Third', { operator }).addNodeSet('L40S', {
      ...H100,
      accelerator: Accelerator.L40S,
    });
    expect(() =>
      new SlurmCluster(elsewhere, 'Third', { operator }).addNodeSet('L40S', {
        ...H100,
        accelerator: Accelerator.L40S,
      }),
    ).not.toThrow();
  });

  test('refuses two clusters of the same name in one namespace and stack', () => {
    const make = () => twoClusters({ name: 'research' });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(
      /SlurmCluster 'workloads\/Research' already has the name 'research' in namespace 'slurm'/,
    );
  });

  test('keeps the single-cluster host names unchanged (<nodeset>-<i>)', () => {
    const { a, workloads } = twoClusters({ namespace: 'slurm-b' });
    a.addNodeSet('H100', H100);
    const nodeSet = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest'))
      .map((m: any) => m.manifest)
      .find((m: any) => m.kind === 'NodeSet');
    expect(nodeSet.metadata.name).toBe('research-h100');
    expect(nodeSet.spec.template.spec.hostname).toBe('h100-');
  });
});
