import { TerraformVariable } from 'cdktf';
import { escapeTerraformTemplate } from '../../lib/gcp/private/template';
import { gcpStack } from './helpers';

describe('escapeTerraformTemplate', () => {
  test('doubles the markers of interpolations and directives', () => {
    expect(escapeTerraformTemplate('GPU ${metric.label.gpu} %{if x}')).toBe(
      'GPU $${metric.label.gpu} %%{if x}',
    );
  });

  test('leaves text without markers alone', () => {
    expect(escapeTerraformTemplate('rate(x[5m]) > 0 {a="b"} $5')).toBe('rate(x[5m]) > 0 {a="b"} $5');
  });

  test('leaves strings holding tokens alone', () => {
    const { stack } = gcpStack();
    const v = new TerraformVariable(stack, 'v', { type: 'string' });
    const s = `key ${v.stringValue}`;
    expect(escapeTerraformTemplate(s)).toBe(s);
  });
});
