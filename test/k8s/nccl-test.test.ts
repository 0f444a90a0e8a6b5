import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Accelerator, ValidationError } from '../../lib/core';
import { NcclTest, NcclTestProps, PodSecurityLevel } from '../../lib/k8s';
import { validateKubernetesObject } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const TEST: NcclTestProps = {
  image: 'registry.example.com/nccl-tests:2.27.7-efa',
  workers: 2,
  gpusPerWorker: 8,
  accelerator: Accelerator.H100,
  minBusBandwidthGBps: 300,
  extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32 },
};

function nccl(props: Partial<NcclTestProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const test = new NcclTest(workloads, 'AcceptP5', { ...TEST, ...props });
  const [res] = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest')) as any[];
  const m = res.manifest;
  const launcher = m.spec.mpiReplicaSpecs.Launcher.template.spec.containers[0];
  const env = Object.fromEntries(launcher.env.map((e: any) => [e.name, e.value]));
  return { test, m, launcher, script: launcher.command[2] as string, env };
}

/** Runs the launcher script with `mpirun` replaced by printing `log` and exiting `rc`. */
function runCheck(script: string, log: string, rc = 0, min = '300') {
  const dir = mkdtempSync(join(tmpdir(), 'nccl-'));
  writeFileSync(join(dir, 'out.log'), log);
  const lines = script.split('\n');
  expect(lines[0]).toMatch(/^mpirun /);
  lines[0] = `cat ${join(dir, 'out.log')} > /tmp/nccl.log; (exit ${rc})`;
  return spawnSync('/bin/sh', ['-c', lines.join('\n')], {
    env: { PATH: process.env.PATH, NCCL_MIN_BUSBW_GBPS: min },
    encoding: 'utf8',
  });
}

const LOG = (bw: string) =>
  `#  size count type redop root time algbw busbw #wrong\n1073741824 268435456 float sum -1 5000 214.7 402.6 0\n# Out of bounds values : 0 OK\n# Avg bus bandwidth    : ${bw} \n`;

describe('NcclTest', () => {
  test('an MPIJob named from the id, all_reduce_perf over every GPU, accepted by the pinned schema', () => {
    const { m, script, env, test } = nccl();
    expect(m.kind).toBe('MPIJob');
    expect(m.metadata.name).toBe('acceptp5');
    expect(validateKubernetesObject(m)).toEqual([]);
    expect(script.split('\n')[0]).toBe(
      'mpirun -np 16 -bind-to none -x PATH -x LD_LIBRARY_PATH all_reduce_perf -b 1G -e 8G -f 2 -g 1 -c 1 -n 20 > /tmp/nccl.log 2>&1',
    );
    expect(env.NCCL_MIN_BUSBW_GBPS).toBe('300');
    expect(m.spec.runPolicy).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1800 });
    expect(test.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('the fabric wiring of MpiJob: EFA devices on the workers', () => {
    const { m } = nccl();
    const w = m.spec.mpiReplicaSpecs.Worker.template.spec.containers[0];
    expect(w.resources.limits['vpc.amazonaws.com/efa']).toBe('32');
    expect(w.securityContext.capabilities.add).toContain('IPC_LOCK');
  });

  test('options: binary, sizes, iterations, timeout, forwarded env', () => {
    const { script, m, env } = nccl({
      binary: '/opt/nccl-tests/build/all_reduce_perf',
      minBytes: '512M',
      maxBytes: '16G',
      iterations: 50,
      timeoutSeconds: 600,
      env: { FI_PROVIDER: 'efa' },
    });
    expect(script.split('\n')[0]).toBe(
      'mpirun -np 16 -bind-to none -x PATH -x LD_LIBRARY_PATH -x FI_PROVIDER /opt/nccl-tests/build/all_reduce_perf -b 512M -e 16G -f 2 -g 1 -c 1 -n 50 > /tmp/nccl.log 2>&1',
    );
    expect(m.spec.runPolicy.activeDeadlineSeconds).toBe(600);
    expect(env.FI_PROVIDER).toBe('efa');
  });

  test('the launcher passes at or above the threshold and fails below it, on a failed run or without a result', () => {
    const { script } = nccl();
    const pass = runCheck(script, LOG('402.61'));
    expect(pass.status).toBe(0);
    expect(pass.stdout).toMatch(/PASS: average bus bandwidth 402.61 GB\/s \(minimum 300 GB\/s\)/);
    expect(runCheck(script, LOG('300')).status).toBe(0);
    const slow = runCheck(script, LOG('24.1'));
    expect(slow.status).toBe(1);
    expect(slow.stdout).toMatch(/FAIL: average bus bandwidth 24.1 GB\/s, below 300 GB\/s/);
    expect(runCheck(script, 'NCCL WARN NET/OFI no provider\n').status).toBe(1);
    const crashed = runCheck(script, LOG('402'), 3);
    expect(crashed.status).toBe(3);
    expect(crashed.stdout).toMatch(/FAIL: all_reduce_perf exited with 3/);
  });

  test.each<[string, Partial<NcclTestProps>, RegExp]>([
    ['zero threshold', { minBusBandwidthGBps: 0 }, /'minBusBandwidthGBps' must be a number of GB\/s above 0/],
    ['infinite threshold', { minBusBandwidthGBps: Infinity }, /'minBusBandwidthGBps'/],
    ['threshold above any fabric', { minBusBandwidthGBps: 1e21 }, /at most 10000/],
    ['string threshold', { minBusBandwidthGBps: '300' as any }, /'minBusBandwidthGBps'/],
    ['binary with shell characters', { binary: 'all_reduce_perf; rm -rf /' }, /'binary' .* plain path/],
    ['bad size', { minBytes: '1GB' }, /'minBytes' \('1GB'\) must be a size/],
    ['zero size', { maxBytes: '0' }, /'maxBytes'/],
    ['zero iterations', { iterations: 0 }, /'iterations'/],
    ['short timeout', { timeoutSeconds: 30 }, /'timeoutSeconds'/],
    ['env name not a shell name', { env: { 'NCCL-DEBUG': 'INFO' } }, /'env' key 'NCCL-DEBUG'/],
    ['unpinned image', { image: 'registry.example.com/nccl-tests' }, /pinned tag or digest/],
  ])('refuses %s', (_n, props, message) => {
    expect(() => nccl(props)).toThrow(ValidationError);
    expect(() => nccl(props)).toThrow(message);
  });
});
