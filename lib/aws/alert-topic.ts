import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { ValidationError } from '../core';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Throws unless every entry looks like an e-mail address and none is listed twice. */
export function validateEmails(scope: Construct, prop: string, emails: readonly string[]): void {
  const seen = new Set<string>();
  for (const e of emails) {
    if (!EMAIL.test(e)) {
      throw new ValidationError(`'${prop}' entry '${e}' is not an e-mail address.`, scope);
    }
    if (seen.has(e.toLowerCase())) {
      throw new ValidationError(`'${prop}' lists '${e}' twice: give each address once.`, scope);
    }
    seen.add(e.toLowerCase());
  }
}

/** Properties of an {@link AlertTopic}. */
export interface AlertTopicProps {
  /**
   * E-mail addresses subscribed to the topic (each must confirm the subscription e-mail).
   * @default - none
   */
  readonly emails?: string[];
}

/**
 * An SNS topic for alerts with e-mail subscriptions and a topic policy that lets the AWS
 * services feeding it (Amazon Managed Prometheus alert manager, AWS Budgets, CloudWatch alarms
 * in the account) publish.
 *
 * The topic uses SNS's default (unencrypted at rest) setting: encrypting it needs a customer
 * managed key whose policy admits each publishing service.
 *
 * @example
 * const topic = new AlertTopic(stack, 'Alerts', { emails: ['ml-oncall@example.com'] });
 */
export class AlertTopic extends Construct {
  /** The topic. */
  public readonly resource: SnsTopic;
  /** Topic ARN. */
  public readonly topicArn: string;
  private readonly policy: SnsTopicPolicy;
  private readonly statements: unknown[] = [];
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const emails = props.emails ?? [];
    validateEmails(this, 'emails', emails);
    this.resource = new SnsTopic(this, 'Resource', { namePrefix: 'alerts-' });
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
   * Lets an AWS service principal publish to the topic, optionally only from one source ARN.
   * Idempotent per principal and source.
   */
  public allowPublishFrom(servicePrincipal: string, sourceArn?: string): void {
    const key = `${servicePrincipal}|${sourceArn ?? ''}`;
    if (this.allowed.has(key)) {
      return;
    }
    this.allowed.add(key);
    this.statements.push({
      Sid: `Allow${servicePrincipal.split('.')[0].replace(/[^A-Za-z0-9]/g, '')}${this.statements.length}`,
      Effect: 'Allow',
      Principal: { Service: servicePrincipal },
      Action:
        servicePrincipal === 'aps.amazonaws.com'
          ? ['sns:Publish', 'sns:GetTopicAttributes']
          : ['sns:Publish'],
      Resource: this.topicArn,
      ...(sourceArn ? { Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } } : {}),
    });
    this.policy.policy = JSON.stringify({ Version: '2012-10-17', Statement: this.statements });
  }
}
