import { GpuManagement, GpuNodeImage, GpuPlatform, MonitoringStack } from '../../lib/k8s';
import { dcgmCountersCsv } from '../../lib/k8s/private/dcgm';
import { platformAndWorkloads } from '../k8s/helpers';
import { resourcesOf, synthJson } from '../util';
import { GoCsvError, goCsvReadAll } from './go-csv';

/**
 * dcgm-exporter reads its counters file with Go's encoding/csv (`csv.NewReader`, `Comment = '#'`,
 * every other option at its default), trims spaces from each field, requires exactly 3 fields
 * and a known Prometheus type, and exits 1 on any error (NVIDIA/dcgm-exporter
 * internal/pkg/counters/counter_config.go `ReadCSVFile` / `ExtractCounters`; `promMetricType` in
 * internal/pkg/appconfig/types.go).
 */
function readAsDcgmExporter(csv: string): Array<{ field: string; type: string; help: string }> {
  const records = goCsvReadAll(csv, { comment: '#' });
  return records.map((record) => {
    const r = record.map((f) => f.replace(/^ +| +$/g, ''));
    if (r.length !== 3) throw new Error(`malformed CSV record ${JSON.stringify(r)}: expected 3 fields`);
    if (!['gauge', 'counter', 'histogram', 'summary', 'label'].includes(r[1])) {
      throw new Error(`could not find Prometheus metric type '${r[1]}'`);
    }
    return { field: r[0], type: r[1], help: r[2] };
  });
}

describe('Go encoding/csv port', () => {
  // Cases from Go's src/encoding/csv/reader_test.go.
  test('reads simple, quoted and multi-line fields', () => {
    expect(goCsvReadAll('a,b,c\n')).toEqual([['a', 'b', 'c']]);
    expect(goCsvReadAll('"a,b",c\n')).toEqual([['a,b', 'c']]);
    expect(goCsvReadAll('"a ""q"" b",c\n')).toEqual([['a "q" b', 'c']]);
    expect(goCsvReadAll('"two\nline",x\n')).toEqual([['two\nline', 'x']]);
    expect(goCsvReadAll('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
  test('skips comment and blank lines', () => {
    expect(goCsvReadAll('#1,2,3\na,b,c\n\n#x\n', { comment: '#' })).toEqual([['a', 'b', 'c']]);
  });
  test('fails where Go fails: bare quote, stray quote, field count', () => {
    expect(() => goCsvReadAll('a "word",b\n')).toThrow(GoCsvError);
    expect(() => goCsvReadAll('a, "b",c\n')).toThrow(/bare "/);
    expect(() => goCsvReadAll('"a"b,c\n')).toThrow(/extraneous or missing "/);
    expect(() => goCsvReadAll('a,b,c\nd,e,f,g\n')).toThrow(/line 2: wrong number of fields/);
  });
  test('allows what Go allows with TrimLeadingSpace and LazyQuotes', () => {
    expect(goCsvReadAll('a, "b,c"\n', { trimLeadingSpace: true })).toEqual([['a', 'b,c']]);
    expect(goCsvReadAll('a "word",b\n', { lazyQuotes: true })).toEqual([['a "word"', 'b']]);
  });
});

describe('dcgm-exporter counters CSV, read as dcgm-exporter reads it', () => {
  test.each([false, true])('every row has 3 fields and a known type (profiling %s)', (profiling) => {
    const rows = readAsDcgmExporter(dcgmCountersCsv(profiling));
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((r) => r.field)).toContain('DCGM_EXP_XID_ERRORS_COUNT');
  });

  test('a help text with a comma is what crash-looped the exporter (regression)', () => {
    const broken =
      'DCGM_EXP_XID_ERRORS_COUNT, gauge, XID errors observed in the configured window, labelled by xid.\n';
    expect(() => readAsDcgmExporter(dcgmCountersCsv(false) + broken)).toThrow(
      /wrong number of fields|expected 3 fields/,
    );
  });

  test.each([
    ['standalone dcgm-exporter', GpuNodeImage.DRIVER_AND_TOOLKIT, undefined],
    ['GPU Operator', GpuNodeImage.NO_GPU_SOFTWARE, GpuManagement.GPU_OPERATOR],
  ])('the ConfigMap the %s mounts parses', (_name, nodeImage, management) => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new GpuPlatform(platform, 'Gpu', {
      nodeImage,
      ...(management ? { management } : {}),
      monitoring,
    });
    const json = synthJson(platform);
    const cm: any = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')).find(
      (c: any) => c.metadata.name === 'dcgm-exporter-counters',
    );
    expect(cm).toBeDefined();
    expect(readAsDcgmExporter(cm.data['dcgm-metrics.csv']).length).toBeGreaterThan(30);
  });
});
