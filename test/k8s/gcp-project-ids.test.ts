import { ValidationError } from '../../lib/core';
import { MetricsCollection, TraceBackend } from '../../lib/k8s';

// MetricsCollection.managedPrometheus and TraceBackend.googleCloudTrace take the same Google Cloud
// project id; the first used to check it with a regular expression of its own, which let through
// ids Google refuses (containing 'google', 'null', 'undefined' or 'ssl') and refused the
// domain-scoped ids (`example.com:acme-ml`) Google accepts. Both now check it with core
// Validate.gcpProjectId.
const make = {
  'MetricsCollection.managedPrometheus': (project: string) =>
    MetricsCollection.managedPrometheus({ project }),
  'TraceBackend.googleCloudTrace': (project: string) => TraceBackend.googleCloudTrace({ project }),
};

describe.each(Object.entries(make))('%s project', (what, create) => {
  test.each(['acme-google-ml', 'null-project', 'ssl-certs-prod', '210987654321', 'Acme-ML', 'acme-ml-'])(
    'refuses %j',
    (project) => {
      expect(() => create(project)).toThrow(ValidationError);
      expect(() => create(project)).toThrow(
        `'${what} project' ('${project}') is not a Google Cloud project id`,
      );
    },
  );

  test.each(['acme-ml-serving', 'example.com:acme-ml'])('accepts %j', (project) => {
    expect(() => create(project)).not.toThrow();
  });
});
