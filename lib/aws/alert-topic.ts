import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../core';
import { IAlertTopic, IKmsKey } from './interfaces';
import { addKmsKeyCost } from './private/service-prices';

/**
 * Throws unless every entry is an e-mail address by core {@link Validate.email} (the same
 * grammar, message and code; an unresolved Terraform token passes and is checked at apply) and
 * none is listed twice.
 */
export function validateEmails(scope: Construct, prop: string, emails: readonly string[]): void {
  const seen = new Set<string>();
  Validate.array<string>(scope, prop, emails).forEach((e, i) => {
    Validate.email(scope, `${prop}[${i}]`, e);
    if (Token.isUnresolved(e)) return;
    if (seen.has(e.toLowerCase())) {
      throw new ValidationError(`'${prop}' lists '${e}' twice: give each address once.`, scope);
    }
    seen.add(e.toLowerCase());
  });
}

/**
 * KMS keys the app does not own, referenced by ARN.
 * @example
 * new AlertTopic(stack, 'Alerts', { encryptionKey: KmsKeyReference.fromKeyArn('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
 */
export class KmsKeyReference {
  /**
   * A key by its ARN (`arn:<partition>:kms:<region>:<account>:key/<key-id>`), validated. An alias
   * ARN is refused: a key policy belongs to a key, and an alias can be re-pointed.
   */
  public static fromKeyArn(keyArn: string): IKmsKey {
    return { keyArn: Validate.arn(undefined, 'keyArn', keyArn, { service: 'kms', resourcePrefix: 'key/' }) };
  }

  private constructor() {}
}

/** Key actions a publisher of an SSE topic needs on the topic's key. */
export const ALERT_TOPIC_PUBLISHER_KEY_ACTIONS: readonly string[] = ['kms:GenerateDataKey*', 'kms:Decrypt'];

/** What the library knows about an AWS service that publishes to an alert topic. */
interface Publisher {
  /** Topic actions the service calls. */
  readonly topicActions: string[];
  /**
   * The `aws:SourceArn` the service sends (ArnLike), when it is the same for every source of the
   * account; services with one source per resource (AMP workspaces) pass it to allowPublishFrom.
   */
  readonly sourceArn?: (partition: string, account: string) => string;
  /** Whether the service's documentation scopes the topic statement with `aws:SourceAccount`. */
  readonly sourceAccount: boolean;
  /**
   * Whether the service's documentation scopes the key policy statement with `aws:SourceAccount`
   * and `aws:SourceArn` too (otherwise only the topic policy carries them).
   */
  readonly keyConditions: boolean;
}

/**
 * The AWS services the library's constructs send alerts from, with the statements their
 * documentation gives for SSE-KMS topics:
 * - AWS Budgets: topic `SNS:Publish` with `aws:SourceAccount` and `aws:SourceArn`
 *   `arn:<partition>:budgets::<account>:*`; the key statement carries the same conditions
 *   (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
 * - Amazon Managed Service for Prometheus alert manager: topic `sns:Publish` and
 *   `sns:GetTopicAttributes` with `aws:SourceAccount` and `aws:SourceArn` = the workspace ARN;
 *   `kms:GenerateDataKey*` and `kms:Decrypt` on the key for an SSE topic
 *   (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-AMPpermission.html).
 * - CloudWatch alarms: topic `sns:Publish`, scoped with `aws:SourceArn` (ArnLike)
 *   `arn:<partition>:cloudwatch:<region>:<account>:alarm:*`, which names the account
 *   (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger); `kms:Decrypt` and
 *   `kms:GenerateDataKey*` on a customer managed key (the AWS managed `alias/aws/sns` cannot
 *   admit it) (https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns,
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * For AMP and CloudWatch the documented key statements carry no conditions; the key is
 * dedicated to one topic, whose policy does carry them.
 */
const PUBLISHERS: Record<string, Publisher> = {
  'budgets.amazonaws.com': {
    topicActions: ['sns:Publish'],
    sourceArn: (p, a) => `arn:${p}:budgets::${a}:*`,
    sourceAccount: true,
    keyConditions: true,
  },
  'aps.amazonaws.com': {
    topicActions: ['sns:Publish', 'sns:GetTopicAttributes'],
    sourceAccount: true,
    keyConditions: false,
  },
  'cloudwatch.amazonaws.com': {
    topicActions: ['sns:Publish'],
    sourceArn: (p, a) => `arn:${p}:cloudwatch:*:${a}:alarm:*`,
    sourceAccount: false,
    keyConditions: false,
  },
};

/** Properties of an {@link AlertTopic}. */
export interface AlertTopicProps {
  /**
   * E-mail addresses subscribed to the topic (each must confirm the subscription e-mail).
   * @default - none
   */
  readonly emails?: string[];
  /**
   * An existing KMS key to encrypt the topic with, instead of a key the topic owns. Its key
   * policy is not managed here: it must let each publisher (CloudWatch, and AWS Budgets or the
   * AMP alert manager when a BudgetAlarm or Monitoring uses the topic) call
   * `kms:GenerateDataKey*` and `kms:Decrypt`, or their messages are dropped; the topic warns
   * `aws-alert-topic-external-key` once per publisher.
   * @default - a new customer managed key (rotation on, 30-day deletion window, alias
   *   `alias/alerts-<suffix>`) whose policy admits every publisher of the topic
   */
  readonly encryptionKey?: IKmsKey;
}

