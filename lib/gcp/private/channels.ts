import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Construct, IConstruct } from 'constructs';
import { Validate } from '../../core';
import { INotificationChannel } from '../interfaces';

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
 * A notification channel whose `labels` hold only the channel type's configuration. `labels` of
 * a notification channel is the channel descriptor's configuration, not resource labels: the
 * core Tags aspect knows this and puts the stack's cost labels into `user_labels` instead.
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
    labels: config,
    ...(spec.sensitiveLabels ? { sensitiveLabels: spec.sensitiveLabels } : {}),
  });
}

/** Validates `notificationChannels` (channels the app does not own): each an object with a channel id, each once. */
export function validateNotificationChannels(
  scope: IConstruct,
  channels: INotificationChannel[] | undefined,
): INotificationChannel[] {
  const external = Validate.array<INotificationChannel>(scope, 'notificationChannels', channels ?? []);
  external.forEach((c, i) => {
    Validate.object(scope, `notificationChannels[${i}]`, c);
    Validate.string(scope, `notificationChannels[${i}].channelId`, c.channelId);
  });
  Validate.unique(
    scope,
    'notificationChannels',
    external,
    (c) => c.channelId,
    'each channel is notified once',
  );
  return external;
}
