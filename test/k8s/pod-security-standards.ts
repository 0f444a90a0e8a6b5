/**
 * A checker of rendered pod specs against the Pod Security Standards "restricted" profile
 * (which includes every "baseline" control), as the Pod Security admission controller applies
 * them. Rules from https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * (Kubernetes v1.33 rule set):
 *
 * Baseline
 *  - B1 HostProcess: `spec.securityContext.windowsOptions.hostProcess` and every container's
 *    must be unset or false.
 *  - B2 Host namespaces: `hostNetwork`, `hostPID`, `hostIPC` unset or false.
 *  - B3 Privileged containers: `securityContext.privileged` unset or false.
 *  - B4 Capabilities: `capabilities.add` only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID,
 *    KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT.
 *  - B5 HostPath volumes: none.
 *  - B6 Host ports: `ports[*].hostPort` unset or 0.
 *  - B7 AppArmor: `appArmorProfile.type` unset, RuntimeDefault or Localhost.
 *  - B8 SELinux: `seLinuxOptions.type` unset, "", container_t, container_init_t,
 *    container_kvm_t or container_engine_t; `user` and `role` unset.
 *  - B9 /proc mount type: `procMount` unset or Default.
 *  - B10 Seccomp: `seccompProfile.type` not Unconfined.
 *  - B11 Sysctls: only the safe set.
 * Restricted
 *  - R1 Volume types: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim,
 *    projected, secret only.
 *  - R2 Privilege escalation: every container sets `allowPrivilegeEscalation: false`.
 *  - R3 Running as non-root: `runAsNonRoot: true` on the pod, or on every container; no
 *    container sets false.
 *  - R4 Running as non-root user: `runAsUser` is not 0 on the pod or any container.
 *  - R5 Seccomp: `seccompProfile.type` RuntimeDefault or Localhost on the pod, or on every
 *    container.
 *  - R6 Capabilities: every container drops ALL and adds nothing but NET_BIND_SERVICE.
 *
 * Containers are `containers`, `initContainers` and `ephemeralContainers`.
 */

const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Options of {@link restrictedViolations}. */
export interface RestrictedCheckOptions {
  /** Added capabilities to tolerate (fabric pods: IPC_LOCK); everything else is still checked. */
  readonly allowCapabilities?: string[];
}

