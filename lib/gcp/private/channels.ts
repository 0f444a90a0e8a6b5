import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Tags } from '../../core';

/** Settings of one Cloud Monitoring notification channel. */
export interface ChannelSpec {
  readonly project?: string;
  readonly displayName: string;
  readonly type: string;
  /** Channel-type configuration (`email_address`, `channel_name`, `url`). */
  readonly config?: Record<string, string>;
  readonly sensitiveLabels?: { serviceKey?: string; authToken?: string };
}

/**
 * A notification channel whose `labels` hold only the channel type's configuration and whose
 * `user_labels` carry the stack's cost labels.
 *
 * `labels` of a notification channel is the channel descriptor's configuration, not GCE labels:
 * the stack-wide Tags aspect would merge cost labels into it, which the API rejects as unknown
 * keys. Passing `labels` as a token makes the aspect leave it alone.
 */
export function notificationChannel(
  scope: Construct,
  id: string,
  spec: ChannelSpec,
): MonitoringNotificationChannel {
  const config = spec.config ?? {};
  return new MonitoringNotificationChannel(scope, id, {
    project: spec.project,
    displayName: spec.displayName,
    type: spec.type,
    labels: Token.asStringMap(Lazy.anyValue({ produce: () => config })),
    userLabels: Token.asStringMap(Lazy.anyValue({ produce: () => Tags.of(scope).gcpLabels })),
    ...(spec.sensitiveLabels ? { sensitiveLabels: spec.sensitiveLabels } : {}),
  });
}
