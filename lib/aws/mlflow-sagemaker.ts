import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SagemakerMlflowTrackingServer } from '@cdktf/provider-aws/lib/sagemaker-mlflow-tracking-server';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { IAwsRole } from './interfaces';
import { RoleGrants } from './private/grants';
import { serviceTrustPolicy } from './private/iam';
import { oldVersionsRule, SecureBucket } from './private/secure-bucket';

/** Sizes of a SageMaker managed MLflow tracking server (`TrackingServerSize`). */
export enum SageMakerMlflowSize {
  /** Up to 25 users (AWS guidance). */
  SMALL = 'Small',
  /** Up to 50 users. */
  MEDIUM = 'Medium',
  /** Up to 100 users. */
  LARGE = 'Large',
}

/**
 * The SageMaker actions automatic model registration calls with the execution role: it registers
 * MLflow models in the SageMaker Model Registry as model package groups and packages
 * (SageMaker developer guide, "Set up IAM permissions for MLflow").
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow-create-tracking-server-iam.html
 */
export const SAGEMAKER_MLFLOW_REGISTRATION_ACTIONS: readonly string[] = [
  'sagemaker:AddTags',
  'sagemaker:CreateModelPackageGroup',
  'sagemaker:CreateModelPackage',
  'sagemaker:UpdateModelPackage',
  'sagemaker:DescribeModelPackageGroup',
];

/** Properties of a {@link SageMakerMlflow}. */
export interface SageMakerMlflowProps {
  /** Tracking server name: 1-256 letters, digits and hyphens, starting and ending with a letter or digit. */
  readonly trackingServerName: string;
  /**
   * Size.
   * @default SageMakerMlflowSize.SMALL
   */
  readonly size?: SageMakerMlflowSize;
  /**
   * MLflow version (`mlflow_version`), for example `3.0`.
   * @default - the newest version SageMaker offers when the server is created
   */
  readonly mlflowVersion?: string;
  /**
   * Register models logged to MLflow in the SageMaker Model Registry.
   * @default false
   */
  readonly automaticModelRegistration?: boolean;
  /**
   * Weekly maintenance window start, `Ddd:HH:MM` in UTC, for example `Sun:03:00`.
   * @default - chosen by SageMaker
   */
  readonly weeklyMaintenanceWindowStart?: string;
  /**
   * Keep `terraform destroy` from deleting the artifact bucket and its key.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * Artifact bucket name.
   * @default - a unique name Terraform generates from the prefix `mlflow-`
   */
  readonly bucketName?: string;
}

/**
 * A SageMaker managed MLflow tracking server (`aws_sagemaker_mlflow_tracking_server`), the
 * managed alternative to the k8s `MlflowServer` + {@link MlflowStore}: AWS runs the server and
 * its database; the library adds a protected artifact bucket (versioned, KMS, TLS-only, public
 * access blocked) and the execution role SageMaker assumes to write it (and, with
 * `automaticModelRegistration`, to register models).
 *
 * Clients use the server's ARN as `MLFLOW_TRACKING_URI` with the `sagemaker-mlflow` plugin, which
 * signs requests with the caller's AWS identity: {@link grantAccess} gives a role (for example a
 * trainer's Pod Identity role) `sagemaker-mlflow:*` on the server.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow.html
 * @example
 * const mlflow = new SageMakerMlflow(stack, 'Mlflow', { trackingServerName: 'llm' });
 * mlflow.grantAccess(cluster.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' }));
 */
