import { IConstruct } from 'constructs';
import { NVIDIA_GPU_RESOURCE, Validate, ValidationError, Warnings } from '../../core';
import { PodSecurityLevel } from '../pod-security';
import { PreflightChecks, PreflightDcgm, PreflightDcgmMode } from '../preflight';
import { REMEDIATION_IMAGES, imageRef } from '../versions';
import { sourceEnvScript } from './gke-gpudirect';
import { ApiContainer, ApiContainerSecurityContext, ApiPodSpec } from './gpu-pod';

/** What the preflight adds to a pod. */
export interface PreflightResult {
  /** The pod spec with the preflight init containers after the existing ones. */
  readonly spec: ApiPodSpec;
  /** The Pod Security level the pod meets with them. */
  readonly podSecurityLevel: PodSecurityLevel;
}

const ORDER = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];

/** The NCCL init check, run under torchrun with one process per GPU (`LOCAL_RANK`). */
function ncclInitProgram(timeoutSeconds: number): string {
  return [
    'import datetime, os, torch, torch.distributed as dist',
    'torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))',
    `dist.init_process_group("nccl", timeout=datetime.timedelta(seconds=${timeoutSeconds}))`,
    't = torch.ones(1, device="cuda")',
    'dist.all_reduce(t)',
    'assert int(t.item()) == dist.get_world_size(), f"all-reduce gave {t.item()}, expected {dist.get_world_size()}"',
    'dist.destroy_process_group()',
  ].join('; ');
}

/**
 * Adds the preflight init containers to a training pod: the DCGM diagnostic first (cheap, local),
 * then the NCCL init check (needs the whole gang). `main` is the pod's trainer container; the NCCL
 * check copies its image, resources, devices, mounts and environment (torchrun reads `PET_*`) and
 * rendezvous on `rendezvousPort`, one above the trainer's, so the trainer's port is free when it
 * starts.
 */
