import { z } from 'zod';

/** Slack principals: user IDs (U…/W…), user group IDs (S…), or "*" for everyone. */
const principal = z
  .string()
  .regex(/^(\*|[UW][A-Z0-9]{2,}|S[A-Z0-9]{2,})$/, 'expected a Slack user ID (U…/W…), user group ID (S…) or "*"');
const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel ID such as C0123ABCD');
const dns1123Label = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a Kubernetes namespace name (lowercase letters, digits and "-", at most 63 characters)');
const severity = z.enum(['critical', 'error', 'warning', 'info']);
const hostPort = z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected a registry host such as registry.example.com or localhost:5000');

export const PolicySchema = z
  .object({
    clusters: z
      .array(
        z
          .object({ name: z.string().min(1).describe('what channels and commands call the cluster'), context: z.string().min(1).describe('its kubeconfig context') })
          .strict(),
      )
      .default([])
      .describe('Kubernetes clusters by name; none: the kubeconfig\'s current context, as "default"'),
    channels: z
      .array(
        z
          .object({
            channel: channelId.describe('a Slack channel ID'),
            cluster: z.string().min(1).default('default').describe('one of clusters[].name'),
            namespaces: z.array(dns1123Label).min(1).describe('the only namespaces this channel reaches'),
          })
          .strict(),
      )
      .default([])
      .describe('channel bindings; once any channel is bound, unbound channels reach nothing'),
    access: z
      .object({
        readers: z.array(principal).default(['*']).describe('may run status, diagnose, logs, history, audit, incident'),
        operators: z.array(principal).default([]).describe('may propose actions: rollback, restart, pause, resume, set-image, scale, ...'),
        approvers: z.array(principal).default([]).describe('may approve or reject proposals'),
      })
      .strict()
      .default({ readers: ['*'], operators: [], approvers: [] })
      .describe('who may do what: Slack user IDs (U…/W…), user group IDs (S…) or "*"'),
    approvals: z
      .object({
        protectedNamespaces: z.array(dns1123Label).default([]).describe('four-eyes: the requester may not approve their own change here'),
        required: z.number().int().min(1).max(5).default(1).describe('approvals needed, from distinct approvers'),
        ttlMinutes: z.number().int().min(1).max(24 * 60).default(15).describe('a proposal not approved within this long expires'),
        settleSeconds: z.number().int().min(0).max(3600).default(60).describe('after an action: no restart or OOM kill for this long, and it is verified'),
      })
      .strict()
      .default({ protectedNamespaces: [], required: 1, ttlMinutes: 15, settleSeconds: 60 })
      .describe('how proposals are approved'),
    incidents: z
      .object({
        channel: channelId.optional().describe('where incident threads open'),
        watchNamespaces: z.array(dns1123Label).default([]).describe('namespaces the built-in watcher watches for failing rollouts (none: no watcher)'),
        reopenGraceMinutes: z.number().int().min(0).max(7 * 24 * 60).default(30).describe('a resolved incident whose rollout fails again within this long is reopened rather than opened anew'),
      })
      .strict()
      .default({ watchNamespaces: [], reopenGraceMinutes: 30 })
      .describe('incident threads (from Alertmanager and the watcher)'),
    escalation: z
      .object({
        routingKeys: z
          .record(z.string().regex(/^L[1-9]$/, 'expected a level such as L1'), z.string().min(1))
          .default({})
          .describe('PagerDuty Events v2 routing key per level: L1 rollout and image problems, L2 code and configuration, L3 cluster resources'),
        pageImmediately: z.array(severity).default(['critical']).describe('severities paged as soon as the incident opens'),
        unansweredMinutes: z.number().int().min(1).max(24 * 60).default(10).describe('paged when nobody acts in Slack within this long'),
      })
      .strict()
      .default({ routingKeys: {}, pageImmediately: ['critical'], unansweredMinutes: 10 })
      .describe('PagerDuty escalation'),
    registries: z
      .array(
        z
          .object({
            host: hostPort.describe('the registry as image references name it'),
            endpoint: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:5000' }).optional().describe('where to reach it instead of https://HOST: a mirror, or a port-forward in a lab'),
            insecure: z.boolean().default(false).describe('plain HTTP, or HTTPS without certificate checks'),
            caFile: z.string().min(1).optional().describe('a PEM bundle to trust for it'),
          })
          .strict(),
      )
      .default([])
      .describe('how to reach registries for the image checks'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const names = new Set(p.clusters.length ? p.clusters.map((c) => c.name) : ['default']);
    p.channels.forEach((b, i) => {
      if (!names.has(b.cluster)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'cluster'],
          message: `unknown cluster "${b.cluster}"; expected one of: ${[...names].join(', ')}`,
        });
      }
    });
  });

export type Policy = z.infer<typeof PolicySchema>;