/** Returns the rules a pod spec (Kubernetes API shape) breaks, as `<rule id> <where>: <what>`. */
export function restrictedViolations(spec: any, options: RestrictedCheckOptions = {}): string[] {
  const v: string[] = [];
  const allowCaps = options.allowCapabilities ?? [];
  const pod = spec.securityContext ?? {};
  const containers: Array<[string, any]> = [
    ...(spec.containers ?? []).map((c: any) => [`containers[${c.name}]`, c]),
    ...(spec.initContainers ?? []).map((c: any) => [`initContainers[${c.name}]`, c]),
    ...(spec.ephemeralContainers ?? []).map((c: any) => [`ephemeralContainers[${c.name}]`, c]),
  ];
  if (containers.length === 0) {
    v.push('no containers: not a pod spec');
  }
  const sc = (c: any) => c.securityContext ?? {};

  // B1
  if (pod.windowsOptions?.hostProcess === true) v.push('B1 pod: windowsOptions.hostProcess');
  // B2
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) v.push(`B2 pod: ${f}`);
  }
  // B5, R1
  for (const vol of spec.volumes ?? []) {
    const types = Object.keys(vol).filter((k) => k !== 'name' && vol[k] !== undefined && vol[k] !== null);
    for (const t of types) {
      if (t === 'hostPath') v.push(`B5 volume ${vol.name}: hostPath`);
      else if (!RESTRICTED_VOLUME_TYPES.includes(t)) v.push(`R1 volume ${vol.name}: type ${t}`);
    }
  }
  // B7, B8, B10 (pod level)
  const checkShared = (where: string, s: any) => {
    if (s.appArmorProfile?.type && !['RuntimeDefault', 'Localhost'].includes(s.appArmorProfile.type))
      v.push(`B7 ${where}: appArmorProfile ${s.appArmorProfile.type}`);
    const se = s.seLinuxOptions;
    if (se) {
      if (se.type !== undefined && !SELINUX_TYPES.includes(se.type))
        v.push(`B8 ${where}: seLinuxOptions.type ${se.type}`);
      if (se.user !== undefined || se.role !== undefined) v.push(`B8 ${where}: seLinuxOptions.user/role`);
    }
    if (s.seccompProfile?.type === 'Unconfined') v.push(`B10 ${where}: seccompProfile Unconfined`);
    if (s.runAsUser === 0) v.push(`R4 ${where}: runAsUser 0`);
  };
  checkShared('pod', pod);
  // B11
  for (const s of pod.sysctls ?? []) {
    if (!SAFE_SYSCTLS.includes(s.name)) v.push(`B11 pod: sysctl ${s.name}`);
  }
  const podSeccompOk = ['RuntimeDefault', 'Localhost'].includes(pod.seccompProfile?.type);
  for (const [where, c] of containers) {
    const s = sc(c);
    if (s.windowsOptions?.hostProcess === true) v.push(`B1 ${where}: windowsOptions.hostProcess`);
    if (s.privileged === true) v.push(`B3 ${where}: privileged`);
    for (const p of c.ports ?? []) {
      if (p.hostPort) v.push(`B6 ${where}: hostPort ${p.hostPort}`);
    }
    if (s.procMount !== undefined && s.procMount !== 'Default')
      v.push(`B9 ${where}: procMount ${s.procMount}`);
    checkShared(where, s);
    const add: string[] = s.capabilities?.add ?? [];
    for (const cap of add) {
      if (allowCaps.includes(cap)) continue;
      if (!BASELINE_CAPABILITIES.includes(cap)) v.push(`B4 ${where}: adds ${cap}`);
      else if (cap !== 'NET_BIND_SERVICE') v.push(`R6 ${where}: adds ${cap}`);
    }
    if (!(s.capabilities?.drop ?? []).includes('ALL')) v.push(`R6 ${where}: does not drop ALL`);
    if (s.allowPrivilegeEscalation !== false) v.push(`R2 ${where}: allowPrivilegeEscalation not false`);
    if (s.runAsNonRoot === false || (pod.runAsNonRoot !== true && s.runAsNonRoot !== true))
      v.push(`R3 ${where}: runAsNonRoot not true`);
    const t = s.seccompProfile?.type;
    if (t !== undefined ? !['RuntimeDefault', 'Localhost'].includes(t) : !podSeccompOk)
      v.push(`R5 ${where}: seccompProfile not RuntimeDefault/Localhost`);
  }
  return v;
}

/** Blocks the kubernetes provider renders as lists whose API field is a plural. */
const PROVIDER_LISTS: Record<string, string> = {
  container: 'containers',
  initContainer: 'initContainers',
  ephemeralContainer: 'ephemeralContainers',
  volume: 'volumes',
  volumeMount: 'volumeMounts',
  port: 'ports',
  toleration: 'tolerations',
  sysctl: 'sysctls',
};
/** Single blocks a provider may render as a one-element list. */
const PROVIDER_SINGLE = [
  'securityContext',
  'capabilities',
  'seccompProfile',
  'seLinuxOptions',
  'windowsOptions',
  'appArmorProfile',
];

function camel(k: string): string {
  return k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Converts a pod spec in the kubernetes provider's Terraform JSON shape (`container`,
 * `security_context`, `run_as_user: "2000"`) into API shape for {@link restrictedViolations}.
 */
export function providerPodSpecToApi(x: any): any {
  if (Array.isArray(x)) return x.map(providerPodSpecToApi);
  if (x === null || typeof x !== 'object') return x;
  const out: any = {};
  for (const [k0, v0] of Object.entries(x)) {
    let k = camel(k0);
    let v: any = providerPodSpecToApi(v0);
    if (PROVIDER_SINGLE.includes(k) && Array.isArray(v)) v = v[0];
    if (PROVIDER_LISTS[k]) k = PROVIDER_LISTS[k];
    if ((k === 'runAsUser' || k === 'runAsGroup') && typeof v === 'string') v = Number(v);
    if (k === 'hostPort' && typeof v === 'string') v = Number(v);
    out[k] = v;
  }
  return out;
}

/** A pod template found in a synthesized stack: where it is and its spec in API shape. */
export interface FoundPodSpec {
  /** `<resource type>.<logical id>`. */
  readonly address: string;
  /** Namespace of the object holding the pod template. */
  readonly namespace?: string;
  /** Pod spec in API shape. */
  readonly spec: any;
}

