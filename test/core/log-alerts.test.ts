import { LOG_ALERT_RULES, LogAlertSource } from '../../lib/core';

/** Lines each rule must catch, as the libraries print them, and one it must not. */
const SAMPLES: Record<string, { match: string[]; miss: string }> = {
  EngineCudaOutOfMemory: {
    match: [
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.19 GiB',
      'RuntimeError: CUDA error: out of memory',
    ],
    miss: 'INFO 12-03 12:00:00 gpu_worker.py: Memory profiling takes 3.2 seconds',
  },
  NcclError: {
    match: [
      'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/NCCLUtils.hpp:317, unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.21.5',
      'ncclInternalError: Internal check failed.',
      '[Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=42, OpType=ALLREDUCE)',
    ],
    miss: 'NCCL INFO Bootstrap : Using eth0:10.0.0.5<0>',
  },
  ContainerCrashLooping: { match: ['BackOff'], miss: 'Pulled' },
};

describe('core log alert rules', () => {
  test('every rule has samples and every sample a rule', () => {
    expect(LOG_ALERT_RULES.map((r) => r.name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  test.each(LOG_ALERT_RULES.map((r) => [r.name, r]))(
    '%s matches what the library prints, not benign lines',
    (_n, r) => {
      const re = new RegExp(r.source === LogAlertSource.POD_EVENTS ? `^(${r.pattern})$` : r.pattern);
      for (const line of SAMPLES[r.name].match) expect(re.test(line)).toBe(true);
      expect(re.test(SAMPLES[r.name].miss)).toBe(false);
    },
  );

  test('patterns use only RE2 syntax (no lookaround or backreferences)', () => {
    for (const r of LOG_ALERT_RULES) expect(r.pattern).not.toMatch(/\(\?[=!<]|\\[1-9]/);
  });
});