/** Attributes of an SNS topic the app does not own, for {@link AlertTopic.fromTopicAttributes}. */
export interface AlertTopicAttributes {
  /** Topic ARN, `arn:<partition>:sns:<region>:<account>:<name>`. */
  readonly topicArn: string;
  /**
   * ARN of the KMS key the topic is encrypted with, if any (named in the warnings about what its
   * key policy must allow).
   * @default - the topic is not encrypted with a customer managed key
   */
  readonly keyArn?: string;
}

/** An SNS topic the app does not own: its policies are not managed, so each publisher is a warning. */
class ImportedAlertTopic extends Construct implements IAlertTopic {
  public readonly topicArn: string;
  private readonly keyArn?: string;
  private readonly warned = new Set<string>();

  constructor(scope: Construct, id: string, attrs: AlertTopicAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    this.topicArn = Validate.arn(this, 'topicArn', attrs.topicArn, { service: 'sns' });
    if (attrs.keyArn !== undefined) {
      this.keyArn = Validate.arn(this, 'keyArn', attrs.keyArn, { service: 'kms', resourcePrefix: 'key/' });
    }
  }

  public allowPublishFrom(servicePrincipal: string, sourceArn?: string): void {
    checkServicePrincipal(this, servicePrincipal);
    if (this.warned.has(servicePrincipal)) return;
    this.warned.add(servicePrincipal);
    const actions = (PUBLISHERS[servicePrincipal]?.topicActions ?? ['sns:Publish']).join(' and ');
    Warnings.add(
      this,
      'aws-alert-topic-imported',
      `The topic ${this.topicArn} is not owned by this app, so its policies are not managed here: its topic policy must allow ${servicePrincipal} ${actions}` +
        (sourceArn !== undefined ? ` (aws:SourceArn ${sourceArn})` : '') +
        (this.keyArn !== undefined
          ? ` and the policy of key ${this.keyArn} ${ALERT_TOPIC_PUBLISHER_KEY_ACTIONS.join(' and ')}`
          : '') +
        `, or its messages are dropped (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).`,
    );
  }
}

/** Throws unless `p` is an AWS service principal. */
function checkServicePrincipal(scope: Construct, p: string): void {
  if (typeof p !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/.test(p)) {
    throw new ValidationError(
      `allowPublishFrom: '${String(p)}' is not an AWS service principal (for example 'budgets.amazonaws.com').`,
      scope,
    );
  }
}

/**
 * An SNS topic for alerts, encrypted at rest with a customer managed KMS key, with e-mail
 * subscriptions, a topic policy and a key policy that let the AWS services feeding it publish:
 * CloudWatch alarms of the account always, AWS Budgets and the Amazon Managed Prometheus alert
 * manager when a {@link BudgetAlarm} or {@link Monitoring} uses the topic. Each publisher gets
 * `sns:Publish` on the topic and `kms:GenerateDataKey*` + `kms:Decrypt` on the key, scoped with
 * `aws:SourceAccount` / `aws:SourceArn` where the service documents them. ARNs use the
 * partition of the provider's account (`aws_partition` data source), so the topic works in
 * `aws-cn` and `aws-us-gov` too.
 *
 * The key is not protected from destroy: it encrypts messages in flight only (SNS keeps no data
 * once delivered), and its 30-day deletion window covers a mistaken destroy.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
 * @example
 * const topic = new AlertTopic(stack, 'Alerts', { emails: ['ml-oncall@example.com'] });
 */
export class AlertTopic extends Construct implements IAlertTopic {
  /**
   * An SNS topic the app does not own, for budgets and monitoring to notify. Its topic and key
   * policies are not managed here: each publisher a construct admits raises warning
   * `aws-alert-topic-imported` with the statement the topic's owner must add.
   * @example
   * const topic = AlertTopic.fromTopicAttributes(stack, 'Alerts', { topicArn: 'arn:aws:sns:us-east-1:111122223333:ml-alerts' });
   * new BudgetAlarm(stack, 'Budget', { monthlyLimitUsd: 40_000, topic });
   */
  public static fromTopicAttributes(scope: Construct, id: string, attrs: AlertTopicAttributes): IAlertTopic {
    return new ImportedAlertTopic(scope, id, attrs);
  }

