import { Accelerator, ValidationError } from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { InferenceNodePoolOptions, SecondaryBootDiskMode } from '../../lib/gcp/inference-node-pool';
import { GkeNetwork } from '../../lib/gcp/network';
import { resourcesOf, synthJson } from '../util';
import { gcpStack } from './helpers';

function pool(opts: Partial<InferenceNodePoolOptions> = {}) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  const cluster = new GkeCluster(stack, 'Cluster', { network });
  cluster.addInferenceNodePool('Serve', { accelerator: Accelerator.L4, ...opts });
  return Object.entries(resourcesOf(synthJson(stack), 'google_container_node_pool')).find(([k]) =>
    k.includes('Serve'),
  )![1];
}

describe('InferenceNodePool secondaryBootDisks', () => {
  test('defaults to none, with image streaming on', () => {
    const res = pool();
    expect(res.node_config.secondary_boot_disks).toBeUndefined();
    expect(res.node_config.gcfs_config).toEqual({ enabled: true });
  });

  test('preloads container images from an existing disk image (mode defaults to the image cache)', () => {
    const res = pool({
      secondaryBootDisks: [
        { diskImage: 'global/images/vllm-v0-31-0' },
        { diskImage: 'projects/images-proj/global/images/llama-weights', mode: SecondaryBootDiskMode.DATA },
      ],
    });
    expect(res.node_config.secondary_boot_disks).toEqual([
      { disk_image: 'global/images/vllm-v0-31-0', mode: 'CONTAINER_IMAGE_CACHE' },
      { disk_image: 'projects/images-proj/global/images/llama-weights', mode: 'MODE_UNSPECIFIED' },
    ]);
  });

  test.each<[string, Partial<InferenceNodePoolOptions>, RegExp]>([
    [
      'a bare image name',
      { secondaryBootDisks: [{ diskImage: 'vllm-image' }] },
      /'secondaryBootDisks\[0\].diskImage' \('vllm-image'\)/,
    ],
    [
      'an upper-case name',
      { secondaryBootDisks: [{ diskImage: 'global/images/VLLM' }] },
      /'secondaryBootDisks\[0\].diskImage'/,
    ],
    [
      'a disk instead of an image',
      { secondaryBootDisks: [{ diskImage: 'projects/p-123/zones/us-central1-a/disks/d' }] },
      /'secondaryBootDisks\[0\].diskImage'/,
    ],
    [
      'an unknown mode',
      { secondaryBootDisks: [{ diskImage: 'global/images/a', mode: 'CACHE' as SecondaryBootDiskMode }] },
      /'secondaryBootDisks\[0\].mode'/,
    ],
    [
      'a duplicate',
      { secondaryBootDisks: [{ diskImage: 'global/images/a' }, { diskImage: 'global/images/a' }] },
      /'secondaryBootDisks'/,
    ],
    [
      'an image cache without image streaming',
      { imageStreaming: false, secondaryBootDisks: [{ diskImage: 'global/images/a' }] },
      /'secondaryBootDisks\[0\]' is a container image cache but 'imageStreaming' is false/,
    ],
  ])('throws with %s', (_what, opts, message) => {
    expect(() => pool(opts)).toThrow(message);
    expect(() => pool(opts)).toThrow(ValidationError);
  });

  test('a data disk does not need image streaming', () => {
    expect(
      pool({
        imageStreaming: false,
        secondaryBootDisks: [{ diskImage: 'global/images/a', mode: SecondaryBootDiskMode.DATA }],
      }).node_config.secondary_boot_disks,
    ).toHaveLength(1);
  });
});
