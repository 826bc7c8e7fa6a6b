/** `kubectl get validatingwebhookconfigurations`: printValidatingWebhook. */
import type { ValidatingWebhookConfiguration } from 'kubernetes-types/admissionregistration/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const validatingWebhookColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks included in this configuration.'),
  ageColumn,
];

export function printValidatingWebhookConfiguration(c: ValidatingWebhookConfiguration, now: Date): Cell[] {
  return [c.metadata?.name ?? '', c.webhooks?.length ?? 0, translateTimestampSince(c.metadata?.creationTimestamp, now)];
}
