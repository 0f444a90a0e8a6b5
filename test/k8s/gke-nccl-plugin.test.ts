import { GpuDirect } from '../../lib/gcp/machine-types';
import {
  GKE_ACCELERATORS_COMMIT,
  GKE_GPUDIRECT_MANIFESTS,
  GkeGpuDirectTransport,
  GkeNcclPlugin,
  GkeNcclPluginProps,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

function build(props: GkeNcclPluginProps) {
  const { platform } = platformAndWorkloads();
  const plugin = new GkeNcclPlugin(platform, 'NcclPlugin', props);
  const json = synthJson(platform);
  const urls = Object.values(json.data?.http ?? {}).map((s: any) => s.url);
  return { plugin, json, urls };
}

describe('GkeNcclPlugin', () => {
  test.each([
    [GkeGpuDirectTransport.TCPX, 'gpudirect-tcpx/nccl-tcpx-installer.yaml', true],
    [GkeGpuDirectTransport.TCPXO, 'gpudirect-tcpxo/nccl-tcpxo-installer.yaml', true],
    [GkeGpuDirectTransport.RDMA, 'gpudirect-rdma/nccl-rdma-installer.yaml', false],
  ])(
    '%s applies its pinned installer, and the NRI device injector when the transport needs it',
    (transport, path, nri) => {
      const { plugin, urls } = build({ transport });
      expect(urls).toContain(
        `https://raw.githubusercontent.com/GoogleCloudPlatform/container-engine-accelerators/${GKE_ACCELERATORS_COMMIT}/${path}`,
      );
      expect(urls.includes(GKE_GPUDIRECT_MANIFESTS.nriDeviceInjector.url)).toBe(nri);
      expect(plugin.nriDeviceInjector !== undefined).toBe(nri);
    },
  );

  test('pins one commit of container-engine-accelerators, not a branch', () => {
    expect(GKE_ACCELERATORS_COMMIT).toMatch(/^[0-9a-f]{40}$/);
    for (const m of Object.values(GKE_GPUDIRECT_MANIFESTS)) {
      expect(m.url).toContain(`/${GKE_ACCELERATORS_COMMIT}/`);
      expect(m.url).not.toMatch(/\/(master|main)\//);
      expect(m.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  test('takes the GCP module GpuDirect value of a network', () => {
    const { plugin } = build({ transport: GpuDirect.TCPXO });
    expect(plugin.transport).toBe(GkeGpuDirectTransport.TCPXO);
  });

  test('one kubernetes_manifest per document of the installer, read at plan time', () => {
    const { json } = build({ transport: GkeGpuDirectTransport.RDMA });
    const manifests = resourcesOf(json, 'kubernetes_manifest');
    const key = Object.keys(manifests).find((k) => /^NcclPlugin_Installer_[0-9A-F]{8}$/.test(k))!;
    expect(manifests[key].for_each).toMatch(/manifest_decode_multi\(data\.http\./);
  });

  test('throws for NONE and for an unknown transport', () => {
    expect(() => build({ transport: GpuDirect.NONE })).toThrow(
      /'transport' is NONE: the network has no GPUDirect/,
    );
    expect(() => build({ transport: 'IB' })).toThrow(/'transport'/);
  });
});