export function addPreflight(
  scope: IConstruct,
  checks: PreflightChecks,
  spec: ApiPodSpec,
  podSecurityLevel: PodSecurityLevel,
  opts: {
    readonly rendezvousPort?: number;
    readonly nccl: boolean;
    /** A script the NCCL check sources first, as the trainer does (gIB's `set_nccl_env.sh`). */
    readonly envScript?: string;
  },
): PreflightResult {
  Validate.object(scope, 'preflight', checks);
  const timeout = checks.timeoutSeconds ?? 600;
  Validate.integer(scope, 'preflight.timeoutSeconds', timeout, { min: 30, max: 86400 });
  const nccl =
    checks.ncclInit === undefined
      ? opts.nccl
      : Validate.boolean(scope, 'preflight.ncclInit', checks.ncclInit);
  if (checks.dcgm !== undefined && !(checks.dcgm instanceof PreflightDcgm)) {
    throw new ValidationError(
      `'preflight.dcgm' must be PreflightDcgm.hostEngine(platform) or PreflightDcgm.inPod().`,
      scope,
      'type',
    );
  }
  if (!checks.dcgm && !nccl) {
    throw new ValidationError(
      `'preflight' runs nothing: give 'dcgm' (PreflightDcgm.hostEngine(platform) or PreflightDcgm.inPod()) or leave 'ncclInit' on, or drop 'preflight'.`,
      scope,
    );
  }
  if (nccl && !opts.nccl) {
    throw new ValidationError(
      `'preflight.ncclInit' is not available in an MpiJob: the NCCL init check runs under torchrun in a TrainingJob ` +
        `(an MpiJob's own mpirun exercises the fabric; accept a new fabric with NcclTest). Drop ncclInit.`,
      scope,
    );
  }
  const main = spec.containers[0];
  const gpus = main.resources.limits[NVIDIA_GPU_RESOURCE];
  const home = main.env.filter((e) => e.name === 'HOME' || e.name === 'USER');
  const writable = main.volumeMounts.filter((m) => m.mountPath !== '/dev/shm');
  const added: ApiContainer[] = [];
  let level = podSecurityLevel;

  const dcgm = checks.dcgm;
  if (dcgm?.mode === PreflightDcgmMode.HOST_ENGINE) {
    const address = dcgm.platform?.dcgmHostEngineAddress;
    if (!address) {
      throw new ValidationError(
        `'preflight.dcgm' uses the host engine of '${dcgm.platform?.node.path}', which runs none: create that GpuPlatform with ` +
          `management: GpuManagement.GPU_OPERATOR and standaloneDcgm: true, or use PreflightDcgm.inPod().`,
        scope,
      );
    }
    // `--host` takes the address without the port when the host engine listens on DCGM's default 5555.
    const host = address.endsWith(':5555') ? address.slice(0, -':5555'.length) : address;
    added.push({
      name: 'preflight-dcgm-diag',
      image: imageRef(REMEDIATION_IMAGES.dcgm),
      command: ['dcgmi', 'diag', '--run', '1', '--timeout', String(timeout), '--host', host],
      env: home,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      volumeMounts: writable,
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: spec.securityContext.runAsNonRoot,
      },
    });
  } else if (dcgm?.mode === PreflightDcgmMode.IN_POD) {
    const securityContext: ApiContainerSecurityContext & { readonly runAsUser: number } = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
      readOnlyRootFilesystem: false,
      runAsNonRoot: false,
      runAsUser: 0,
    };
    added.push({
      name: 'preflight-dcgm-diag',
      image: imageRef(REMEDIATION_IMAGES.dcgm),
      command: [
        'sh',
        '-c',
        // A host engine in the pod's network namespace (127.0.0.1:5555), stopped whatever the result.
        `nv-hostengine && dcgmi diag --run 1 --timeout ${timeout}; rc=$?; nv-hostengine --term; exit $rc`,
      ],
      env: [],
      resources: {
        requests: { cpu: '1', memory: '1Gi', [NVIDIA_GPU_RESOURCE]: gpus },
        limits: { memory: '2Gi', [NVIDIA_GPU_RESOURCE]: gpus },
      },
      volumeMounts: [],
      securityContext,
    });
    level = PodSecurityLevel.PRIVILEGED;
    Warnings.add(
      scope,
      'k8s-preflight-dcgm-privileged',
      `'preflight.dcgm' is PreflightDcgm.inPod(): its init container runs DCGM's host engine as root with SYS_ADMIN, so the pod ` +
        `needs a namespace that admits privileged pods. Prefer PreflightDcgm.hostEngine(platform) with a GpuPlatform that has standaloneDcgm.`,
    );
  }

  if (nccl) {
    const port = opts.rendezvousPort ?? 29500;
    if (port + 1 > 65535) {
      throw new ValidationError(
        `the NCCL init check rendezvous on 'masterPort' + 1, but 'masterPort' is ${port}: use a masterPort below 65535.`,
        scope,
      );
    }
    added.push({
      ...main,
      name: 'preflight-nccl-init',
      // torchrun takes --nnodes, --nproc-per-node, --node-rank and the master address and port
      // from the pod's PET_* variables, as the trainer does.
      command: ((c: string[]) => (opts.envScript ? sourceEnvScript(opts.envScript, c) : c))([
        'torchrun',
        '--no-python',
        'python3',
        '-c',
        ncclInitProgram(timeout),
      ]),
      args: undefined,
      env: [
        ...main.env.filter((e) => e.name !== 'PET_MASTER_PORT'),
        { name: 'PET_MASTER_PORT', value: String(port + 1) },
      ],
      ports: undefined,
      startupProbe: undefined,
      readinessProbe: undefined,
      livenessProbe: undefined,
      lifecycle: undefined,
    });
  }
  const clean = added.map((c) => JSON.parse(JSON.stringify(c)) as ApiContainer);
  const result: ApiPodSpec = { ...spec, initContainers: [...(spec.initContainers ?? []), ...clean] };
  return {
    spec: result,
    podSecurityLevel: ORDER[Math.max(ORDER.indexOf(level), ORDER.indexOf(podSecurityLevel))],
  };
}
