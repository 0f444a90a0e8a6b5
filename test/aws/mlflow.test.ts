import { createHash } from 'crypto';
import {
  MLFLOW_RDS_POSTGRES_VERSION,
  MlflowStore,
  MlflowStoreProps,
  SAGEMAKER_MLFLOW_REGISTRATION_ACTIONS,
  SageMakerMlflow,
  SageMakerMlflowProps,
  SageMakerMlflowSize,
} from '../../lib/aws';
import { ValidationError } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { clusterStack } from './util';

function store(props: Partial<MlflowStoreProps> = {}) {
  const { stack, cluster } = clusterStack();
  const s = new MlflowStore(stack, 'Mlflow', { cluster, ...props });
  return { stack, cluster, store: s, json: () => synthJson(stack) };
}

function policyOf(json: any, idPart: string): any {
  const p: any = Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([k]) =>
    k.includes(idPart),
  )![1];
  return JSON.parse(p.policy);
}

describe('MlflowStore', () => {
  test('RDS for PostgreSQL: private, encrypted with its key, backups, deletion protection, final snapshot, managed password', () => {
    const { json } = store({ identifier: 'mlflow-prod' });
    const j = json();
    const db = onlyResource(j, 'aws_db_instance');
    expect(db).toMatchObject({
      identifier: 'mlflow-prod',
      engine: 'postgres',
      engine_version: MLFLOW_RDS_POSTGRES_VERSION,
      engine_lifecycle_support: 'open-source-rds-extended-support-disabled',
      auto_minor_version_upgrade: true,
      storage_encrypted: true,
      publicly_accessible: false,
      manage_master_user_password: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'mlflow-prod-final',
      backup_retention_period: 7,
      db_name: 'mlflow',
      storage_type: 'gp3',
      lifecycle: { prevent_destroy: true },
    });
    expect(db.password).toBeUndefined();
    expect(db.kms_key_id).toMatch(/aws_kms_key\.Mlflow_DatabaseKey.*\.arn/);
    expect(db.master_user_secret_kms_key_id).toBe(db.kms_key_id);
    const key = Object.entries(resourcesOf(j, 'aws_kms_key')).find(([k]) =>
      k.includes('DatabaseKey'),
    )![1] as any;
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });

  test('defaults: db.t4g.medium, 20 GiB growing to 100, single-AZ, no IAM auth, a path-derived identifier', () => {
    const { json, stack } = store();
    const db = onlyResource(json(), 'aws_db_instance');
    expect(db).toMatchObject({
      instance_class: 'db.t4g.medium',
      allocated_storage: 20,
      max_allocated_storage: 100,
      multi_az: false,
      iam_database_authentication_enabled: false,
    });
    // From the construct path: the same app always gets the same identifier.
    expect(db.identifier).toBe(
      `mlflow-${createHash('sha256').update(`${stack.node.id}/Mlflow`).digest('hex').slice(0, 8)}`,
    );
  });

  test('the database security group admits PostgreSQL from the cluster security group only', () => {
    const { json } = store();
    const j = json();
    const rules = Object.values(resourcesOf(j, 'aws_vpc_security_group_ingress_rule')).filter((r: any) =>
      String(r.security_group_id).includes('Mlflow_SecurityGroup'),
    ) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
    expect(rules[0].referenced_security_group_id).toContain('cluster_security_group_id');
    expect(rules[0].cidr_ipv4).toBeUndefined();
    const db = onlyResource(j, 'aws_db_instance');
    expect(db.vpc_security_group_ids).toHaveLength(1);
    expect(onlyResource(j, 'aws_db_subnet_group').subnet_ids.length).toBeGreaterThanOrEqual(2);
  });

  test('a protected artifact bucket and s3://<bucket>/artifacts as the destination', () => {
    const { json, store: s } = store();
    const j = json();
    const bucket = Object.entries(resourcesOf(j, 'aws_s3_bucket')).find(([k]) =>
      k.includes('Mlflow'),
    )![1] as any;
    expect(bucket).toMatchObject({
      bucket_prefix: 'mlflow-',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    const pab = Object.values(resourcesOf(j, 'aws_s3_bucket_public_access_block'))[0] as any;
    expect(pab).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    expect(Object.keys(resourcesOf(j, 'aws_s3_bucket_versioning')).length).toBe(1);
    expect(s.artifactsDestination).toMatch(/^s3:\/\/\$\{.*\}\/artifacts$/);
  });

  test('a Pod Identity role for mlflow/mlflow with bucket read-write, the master secret and its key only', () => {
    const { json } = store();
    const j = json();
    const assoc = Object.values(resourcesOf(j, 'aws_eks_pod_identity_association')).find((a: any) =>
      String(a.role_arn).includes('Mlflow'),
    ) as any;
    expect(assoc).toMatchObject({ namespace: 'mlflow', service_account: 'mlflow' });
    const statements = policyOf(j, 'ServerAccess').Statement;
    const actions = statements.flatMap((s: any) => s.Action);
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions).toContain('s3:PutObject');
    expect(actions).not.toContain('s3:*');
    const secret = statements.find((s: any) => s.Action.includes('secretsmanager:GetSecretValue'));
    expect(secret.Resource[0]).toContain('master_user_secret');
    expect(statements.every((s: any) => s.Resource !== '*')).toBe(true);
  });

  test('protectFromDestroy: false drops prevent_destroy but keeps deletion protection and the final snapshot', () => {
    const { json } = store({
      protectFromDestroy: false,
      multiAz: true,
      iamAuthentication: true,
      backupRetentionDays: 35,
    });
    const db = onlyResource(json(), 'aws_db_instance');
    expect(db.lifecycle).toEqual({ prevent_destroy: false });
    expect(db).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, multi_az: true });
    expect(db.iam_database_authentication_enabled).toBe(true);
    expect(db.backup_retention_period).toBe(35);
  });

  test.each<[string, Partial<MlflowStoreProps>, RegExp]>([
    ['identifier', { identifier: '1mlflow' }, /'identifier' \('1mlflow'\)/],
    ['identifier hyphens', { identifier: 'ml--flow' }, /'identifier'/],
    ['instanceClass', { instanceClass: 'm7g.large' }, /'instanceClass' \('m7g.large'\)/],
    ['allocatedStorageGiB', { allocatedStorageGiB: 10 }, /'allocatedStorageGiB'/],
    [
      'maxAllocatedStorageGiB',
      { allocatedStorageGiB: 200, maxAllocatedStorageGiB: 100 },
      /'maxAllocatedStorageGiB'/,
    ],
    ['backupRetentionDays', { backupRetentionDays: 0 }, /'backupRetentionDays'/],
    [
      'noncurrentVersionExpirationDays',
      { noncurrentVersionExpirationDays: 0 },
      /'noncurrentVersionExpirationDays'/,
    ],
    ['bucketName', { bucketName: 'Bad_Bucket' }, /'bucketName'/],
    ['namespace', { namespace: 'ML' }, /'namespace'/],
    ['multiAz', { multiAz: 'yes' as unknown as boolean }, /'multiAz'/],
  ])('throws a ValidationError on a bad %s', (_what, props, message) => {
    expect(() => store(props)).toThrow(ValidationError);
    expect(() => store(props)).toThrow(message);
  });

  test('throws when the network has private subnets in fewer than 2 Availability Zones', () => {
    const { stack, cluster } = clusterStack();
    const oneAz = {
      ...cluster,
      network: { ...cluster.network, privateSubnets: cluster.network.privateSubnets.slice(0, 1) },
    };
    expect(() => new MlflowStore(stack, 'Mlflow', { cluster: oneAz as any })).toThrow(/at least 2/);
  });
});

