import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Validate, ValidationError } from '../../core';
import { TelemetryStorage } from '../telemetry-storage';

/** Validates a `storage` prop: a {@link TelemetryStorage}. */
export function checkTelemetryStorage(scope: IConstruct, value: unknown): TelemetryStorage {
  if (!(value instanceof TelemetryStorage)) {
    throw new ValidationError(
      `'storage' must be a TelemetryStorage (TelemetryStorage.s3(...), .gcs(...) or .volume()), got ${value === undefined ? 'undefined' : typeof value}.`,
      scope,
      'type',
    );
  }
  return value;
}

/** Validates `retentionDays`: whole days, 1 to 3650; returns the Go duration in hours. */
export function retentionHours(scope: IConstruct, days: number): string {
  if (Token.isUnresolved(days)) {
    throw new ValidationError(`'retentionDays' must be a number known at synth time.`, scope);
  }
  Validate.integer(scope, 'retentionDays', days, { min: 1, max: 3650, reason: 'days' });
  return `${days * 24}h`;
}
