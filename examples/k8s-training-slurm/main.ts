/**
 * k8s-training-slurm: the k8s-training cluster run as a Slurm cluster for researchers who submit
 * with `sbatch`, on the Slinky slurm-operator.
 *
 * - `k8s-training-slurm-platform`: kube-prometheus-stack, the GPU Operator (plain on-prem OS
 *   image: it installs driver and toolkit) and the slurm-operator with its CRDs (v1.2.1). No
 *   JobSet, Kueue or KEDA: Slurm schedules the GPUs.
 * - `k8s-training-slurm-workloads`: the `research` Slurm cluster: slurmctld with its state on a
 *   protected claim and its metrics scraped, two login pods behind a ClusterIP Service
 *   (administrators' keys, site users through the site's sssd.conf), accounting in the site's
 *   MariaDB, and a 4 x 8 H100 NodeSet on the InfiniBand nodes whose GPUs register as
 *   `gpu:h100:8`, with the `checkpoints` claim mounted on every node and login pod.
 *
 * Before the first apply, in namespace `research`: the Secrets `research-auth` (keys
 * `slurm.key`, `jwt.key`), `research-sssd` (key `sssd.conf`) and `slurm-db` (key `password`), and
 * the `checkpoints` ReadWriteMany claim; in `monitoring`: `smtp` and `grafana-admin`.
 */
import { App, TerraformStack } from 'cdktf';
import { Accelerator } from '../../lib/core';
import { GpuNodeImage, GpuPlatform, MonitoringStack, SlurmCluster, SlurmOperator } from '../../lib/k8s';
import { KubeconfigStack } from '../shared/cluster-stacks';

/** RDMA devices per node as the cluster's RDMA shared-device plugin advertises them. */
const RDMA_RESOURCE = 'rdma/ib';

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  const platform = new KubeconfigStack(app, 'k8s-training-slurm-platform');
  const monitoring = new MonitoringStack(platform, 'Monitoring', {
    receivers: {
      email: {
        to: ['ml-oncall@example.com'],
        from: 'alertmanager@example.com',
        smarthost: 'smtp.example.com:587',
        username: 'alertmanager',
        passwordSecret: { name: 'smtp', key: 'password' },
      },
    },
    grafanaAdminSecret: { name: 'grafana-admin' },
    prometheusStorageGiB: 200,
  });
  new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.NO_GPU_SOFTWARE,
    monitoring,
    keda: false,
    jobSet: false,
    kueue: false,
  });
  const operator = new SlurmOperator(platform, 'Slurm', { watchNamespaces: ['research'] });

  const workloads = new KubeconfigStack(app, 'k8s-training-slurm-workloads');
  const research = new SlurmCluster(workloads, 'Research', {
    operator,
    monitoring,
    namespace: 'research',
    authKeys: {
      slurmKey: { name: 'research-auth', key: 'slurm.key' },
      jwtKey: { name: 'research-auth', key: 'jwt.key' },
    },
    stateStorage: { sizeGiB: 16 },
    login: {
      replicas: 2,
      rootAuthorizedKeys: [
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm1Kq7Lhv0exampleAdminKey platform-admin@example.com',
      ],
      sssdConf: { name: 'research-sssd', key: 'sssd.conf' },
    },
    accounting: {
      host: 'mariadb.databases.svc.cluster.local',
      username: 'slurm',
      passwordSecret: { name: 'slurm-db', key: 'password' },
    },
    sharedVolume: { claimName: 'checkpoints' },
    slurmConf: { SchedulerParameters: 'bf_continue' },
  });
  research.addNodeSet('H100', {
    accelerator: Accelerator.H100,
    replicas: 4,
    gpusPerNode: 8,
    defaultPartition: true,
    extraResourcesPerNode: { [RDMA_RESOURCE]: 8 },
  });
  return [platform, workloads];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
