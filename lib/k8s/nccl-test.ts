import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { MpiJob, MpiJobProps } from './mpi-job';
import { PodSecurityLevel } from './pod-security';
import { assertInteger, nameFromId } from './private/common';

/** Properties of an {@link NcclTest}. */
export interface NcclTestProps extends Omit<
  MpiJobProps,
  'command' | 'backoffLimit' | 'activeDeadlineSeconds' | 'image'
> {
  /**
   * An image with nccl-tests built with MPI (`make MPI=1`) on an MPI Operator base image (for
   * example `FROM mpioperator/openmpi` plus CUDA, NCCL and the fabric's plugin: aws-ofi-nccl on
   * EFA), with a pinned tag or digest. The binary is looked up as `binary`.
   */
  readonly image: string;
  /**
   * Path (or name on `PATH`) of the all-reduce binary in the image.
   * @default 'all_reduce_perf'
   */
  readonly binary?: string;
  /**
   * The acceptance threshold: the job fails when all_reduce_perf's "Avg bus bandwidth" (GB/s,
   * averaged over the message sizes from `minBytes` to `maxBytes`) is below it. Take it from your
   * instance type's published results, or from a run on a cluster you trust.
   */
  readonly minBusBandwidthGBps: number;
  /**
   * Smallest message size (`-b`).
   * @default '1G'
   */
  readonly minBytes?: string;
  /**
   * Largest message size (`-e`); sizes double in between (`-f 2`).
   * @default '8G'
   */
  readonly maxBytes?: string;
  /**
   * Timed iterations per size (`-n`).
   * @default 20
   */
  readonly iterations?: number;
  /**
   * Seconds before the test is failed.
   * @default 1800
   */
  readonly timeoutSeconds?: number;
}

const SIZE = /^[1-9][0-9]*[KMG]?$/;

/**
 * An NCCL all-reduce acceptance test for a new cluster or node pool: nccl-tests'
 * `all_reduce_perf` over `workers` nodes (one rank per GPU) as an {@link MpiJob}, with the same
 * fabric wiring as training. The launcher checks the results (`-c 1`) and fails the job when the
 * average bus bandwidth is below `minBusBandwidthGBps` (passed as `NCCL_MIN_BUSBW_GBPS`), so a
 * broken or misconfigured fabric (no EFA/RDMA, TCP fallback) fails instead of passing slowly.
 *
 * @see https://github.com/NVIDIA/nccl-tests/blob/master/doc/PERFORMANCE.md
 * @example
 * new NcclTest(workloads, 'AcceptP5', {
 *   image: 'registry.example.com/nccl-tests:2.27.7-efa', workers: 2, gpusPerWorker: 8,
 *   accelerator: Accelerator.H100, minBusBandwidthGBps: 300,
 *   extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32 },
 * });
 */
export class NcclTest extends Construct {
  /** The MPIJob running the test. */
  public readonly job: MpiJob;
  /** The Pod Security level the pods meet (see {@link MpiJob.podSecurityLevel}). */
  public readonly podSecurityLevel: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: NcclTestProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const min = Validate.number(this, 'minBusBandwidthGBps', props.minBusBandwidthGBps);
    if (!(min > 0) || !(min <= 10000)) {
      throw new ValidationError(
        `'minBusBandwidthGBps' must be a number of GB/s above 0 and at most 10000, got ${min}: take it from a run on a cluster you trust or a fraction of the per-node network bandwidth.`,
        this,
      );
    }
    const binary = props.binary ?? 'all_reduce_perf';
    Validate.string(this, 'binary', binary);
    if (!/^[A-Za-z0-9_./-]+$/.test(binary)) {
      throw new ValidationError(
        `'binary' ('${binary}') must be a plain path such as '/opt/nccl-tests/build/all_reduce_perf'.`,
        this,
      );
    }
    const sizes = { minBytes: props.minBytes ?? '1G', maxBytes: props.maxBytes ?? '8G' };
    for (const [prop, v] of Object.entries(sizes)) {
      Validate.string(this, prop, v);
      if (!SIZE.test(v)) {
        throw new ValidationError(
          `'${prop}' ('${v}') must be a size nccl-tests reads, such as '512M', '1G' or '8G'.`,
          this,
        );
      }
    }
    const iterations = props.iterations ?? 20;
    assertInteger(this, 'iterations', iterations, 1, 10000);
    const timeout = props.timeoutSeconds ?? 1800;
    assertInteger(this, 'timeoutSeconds', timeout, 60);
    assertInteger(this, 'workers', props.workers, 1, 9999);
    assertInteger(this, 'gpusPerWorker', props.gpusPerWorker, 1, 16);
    const userEnv = props.env ?? {};
    Validate.stringMap(this, 'env', userEnv);
    for (const k of Object.keys(userEnv)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
        throw new ValidationError(
          `'env' key '${k}' must be a shell variable name (it is forwarded with mpirun -x).`,
          this,
        );
      }
    }
    const ranks = props.workers * props.gpusPerWorker;
    const forward = ['PATH', 'LD_LIBRARY_PATH', ...Object.keys(userEnv)].map((k) => `-x ${k}`).join(' ');
    // One rank per GPU (-g 1), correctness check on (-c 1); the log is kept so the result is
    // read from it, then the average bus bandwidth is compared with the threshold.
    const script = [
      `mpirun -np ${ranks} -bind-to none ${forward} ${binary} -b ${sizes.minBytes} -e ${sizes.maxBytes} -f 2 -g 1 -c 1 -n ${iterations} > /tmp/nccl.log 2>&1`,
      'rc=$?',
      'cat /tmp/nccl.log',
      'if [ "$rc" -ne 0 ]; then echo "FAIL: all_reduce_perf exited with $rc"; exit "$rc"; fi',
      `bw=$(awk '/Avg bus bandwidth/ { print $NF }' /tmp/nccl.log)`,
      `awk -v bw="$bw" -v min="$NCCL_MIN_BUSBW_GBPS" 'BEGIN { if (bw == "" || bw + 0 < min + 0) { printf "FAIL: average bus bandwidth %s GB/s, below %s GB/s\\n", bw, min; exit 1 } printf "PASS: average bus bandwidth %s GB/s (minimum %s GB/s)\\n", bw, min }'`,
    ].join('\n');
    this.job = new MpiJob(this, 'Job', {
      ...props,
      name: props.name ?? nameFromId(id),
      command: ['/bin/sh', '-c', script],
      env: { ...userEnv, NCCL_MIN_BUSBW_GBPS: String(min) },
      backoffLimit: 0,
      activeDeadlineSeconds: timeout,
    });
    this.podSecurityLevel = this.job.podSecurityLevel;
    this.node.defaultChild = this.job;
  }
}