describe('SageMakerMlflow', () => {
  function managed(props: Partial<SageMakerMlflowProps> = {}) {
    const { stack, cluster } = clusterStack();
    const m = new SageMakerMlflow(stack, 'Managed', { trackingServerName: 'llm', ...props });
    return { stack, cluster, mlflow: m };
  }

  test('a tracking server with its execution role and a protected artifact bucket', () => {
    const { stack } = managed();
    const j = synthJson(stack);
    const server = onlyResource(j, 'aws_sagemaker_mlflow_tracking_server');
    expect(server).toMatchObject({
      tracking_server_name: 'llm',
      tracking_server_size: 'Small',
      automatic_model_registration: false,
    });
    expect(server.artifact_store_uri).toMatch(/^s3:\/\/\$\{.*\}\/artifacts$/);
    expect(server.role_arn).toContain('Managed_ExecutionRole');
    expect(server.mlflow_version).toBeUndefined();
    const role = Object.entries(resourcesOf(j, 'aws_iam_role')).find(([k]) =>
      k.includes('Managed_ExecutionRole'),
    )![1] as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: 'sagemaker.amazonaws.com',
    });
    const actions = policyOf(j, 'ExecutionAccess').Statement.flatMap((s: any) => s.Action);
    expect(actions).toContain('s3:PutObject');
    expect(actions).not.toContain('sagemaker:CreateModelPackage');
  });

  test('automatic model registration adds the Model Registry actions', () => {
    const { stack } = managed({
      automaticModelRegistration: true,
      size: SageMakerMlflowSize.MEDIUM,
      mlflowVersion: '3.0',
    });
    const j = synthJson(stack);
    const server = onlyResource(j, 'aws_sagemaker_mlflow_tracking_server');
    expect(server).toMatchObject({
      automatic_model_registration: true,
      tracking_server_size: 'Medium',
      mlflow_version: '3.0',
    });
    const actions = policyOf(j, 'ExecutionAccess').Statement.flatMap((s: any) => s.Action);
    for (const a of SAGEMAKER_MLFLOW_REGISTRATION_ACTIONS) expect(actions).toContain(a);
  });

  test('grantAccess gives a role sagemaker-mlflow:* on the server and the bucket', () => {
    const { stack, cluster, mlflow } = managed();
    mlflow.grantAccess(
      cluster.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' }),
    );
    const j = synthJson(stack);
    const grant: any = Object.entries(resourcesOf(j, 'aws_iam_role_policy')).find(([k]) =>
      k.includes('Managed_GrantTrainer'),
    )![1];
    const statements = JSON.parse(grant.policy).Statement;
    expect(statements[0]).toMatchObject({ Action: ['sagemaker-mlflow:*'] });
    expect(statements[0].Resource[0]).toContain('aws_sagemaker_mlflow_tracking_server');
  });

  test.each<[string, Partial<SageMakerMlflowProps>, RegExp]>([
    ['trackingServerName', { trackingServerName: '-llm' }, /'trackingServerName'/],
    ['size', { size: 'Huge' as SageMakerMlflowSize }, /'size'/],
    ['mlflowVersion', { mlflowVersion: 'latest' }, /'mlflowVersion'/],
    [
      'weeklyMaintenanceWindowStart',
      { weeklyMaintenanceWindowStart: 'Sunday 3am' },
      /'weeklyMaintenanceWindowStart'/,
    ],
  ])('throws a ValidationError on a bad %s', (_what, props, message) => {
    expect(() => managed(props)).toThrow(ValidationError);
    expect(() => managed(props)).toThrow(message);
  });
});
