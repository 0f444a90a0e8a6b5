import { AlertSeverity } from '../../core';

/** Cloud Monitoring alert policy severities of the core severities (INFO has none: the policy omits it). */
const SEVERITY: Record<AlertSeverity, string | undefined> = {
  [AlertSeverity.CRITICAL]: 'CRITICAL',
  [AlertSeverity.WARNING]: 'WARNING',
  [AlertSeverity.INFO]: undefined,
};

/**
 * The `severity` of a `google_monitoring_alert_policy` for a core alert severity, as an object to
 * spread into the policy: `{ severity: 'CRITICAL' }`, `{ severity: 'WARNING' }`, or `{}` for INFO.
 */
export function alertPolicySeverity(severity: AlertSeverity): { severity?: string } {
  const s = SEVERITY[severity];
  return s ? { severity: s } : {};
}
