import { createHash } from 'crypto';
import { TerraformVariable } from 'cdktf';
import { ValidationError } from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { MLFLOW_CLOUD_SQL_VERSION, MlflowStore, MlflowStoreProps } from '../../lib/gcp/mlflow';
import { GkeNetwork } from '../../lib/gcp/network';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { gcpStack } from './helpers';

function store(props: Partial<MlflowStoreProps> = {}) {
  const { stack } = gcpStack();
  const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', {
    project: 'acme-ml',
    region: 'us-central1',
    networkName: 'ml',
    subnetworkName: 'gke-nodes',
    podsRangeName: 'pods',
    servicesRangeName: 'services',
  });
  const cluster = GkeCluster.fromClusterAttributes(stack, 'Cluster', {
    network,
    clusterName: 'ml-prod',
    nodeServiceAccountEmail: 'nodes@acme-ml.iam.gserviceaccount.com',
  });
  const password = new TerraformVariable(stack, 'mlflow_db_password', { type: 'string', sensitive: true });
  const s = new MlflowStore(stack, 'Mlflow', {
    cluster,
    projectNumber: '123456789012',
    bucketName: 'acme-mlflow-artifacts',
    databasePassword: password.stringValue,
    ...props,
  });
  return { stack, store: s, json: () => synthJson(stack) };
}

describe('gcp MlflowStore', () => {
  test('Cloud SQL for PostgreSQL: private IP only, TLS, backups with PITR, deletion protection, Enterprise edition', () => {
    const { json } = store({ instanceName: 'mlflow-prod' });
    const sql = onlyResource(json(), 'google_sql_database_instance');
    expect(sql).toMatchObject({
      name: 'mlflow-prod',
      project: 'acme-ml',
      region: 'us-central1',
      database_version: MLFLOW_CLOUD_SQL_VERSION,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(sql.settings).toMatchObject({
      edition: 'ENTERPRISE',
      tier: 'db-custom-2-7680',
      availability_type: 'ZONAL',
      deletion_protection_enabled: true,
      retain_backups_on_delete: true,
      disk_autoresize: true,
      disk_size: 20,
      ip_configuration: {
        ipv4_enabled: false,
        private_network: 'projects/acme-ml/global/networks/ml',
        ssl_mode: 'ENCRYPTED_ONLY',
      },
      backup_configuration: {
        enabled: true,
        point_in_time_recovery_enabled: true,
        transaction_log_retention_days: 7,
        backup_retention_settings: { retained_backups: 7, retention_unit: 'COUNT' },
      },
    });
    expect(sql.encryption_key_name).toBeUndefined();
    expect(sql.depends_on[0]).toContain('google_service_networking_connection');
  });

  test('defaults: a path-derived instance name and private services access on a /20', () => {
    const { json, stack } = store();
    const j = json();
    const name = `mlflow-${createHash('sha256').update(`${stack.node.id}/Mlflow`).digest('hex').slice(0, 8)}`;
    expect(onlyResource(j, 'google_sql_database_instance').name).toBe(name);
    expect(onlyResource(j, 'google_compute_global_address')).toMatchObject({
      purpose: 'VPC_PEERING',
      address_type: 'INTERNAL',
      prefix_length: 20,
      network: 'projects/acme-ml/global/networks/ml',
    });
    expect(onlyResource(j, 'google_service_networking_connection')).toMatchObject({
      service: 'servicenetworking.googleapis.com',
      deletion_policy: 'ABANDON',
    });
  });

  test('databases mlflow and mlflow_auth, user mlflow with a write-only password', () => {
    const { json } = store();
    const j = json();
    const dbs = Object.values(resourcesOf(j, 'google_sql_database')).map((d: any) => d.name);
    expect(dbs.sort()).toEqual(['mlflow', 'mlflow_auth']);
    const user = onlyResource(j, 'google_sql_user');
    expect(user).toMatchObject({
      name: 'mlflow',
      password_wo: '${var.mlflow_db_password}',
      password_wo_version: 1,
    });
    expect(user.password).toBeUndefined();
  });

  test('a versioned, protected artifact bucket the server’s Kubernetes service account can write', () => {
    const { json, store: s } = store();
    const j = json();
    const bucket = onlyResource(j, 'google_storage_bucket');
    expect(bucket).toMatchObject({
      name: 'acme-mlflow-artifacts',
      location: 'us-central1',
      public_access_prevention: 'enforced',
      uniform_bucket_level_access: true,
      versioning: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
    const member = onlyResource(j, 'google_storage_bucket_iam_member');
    expect(member.role).toBe('roles/storage.objectUser');
    expect(member.member).toMatch(/subject\/ns\/mlflow\/sa\/mlflow$/);
    expect(resourcesOf(j, 'google_project_iam_member')).toEqual({});
    expect(s.artifactsDestination).toBe(`${s.bucket.url}/artifacts`);
  });

  test('options: CMEK, high availability, an existing private services access, no destroy protection', () => {
    const key = 'projects/acme-ml/locations/us-central1/keyRings/ml/cryptoKeys/mlflow';
    const { json } = store({
      kmsKeyName: key,
      highAvailability: true,
      createPrivateServiceAccess: false,
      protectFromDestroy: false,
      pointInTimeRecoveryDays: 3,
      databasePasswordVersion: 2,
    });
    const j = json();
    const sql = onlyResource(j, 'google_sql_database_instance');
    expect(sql.encryption_key_name).toBe(key);
    expect(sql.settings.availability_type).toBe('REGIONAL');
    expect(sql.settings.backup_configuration.transaction_log_retention_days).toBe(3);
    expect(sql.lifecycle).toEqual({ prevent_destroy: false });
    expect(sql.deletion_protection).toBe(true);
    expect(resourcesOf(j, 'google_service_networking_connection')).toEqual({});
    expect(onlyResource(j, 'google_sql_user').password_wo_version).toBe(2);
  });

  test.each<[string, Partial<MlflowStoreProps>, RegExp]>([
    [
      'databasePassword literal',
      { databasePassword: 'hunter2hunter2' },
      /'databasePassword' is a literal string/,
    ],
    ['databasePasswordVersion', { databasePasswordVersion: 0 }, /'databasePasswordVersion'/],
    ['instanceName', { instanceName: 'MLflow' }, /'instanceName' \('MLflow'\)/],
    ['tier', { tier: 'db-perf-optimized-N-2' }, /'tier'/],
    ['diskSizeGiB', { diskSizeGiB: 5 }, /'diskSizeGiB'/],
    ['pointInTimeRecoveryDays', { pointInTimeRecoveryDays: 14 }, /'pointInTimeRecoveryDays'/],
    ['kmsKeyName', { kmsKeyName: 'mlflow-key' }, /'kmsKeyName'/],
    ['projectNumber', { projectNumber: 'acme-ml' }, /'projectNumber'/],
    ['bucketName', { bucketName: 'Bad_Bucket' }, /'bucketName'/],
    ['highAvailability', { highAvailability: 'yes' as unknown as boolean }, /'highAvailability'/],
  ])('throws a ValidationError on a bad %s', (_what, props, message) => {
    expect(() => store(props)).toThrow(ValidationError);
    expect(() => store(props)).toThrow(message);
  });
});
