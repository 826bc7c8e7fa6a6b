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
      .array(z.object({ name: z.string().min(1), context: z.string().min(1) }).strict())
      .default([]),
    channels: z
      .array(
        z
          .object({
            channel: channelId,
            cluster: z.string().min(1).default('default'),
            namespaces: z.array(dns1123Label).min(1),
          })
          .strict(),
      )
      .default([]),
    access: z
      .object({
        readers: z.array(principal).default(['*']),
        operators: z.array(principal).default([]),
        approvers: z.array(principal).default([]),
      })
      .strict()
      .default({ readers: ['*'], operators: [], approvers: [] }),
    approvals: z
      .object({
        protectedNamespaces: z.array(dns1123Label).default([]),
        required: z.number().int().min(1).max(5).default(1),
        ttlMinutes: z.number().int().min(1).max(24 * 60).default(15),
        /** After an action: no restart or OOM kill for this long, and it is verified. */
        settleSeconds: z.number().int().min(0).max(3600).default(60),
      })
      .strict()
      .default({ protectedNamespaces: [], required: 1, ttlMinutes: 15, settleSeconds: 60 }),
    // Read by the incident threads and the watcher (issue 10: incidents).
    incidents: z
      .object({
        channel: channelId.optional(),
        watchNamespaces: z.array(dns1123Label).default([]),
      })
      .strict()
      .default({ watchNamespaces: [] }),
    // Read by the PagerDuty escalation (issue 10: incidents).
    escalation: z
      .object({
        routingKeys: z.record(z.string().regex(/^L[1-9]$/, 'expected a level such as L1'), z.string().min(1)).default({}),
        pageImmediately: z.array(severity).default(['critical']),
        unansweredMinutes: z.number().int().min(1).max(24 * 60).default(10),
      })
      .strict()
      .default({ routingKeys: {}, pageImmediately: ['critical'], unansweredMinutes: 10 }),
    registries: z
      .array(
        z
          .object({
            host: hostPort,
            /** Where to reach it instead of https://HOST: a mirror, or a port-forward in a lab. */
            endpoint: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:5000' }).optional(),
            insecure: z.boolean().default(false), // plain HTTP, or HTTPS without certificate checks
            caFile: z.string().min(1).optional(),
          })
          .strict(),
      )
      .default([]),
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