export class SageMakerMlflow extends Construct {
  /** The tracking server. */
  public readonly resource: SagemakerMlflowTrackingServer;
  /** The execution role. */
  public readonly role: IamRole;
  /** The tracking server ARN: `MLFLOW_TRACKING_URI` for the `sagemaker-mlflow` client plugin. */
  public readonly trackingUri: string;
  /** Artifact bucket name. */
  public readonly bucketName: string;
  private readonly grants = new RoleGrants(this);
  private readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: SageMakerMlflowProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const name = Validate.string(this, 'trackingServerName', props.trackingServerName);
    if (!Token.isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/.test(name)) {
      throw new ValidationError(
        `'trackingServerName' ('${name}') must be 1 to 256 letters, digits and hyphens, starting and ending with a letter or digit, for example 'llm-experiments'.`,
        this,
      );
    }
    const size = props.size ?? SageMakerMlflowSize.SMALL;
    Validate.oneOf(this, 'size', size, Object.values(SageMakerMlflowSize));
    if (props.mlflowVersion !== undefined) {
      Validate.string(this, 'mlflowVersion', props.mlflowVersion);
      if (!/^\d+\.\d+(\.\d+)?$/.test(props.mlflowVersion)) {
        throw new ValidationError(
          `'mlflowVersion' ('${props.mlflowVersion}') must look like '3.0' or '2.16.2'.`,
          this,
        );
      }
    }
    if (props.weeklyMaintenanceWindowStart !== undefined) {
      Validate.string(this, 'weeklyMaintenanceWindowStart', props.weeklyMaintenanceWindowStart);
      if (
        !/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):[0-5]\d$/.test(props.weeklyMaintenanceWindowStart)
      ) {
        throw new ValidationError(
          `'weeklyMaintenanceWindowStart' ('${props.weeklyMaintenanceWindowStart}') must be 'Ddd:HH:MM' in UTC, for example 'Sun:03:00'.`,
          this,
        );
      }
    }
    if (props.automaticModelRegistration !== undefined)
      Validate.boolean(this, 'automaticModelRegistration', props.automaticModelRegistration);
    if (props.protectFromDestroy !== undefined)
      Validate.boolean(this, 'protectFromDestroy', props.protectFromDestroy);

    const bucket = (this.bucket = new SecureBucket(this, 'Artifacts', {
      bucketName: props.bucketName,
      bucketNameProp: 'bucketName',
      bucketPrefix: 'mlflow-',
      protectFromDestroy: props.protectFromDestroy ?? true,
      keyDescription: `SageMaker MLflow artifacts ${this.node.path}`,
      lifecycleRules: [oldVersionsRule(30)],
    }));
    this.bucketName = bucket.bucket.bucket;
    this.role = new IamRole(this, 'ExecutionRole', {
      assumeRolePolicy: serviceTrustPolicy('sagemaker.amazonaws.com'),
      description: `SageMaker MLflow ${this.node.path}`.slice(0, 1000),
    });
    new IamRolePolicy(this, 'ExecutionAccess', {
      role: this.role.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          ...bucket.grantStatements(true),
          ...(props.automaticModelRegistration
            ? [{ Effect: 'Allow', Action: [...SAGEMAKER_MLFLOW_REGISTRATION_ACTIONS], Resource: '*' }]
            : []),
        ],
      }),
    });
    this.resource = new SagemakerMlflowTrackingServer(this, 'Resource', {
      trackingServerName: name,
      artifactStoreUri: `s3://${this.bucketName}/artifacts`,
      roleArn: this.role.arn,
      trackingServerSize: size,
      automaticModelRegistration: props.automaticModelRegistration ?? false,
      ...(props.mlflowVersion ? { mlflowVersion: props.mlflowVersion } : {}),
      ...(props.weeklyMaintenanceWindowStart
        ? { weeklyMaintenanceWindowStart: props.weeklyMaintenanceWindowStart }
        : {}),
    });
    this.node.defaultChild = this.resource;
    this.trackingUri = this.resource.arn;
  }

  /**
   * Lets a role log to and read from the tracking server through the `sagemaker-mlflow` plugin
   * (`sagemaker-mlflow:*` on the server) and read and write the artifact bucket: the managed
   * server does not proxy artifacts, clients write them to the run's `s3://` location themselves.
   */
  public grantAccess(role: IAwsRole): IamRolePolicy {
    return this.grants.add('grantAccess', role, [
      { Effect: 'Allow', Action: ['sagemaker-mlflow:*'], Resource: [this.trackingUri] },
      ...this.bucket.grantStatements(true),
    ]);
  }
}
