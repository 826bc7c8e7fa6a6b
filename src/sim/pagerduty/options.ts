import type { IncidentEventType, SimEscalationPolicy, SimSchedule, SimService, SimUser } from './types.js';

export interface PagerDutyEmulatorOptions {
  /** The HTTPS port (Events API and REST API); default 0, a free one. */
  port?: number;
  /** The plain-HTTP port of the control API (/_sim/v1/…); default 0. */
  controlPort?: number;
  host?: string;
  /** Name → 32-character integration key; one service (and escalation policy) each. Default L1, L2, L3. */
  routingKeys?: Record<string, string>;
  users?: SimUser[];
  schedules?: SimSchedule[];
  escalationPolicies?: SimEscalationPolicy[];
  services?: SimService[];
  apiTokens?: string[];
  /** Per routing key, over a sliding minute. Default 120, as PagerDuty. */
  eventsPerMinute?: number;
  /** Clock for timestamps, the rate-limit window and fault windows. */
  now?: () => number;
  /** Waits between webhook attempts; PagerDuty makes 5 attempts over ~20 minutes, the default here is brisk. */
  webhookRetryDelaysMs?: number[];
  /** PagerDuty gives a webhook endpoint 5 seconds to answer 2xx. */
  webhookTimeoutMs?: number;
  /** Subscribe at start: the bot's POST /webhooks/pagerduty and its PAGERDUTY_WEBHOOK_SECRET. */
  webhook?: { url: string; secret?: string; secrets?: string[]; events?: IncidentEventType[] };
  /** Origin of `html_url`s. */
  webUrl?: string;
}