  /** The topic. */
  public readonly resource: SnsTopic;
  /** Topic ARN. */
  public readonly topicArn: string;
  /** The key the topic owns, unless `encryptionKey` was given. */
  public readonly key?: KmsKey;
  /** ARN of the key the topic is encrypted with. */
  public readonly keyArn: string;
  private readonly policy: SnsTopicPolicy;
  private readonly partition: string;
  private readonly account: string;
  private readonly sources = new Map<string, string[]>();

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const emails = props.emails ?? [];
    validateEmails(this, 'emails', emails);
    const external = props.encryptionKey;
    if (external !== undefined) {
      // A key ARN, not an alias: a key policy belongs to a key, and an alias can be re-pointed.
      // https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN
      Validate.arn(this, 'encryptionKey.keyArn', (external as { keyArn?: unknown }).keyArn, {
        service: 'kms',
        resourcePrefix: 'key/',
      });
    }
    this.partition = new DataAwsPartition(this, 'Partition').partition;
    this.account = new DataAwsCallerIdentity(this, 'Account').accountId;
    if (external) {
      this.keyArn = external.keyArn;
    } else {
      this.key = new KmsKey(this, 'Key', {
        description: `SNS alert topic ${this.node.path}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: '',
      });
      addKmsKeyCost(this.key, 'alert topic');
      new KmsAlias(this, 'KeyAlias', { namePrefix: 'alias/alerts-', targetKeyId: this.key.keyId });
      this.keyArn = this.key.arn;
    }
    this.resource = new SnsTopic(this, 'Resource', { namePrefix: 'alerts-', kmsMasterKeyId: this.keyArn });
    this.node.defaultChild = this.resource;
    this.topicArn = this.resource.arn;
    emails.forEach((endpoint) => {
      new SnsTopicSubscription(this, `Email-${endpoint.replace(/[^A-Za-z0-9]/g, '_')}`, {
        topicArn: this.topicArn,
        protocol: 'email',
        endpoint,
      });
    });
    this.policy = new SnsTopicPolicy(this, 'Policy', { arn: this.topicArn, policy: '' });
    this.allowPublishFrom('cloudwatch.amazonaws.com');
  }

  /**
   * Lets an AWS service principal publish to the topic: `sns:Publish` on the topic and
   * `kms:GenerateDataKey*` + `kms:Decrypt` on the topic's key. `sourceArn` restricts the
   * topic statement to one source (for example an AMP workspace ARN); the services the library
   * knows are also restricted to the account as their documentation shows (`aws:SourceAccount`,
   * or an `aws:SourceArn` pattern naming the account). Idempotent per principal and source.
   */
  public allowPublishFrom(servicePrincipal: string, sourceArn?: string): void {
    checkServicePrincipal(this, servicePrincipal);
    const known = this.sources.get(servicePrincipal);
    if (known && (sourceArn === undefined || known.includes(sourceArn))) {
      return;
    }
    if (!known && this.key === undefined) {
      Warnings.add(
        this,
        'aws-alert-topic-external-key',
        `The topic is encrypted with a key it does not own ('encryptionKey'): its key policy must allow ${servicePrincipal} ` +
          `${ALERT_TOPIC_PUBLISHER_KEY_ACTIONS.join(' and ')}, or its messages are dropped (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).`,
      );
    }
    this.sources.set(servicePrincipal, [...(known ?? []), ...(sourceArn !== undefined ? [sourceArn] : [])]);
    this.policy.policy = JSON.stringify({ Version: '2012-10-17', Statement: this.topicStatements() });
    if (this.key) {
      this.key.policy = JSON.stringify({ Version: '2012-10-17', Statement: this.keyStatements() });
    }
  }

  private topicStatements(): object[] {
    return [...this.sources].map(([principal, arns]) => {
      const p = PUBLISHERS[principal];
      const conditions: Record<string, Record<string, string | string[]>> = {};
      if (p?.sourceAccount) {
        conditions.StringEquals = { 'aws:SourceAccount': this.account };
      }
      if (arns.length) {
        conditions.ArnEquals = { 'aws:SourceArn': arns.length === 1 ? arns[0] : arns };
      } else if (p?.sourceArn) {
        conditions.ArnLike = { 'aws:SourceArn': p.sourceArn(this.partition, this.account) };
      }
      return {
        Sid: `Publish${sidOf(principal)}`,
        Effect: 'Allow',
        Principal: { Service: principal },
        Action: p?.topicActions ?? ['sns:Publish'],
        Resource: this.topicArn,
        ...(Object.keys(conditions).length ? { Condition: conditions } : {}),
      };
    });
  }

  private keyStatements(): object[] {
    return [
      {
        Sid: 'AccountAdmin',
        Effect: 'Allow',
        Principal: { AWS: `arn:${this.partition}:iam::${this.account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...[...this.sources.keys()].map((principal) => {
        const p = PUBLISHERS[principal];
        return {
          Sid: `Publish${sidOf(principal)}`,
          Effect: 'Allow',
          Principal: { Service: principal },
          Action: [...ALERT_TOPIC_PUBLISHER_KEY_ACTIONS],
          Resource: '*',
          ...(p?.keyConditions && p.sourceArn
            ? {
                Condition: {
                  StringEquals: { 'aws:SourceAccount': this.account },
                  ArnLike: { 'aws:SourceArn': p.sourceArn(this.partition, this.account) },
                },
              }
            : {}),
        };
      }),
    ];
  }
}

/** `budgets.amazonaws.com` -> `Budgets`: a statement id (letters and digits only). */
function sidOf(principal: string): string {
  return principal
    .replace(/\.amazonaws\.com(\.cn)?$/, '')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