/** Recursively finds objects that look like pod specs (`containers` with images) in API-shape JSON. */
function findApiPodSpecs(x: any, path: string, out: Array<{ path: string; spec: any }>): void {
  if (Array.isArray(x)) {
    x.forEach((e, i) => findApiPodSpecs(e, `${path}[${i}]`, out));
    return;
  }
  if (x === null || typeof x !== 'object') return;
  if (Array.isArray(x.containers) && x.containers.every((c: any) => typeof c?.image === 'string')) {
    out.push({ path, spec: x });
    return;
  }
  for (const [k, v] of Object.entries(x)) findApiPodSpecs(v, `${path}.${k}`, out);
}

/**
 * Every pod spec a synthesized stack emits: Deployments, Jobs, StatefulSets and DaemonSets of
 * the kubernetes provider, and pod templates inside `kubernetes_manifest` objects (JobSet,
 * LeaderWorkerSet, ...).
 */
export function podSpecsOf(json: any): FoundPodSpec[] {
  const found: FoundPodSpec[] = [];
  const resources = json.resource ?? {};
  for (const type of [
    'kubernetes_deployment_v1',
    'kubernetes_job_v1',
    'kubernetes_stateful_set_v1',
    'kubernetes_daemon_set_v1',
    'kubernetes_cron_job_v1',
    'kubernetes_pod_v1',
  ]) {
    for (const [id, r] of Object.entries<any>(resources[type] ?? {})) {
      const api = providerPodSpecToApi(r);
      const specs: Array<{ path: string; spec: any }> = [];
      findApiPodSpecs(api, '', specs);
      const namespace = api.metadata?.namespace;
      found.push(...specs.map((s) => ({ address: `${type}.${id}${s.path}`, namespace, spec: s.spec })));
    }
  }
  for (const [id, r] of Object.entries<any>(resources.kubernetes_manifest ?? {})) {
    const specs: Array<{ path: string; spec: any }> = [];
    findApiPodSpecs(r.manifest, '', specs);
    const namespace = r.manifest?.metadata?.namespace;
    found.push(
      ...specs.map((s) => ({ address: `kubernetes_manifest.${id}${s.path}`, namespace, spec: s.spec })),
    );
  }
  return found;
}

const LEVELS = ['restricted', 'baseline', 'privileged'];

/**
 * A named exception to "restricted" for one kind of pod: which pods it covers, which violations
 * (as {@link restrictedViolations} reports them, `<rule> <where>: <what>`) it tolerates in them,
 * and why. A covered pod is still checked against every other rule, and its namespace must admit
 * the level its violations put it at (baseline when only restricted rules are broken, else
 * privileged).
 */
export interface PodSecurityAllowance {
  /** A name for messages. */
  readonly name: string;
  /** Why these pods need it, with the source. */
  readonly reason: string;
  /** Whether the allowance covers a pod. */
  readonly covers: (pod: FoundPodSpec) => boolean;
  /** The violations tolerated in a covered pod. */
  readonly tolerates: readonly RegExp[];
}

/** Every container of a pod spec (API shape): containers, init containers and ephemeral containers. */
function allContainers(spec: any): any[] {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/** Whether a container of the pod requests (or limits) a resource whose name passes `test`. */
function requestsResource(spec: any, test: (name: string) => boolean): boolean {
  return allContainers(spec).some((c) =>
    [c.resources?.requests, c.resources?.limits].some((r) => Object.keys(r ?? {}).some(test)),
  );
}

/** Whether the pod mounts GKE GPUDirect volumes (lib/k8s/private/gke-gpudirect.ts names them `gpudirect-*`). */
function hasGpuDirectVolumes(spec: any): boolean {
  return (spec.volumes ?? []).some((v: any) => typeof v.name === 'string' && v.name.startsWith('gpudirect-'));
}

/**
 * Fabric pods may add `IPC_LOCK` (which makes them "privileged"): pods requesting EFA
 * (`vpc.amazonaws.com/efa`) or RDMA devices (`rdma/*`), and GKE GPUDirect pods (TCPX adds it to
 * the workload as Google's manifests do). NCCL over EFA and RDMA pins memory (lib/k8s/fabric.ts,
 * ServingFabric; AWS EKS user guide "node-efa"; gpudirect-tcpx/nccl-test-latest.yaml).
 */
export const FABRIC_IPC_LOCK: PodSecurityAllowance = {
  name: 'fabric IPC_LOCK',
  reason: 'NCCL over EFA, RDMA and GPUDirect-TCPX pins memory (IPC_LOCK)',
  covers: (pod) =>
    hasGpuDirectVolumes(pod.spec) ||
    requestsResource(pod.spec, (r) => r === 'vpc.amazonaws.com/efa' || r.startsWith('rdma/')),
  tolerates: [/^B4 [a-zA-Z]+\[[^\]]+\]: adds IPC_LOCK$/],
};

