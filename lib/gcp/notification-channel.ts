import { Validate, ValidationError } from '../core';
import { INotificationChannel } from './interfaces';
import { unresolved } from './private/names';

/**
 * Cloud Monitoring notification channels the app does not own (an on-call team's PagerDuty or
 * Slack channel), for `Monitoring` and `BudgetAlarm`'s `notificationChannels`.
 * @example
 * new Monitoring(stack, 'Monitoring', {
 *   notificationChannels: [NotificationChannelReference.fromChannelId('projects/acme-ops/notificationChannels/1234567890')],
 * });
 */
export class NotificationChannelReference {
  /**
   * A channel by its resource name, `projects/<project id or number>/notificationChannels/<numeric id>`
   * (`gcloud beta monitoring channels list --format='value(name)'`).
   */
  public static fromChannelId(channelId: string): INotificationChannel {
    Validate.string(undefined, 'channelId', channelId);
    if (!unresolved(channelId)) {
      const m = /^projects\/([^/]+)\/notificationChannels\/(\d+)$/.exec(channelId);
      if (!m) {
        throw new ValidationError(
          `'channelId' ('${channelId}') is not a notification channel name: 'projects/<project>/notificationChannels/<numeric id>', as 'gcloud beta monitoring channels list --format="value(name)"' prints it.`,
        );
      }
      if (!/^\d+$/.test(m[1])) Validate.gcpProjectId(undefined, 'channelId project', m[1]);
    }
    return { channelId };
  }

  private constructor() {}
}
