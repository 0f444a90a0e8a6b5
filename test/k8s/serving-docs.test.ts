import { readFileSync } from 'fs';
import { join } from 'path';

// docs/serving.md's minimal example is cut from examples/k8s-serving/main.ts, which the
// typecheck and the example's snapshot test cover: this keeps the page compiling and true.
describe('docs/serving.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'serving.md'), 'utf8');
  const example = readFileSync(join(__dirname, '..', '..', 'examples', 'k8s-serving', 'main.ts'), 'utf8');
  const minimal = doc.slice(doc.indexOf('## Minimal example'), doc.indexOf('## What it defines'));
  const snippets = [...minimal.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

  test('has the minimal example', () => {
    expect(snippets.length).toBe(2);
  });

  test.each(snippets.map((s, i) => [i, s]))(
    'snippet %i appears verbatim in examples/k8s-serving',
    (_i, snippet) => {
      // Compared line by line without indentation (the page is formatted by prettier).
      const flat = (text: string) =>
        text
          .split('\n')
          .map((l) => l.trim())
          .join('\n');
      expect(flat(example)).toContain(flat(snippet).trim());
    },
  );

  test('draws the request path as a Mermaid diagram', () => {
    expect(doc).toMatch(/```mermaid\nflowchart LR/);
  });
});