/**
 * GKE GPUDirect pods (TCPX, TCPXO, RDMA/gIB) mount the NCCL plugin's and the node's host paths
 * (`gpudirect-*` hostPath volumes) and, on A3 High / Mega, run Google's RxDM sidecar
 * (`tcpx-daemon`, `tcpxo-daemon`) as root with NET_ADMIN (and NET_BIND_SERVICE), as Google's
 * manifests do (reference gcp.md §5; lib/k8s/private/gke-gpudirect.ts). Everything else in the pod,
 * the workload container included, is still checked.
 */
export const GKE_GPUDIRECT: PodSecurityAllowance = {
  name: 'GKE GPUDirect',
  reason: "GPUDirect needs the plugin's host paths and the RxDM sidecar runs as root with NET_ADMIN",
  covers: (pod) => hasGpuDirectVolumes(pod.spec),
  tolerates: [/^B5 volume gpudirect-[a-z-]+: hostPath$/, /^[BR]\d+ initContainers\[tcpxo?-daemon\]: /],
};

/** The allowances {@link checkPodsOfStacks} applies unless given others. */
export const DEFAULT_POD_SECURITY_ALLOWANCES: readonly PodSecurityAllowance[] = [
  FABRIC_IPC_LOCK,
  GKE_GPUDIRECT,
];

/** The Pod Security level a pod's violations put it at. */
function levelOf(violations: readonly string[]): string {
  if (violations.length === 0) return 'restricted';
  return violations.every((v) => v.startsWith('R')) ? 'baseline' : 'privileged';
}

/**
 * Checks every pod the given stacks emit: each meets "restricted" but for the violations an
 * allowance covering it tolerates (by default {@link DEFAULT_POD_SECURITY_ALLOWANCES}: fabric pods
 * may add IPC_LOCK, GKE GPUDirect pods their host paths and RxDM sidecar), and each runs in a
 * namespace, declared in one of the stacks, whose `pod-security.kubernetes.io/enforce` label
 * admits the pod's level. Returns the problems found, and how many pods were checked.
 */
export function checkPodsOfStacks(
  jsons: any[],
  allowances: readonly PodSecurityAllowance[] = DEFAULT_POD_SECURITY_ALLOWANCES,
): { pods: number; problems: string[] } {
  const enforce = new Map<string, string | undefined>();
  for (const json of jsons) {
    for (const ns of Object.values<any>(json.resource?.kubernetes_namespace_v1 ?? {})) {
      enforce.set(ns.metadata.name, ns.metadata.labels?.['pod-security.kubernetes.io/enforce']);
    }
  }
  const problems: string[] = [];
  let pods = 0;
  for (const json of jsons) {
    for (const pod of podSpecsOf(json)) {
      pods++;
      const violations = restrictedViolations(pod.spec);
      const level = levelOf(violations);
      const covering = allowances.filter((a) => a.covers(pod));
      problems.push(
        ...violations
          .filter((v) => !covering.some((a) => a.tolerates.some((t) => t.test(v))))
          .map((v) => `${pod.address}: ${v}`),
      );
      const ns = pod.namespace ?? 'default';
      if (!enforce.has(ns)) {
        problems.push(`${pod.address}: namespace '${ns}' is not declared in these stacks`);
        continue;
      }
      const label = enforce.get(ns);
      if (!label) {
        problems.push(`${pod.address}: namespace '${ns}' has no pod-security.kubernetes.io/enforce label`);
      } else if (LEVELS.indexOf(label) < LEVELS.indexOf(level)) {
        problems.push(`${pod.address}: a ${level} pod in namespace '${ns}' enforcing ${label}`);
      }
    }
  }
  return { pods, problems };
}
