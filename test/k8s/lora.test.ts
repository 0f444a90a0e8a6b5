import { Testing, TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { ValidationError } from '../../lib/core';
import { LoraAdapter, VLLM_MAX_LORA_RANKS, loraEngineArgs, validateLoraAdapters } from '../../lib/k8s';

const scope = () => new TerraformStack(Testing.app(), 'lora');

describe('LoraAdapter', () => {
  test('module paths: every source under /models/lora/<name> (downloaded, copied or mounted before the engine starts)', () => {
    expect(LoraAdapter.fromHuggingFace('sql', 'acme/llama-sql-lora', { rank: 8 }).modulePath).toBe(
      '/models/lora/sql',
    );
    expect(LoraAdapter.fromBucket('support', 's3://acme-models/lora/support/', { rank: 16 }).modulePath).toBe(
      '/models/lora/support',
    );
    const vol = LoraAdapter.fromVolume('legal', 'lora-claim', { rank: 32, path: 'legal/v2' });
    expect(vol.modulePath).toBe('/models/lora/legal');
    expect(vol.subPath).toBe('legal/v2');
  });

  test('vLLM flags: --max-lora-rank is the smallest accepted value covering the largest rank', () => {
    const args = loraEngineArgs([
      LoraAdapter.fromBucket('a', 's3://acme-models/a/', { rank: 12 }),
      LoraAdapter.fromHuggingFace('b', 'acme/b', { rank: 8 }),
    ]);
    expect(args).toEqual([
      '--enable-lora',
      '--max-loras',
      '2',
      '--max-lora-rank',
      '16',
      '--lora-modules',
      'a=/models/lora/a',
      'b=/models/lora/b',
    ]);
    expect(loraEngineArgs([LoraAdapter.fromHuggingFace('c', 'acme/c', { rank: 300 })])).toContain('320');
  });

  test('maxLoras defaults to the number of adapters and can be lowered', () => {
    const adapters = [
      LoraAdapter.fromHuggingFace('a', 'acme/a', { rank: 8 }),
      LoraAdapter.fromHuggingFace('b', 'acme/b', { rank: 8 }),
    ];
    expect(loraEngineArgs(adapters, { maxLoras: 1 }).slice(1, 3)).toEqual(['--max-loras', '1']);
    expect(() => loraEngineArgs(adapters, { maxLoras: 0 })).toThrow(/'maxLoras' \(0\)/);
  });

  test('no adapters, no flags', () => {
    expect(loraEngineArgs([])).toEqual([]);
  });

  test('vLLM rank literal (vllm/config/lora.py MaxLoRARanks)', () => {
    expect(VLLM_MAX_LORA_RANKS).toEqual([1, 8, 16, 32, 64, 128, 256, 320, 512]);
  });

  test('valid adapters pass', () => {
    expect(() =>
      validateLoraAdapters(
        scope(),
        'loraAdapters',
        [LoraAdapter.fromBucket('ok', 'gs://acme-models/ok/', { rank: 512 })],
        'base',
      ),
    ).not.toThrow();
  });

  test.each<[string, LoraAdapter[], RegExp]>([
    [
      'an invalid name',
      [LoraAdapter.fromHuggingFace('has space', 'acme/a', { rank: 8 })],
      /adapter name 'has space'/,
    ],
    ['a name with =', [LoraAdapter.fromHuggingFace('a=b', 'acme/a', { rank: 8 })], /adapter name 'a=b'/],
    [
      'a duplicate name',
      [
        LoraAdapter.fromHuggingFace('a', 'acme/a', { rank: 8 }),
        LoraAdapter.fromHuggingFace('a', 'acme/b', { rank: 8 }),
      ],
      /'a' is used twice/,
    ],
    [
      'the base model name',
      [LoraAdapter.fromHuggingFace('base', 'acme/a', { rank: 8 })],
      /equals the base model/,
    ],
    [
      'rank 0',
      [LoraAdapter.fromHuggingFace('a', 'acme/a', { rank: 0 })],
      /rank 0; vLLM serves LoRA ranks from 1 to 512/,
    ],
    ['rank 513', [LoraAdapter.fromHuggingFace('a', 'acme/a', { rank: 513 })], /rank 513/],
    ['a fractional rank', [LoraAdapter.fromHuggingFace('a', 'acme/a', { rank: 7.5 })], /rank 7.5/],
    [
      'a bad repository',
      [LoraAdapter.fromHuggingFace('a', 'no-slash', { rank: 8 })],
      /repository id 'org\/name'/,
    ],
    ['a bad bucket', [LoraAdapter.fromBucket('a', 'https://x/y', { rank: 8 })], /'s3:\/\/bucket\/prefix\/'/],
    ['a bad claim', [LoraAdapter.fromVolume('a', 'Bad_Claim', { rank: 8 })], /PersistentVolumeClaim name/],
  ])('throws on %s', (_name, adapters, message) => {
    const s = scope();
    expect(() => validateLoraAdapters(s, 'loraAdapters', adapters, 'base')).toThrow(ValidationError);
    expect(() => validateLoraAdapters(s, 'loraAdapters', adapters, 'base')).toThrow(message);
  });

  test('--max-lora-rank is an accepted vLLM value covering every adapter (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 8 }), (ranks) => {
        const adapters = ranks.map((rank, i) => LoraAdapter.fromHuggingFace(`a${i}`, `acme/a${i}`, { rank }));
        const args = loraEngineArgs(adapters);
        const maxRank = Number(args[args.indexOf('--max-lora-rank') + 1]);
        expect(VLLM_MAX_LORA_RANKS).toContain(maxRank);
        expect(ranks.every((r) => r <= maxRank)).toBe(true);
        const below = VLLM_MAX_LORA_RANKS.filter((r) => r < maxRank);
        expect(below.every((r) => r < Math.max(...ranks))).toBe(true);
      }),
    );
  });
});

describe('LoraAdapter factories and options', () => {
  test.each<[string, () => unknown, RegExp]>([
    [
      'fromHuggingFace without options',
      () => LoraAdapter.fromHuggingFace('a', 'acme/a', null as any),
      /'LoraAdapter.fromHuggingFace\('a'\) options' must be an object/,
    ],
    [
      'fromBucket without options',
      () => LoraAdapter.fromBucket('a', 's3://acme-models/a/', undefined as any),
      /'LoraAdapter.fromBucket\('a'\) options' must be an object/,
    ],
    [
      'fromVolume without options',
      () => LoraAdapter.fromVolume('a', 'claim', 'x' as any),
      /'LoraAdapter.fromVolume\('a'\) options' must be an object/,
    ],
  ])('throws on %s', (_w, f, message) => {
    expect(f).toThrow(ValidationError);
    expect(f).toThrow(message);
  });

  test('a baseModel that is not a ModelSpec is refused', () => {
    const a = LoraAdapter.fromBucket('a', 's3://acme-models/a/', { rank: 8, baseModel: 'llama' as any });
    expect(() => validateLoraAdapters(scope(), 'loraAdapters', [a], 'base')).toThrow(
      /adapter 'a' baseModel must be a ModelSpec/,
    );
  });

  test('--max-cpu-loras holds every adapter when there are fewer GPU slots', () => {
    const adapters = ['a', 'b', 'c'].map((n) =>
      LoraAdapter.fromBucket(n, `s3://acme-models/${n}/`, { rank: 8 }),
    );
    expect(loraEngineArgs(adapters, { maxLoras: 2 })).toContain('--max-cpu-loras');
    expect(loraEngineArgs(adapters)).not.toContain('--max-cpu-loras');
  });
});
