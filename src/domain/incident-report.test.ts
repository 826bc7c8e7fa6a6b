import { describe, expect, it } from 'vitest';
import { durationText, incidentReport, reportMarkdown, type IncidentReportInput } from './incident-report.js';
import type { Finding } from './finding.js';

const at = (hm: string) => new Date(`2024-05-01T${hm}:00Z`);
const root: Finding = {
  code: 'APP_MISSING_DEPENDENCY',
  severity: 'critical',
  title: 'The application cannot find a module',
  summary: "Cannot find module 'express' in 3 pods.",
  evidence: [],
  fixes: [
    { kind: 'rollback', title: 'Roll back to revision 3', toRevision: 3 },
    { kind: 'manual', title: 'Add express to package.json', command: 'npm install express --save' },
  ],
  pods: ['api-7f-b', 'api-7f-a'],
};
const input = (over: Partial<IncidentReportInput> = {}): IncidentReportInput => ({
  incident: {
    id: 'inc-0a1b2c3d4e',
    phase: 'resolved',
    subject: { kind: 'rollout', cluster: 'prod', namespace: 'production', deployment: 'api', revision: 4 },
    terms: { pageImmediately: ['critical'], unansweredMinutes: 10, reopenGraceMinutes: 30 },
    openedAt: at('14:07'),
    severity: 'critical',
    rootCause: 'APP_MISSING_DEPENDENCY',
    summary: 'The application cannot find a module',
    sources: ['alertmanager'],
    firingAlerts: [],
    watcherFailing: false,
    pages: [],
    reopened: 0,
    resolved: { at: at('14:18'), by: 'deploy-medic', reason: 'fix-verified', graceUntil: at('14:48') },
  },
  timeline: [
    { at: at('14:07'), actor: 'alertmanager', kind: 'opened', detail: { source: 'alertmanager', severity: 'critical', summary: 'PodCrashLooping' } },
    { at: at('14:08'), actor: 'deploy-medic', kind: 'diagnosed', detail: { rootCause: 'APP_MISSING_DEPENDENCY', summary: 'The application cannot find a module' } },
    { at: at('14:15'), actor: 'deploy-medic', kind: 'fix-executed', detail: { proposalId: 'p1' } },
    { at: at('14:18'), actor: 'deploy-medic', kind: 'fix-verified', detail: { proposalId: 'p1' } },
    { at: at('14:18'), actor: 'deploy-medic', kind: 'resolved', detail: { reason: 'fix-verified' } },
  ],
  diagnosis: {
    deployment: { namespace: 'production', name: 'api', uid: 'u', revision: 4, generation: 4, observedGeneration: 4, paused: false, images: ['api:v2.0.1'], replicas: { desired: 3, updated: 3, ready: 0, available: 0, unavailable: 3 } },
    revisions: [{ revision: 4, images: ['api:v2.0.1'], changeCause: null, createdAt: '2024-05-01T14:00:00Z', current: true }],
    findings: [root],
  },
  ...over,
});

describe('incidentReport', () => {
  it('times detection from the failing revision, mitigation from the fix, resolution; counts the pods and replicas; turns fixes into action items', () => {
    const r = incidentReport(input());
    expect(r.impact).toEqual({
      failureStartedAt: '2024-05-01T14:00:00.000Z',
      detectedAt: '2024-05-01T14:07:00.000Z',
      mitigatedAt: '2024-05-01T14:15:00.000Z',
      resolvedAt: '2024-05-01T14:18:00.000Z',
      timeToDetectSeconds: 420,
      timeToMitigateSeconds: 480,
      timeToResolveSeconds: 660,
      podsAffected: ['api-7f-a', 'api-7f-b'],
      replicas: { desired: 3, ready: 0, unavailable: 3 },
    });
    expect(r.rootCause).toEqual({ code: 'APP_MISSING_DEPENDENCY', summary: "The application cannot find a module. Cannot find module 'express' in 3 pods." });
    expect(r.actionItems.slice(0, 2)).toEqual([
      'Roll back to revision 3 (`kubectl rollout undo deployment/api -n production --to-revision=3`)',
      'Add express to package.json (`npm install express --save`)',
    ]);
    expect(r.actionItems).toContain('Add APP_MISSING_DEPENDENCY and its fix to the runbook');
    const md = reportMarkdown(r);
    expect(md).toContain('- 14:07:00 - Incident opened (alert fired, critical): PodCrashLooping (alertmanager)');
    expect(md).toContain('- Time to detect: 7m');
    expect(md).toContain('- Time to mitigate: 8m');
    expect(md).toContain('- Time to resolve: 11m');
    expect(md).toContain('- Pods affected: 2 (api-7f-a, api-7f-b)');
    expect(md).toContain('- Replicas: 0 of 3 ready, 3 unavailable (at the diagnosis)');
  });

  it('says what is not known yet for an open incident without a diagnosis', () => {
    const { resolved: _r, ...open } = input().incident;
    const r = incidentReport({ incident: { ...open, phase: 'investigating', rootCause: undefined as never }, timeline: input().timeline.slice(0, 1) });
    expect(r.impact).toMatchObject({ timeToDetectSeconds: null, timeToMitigateSeconds: null, timeToResolveSeconds: null, podsAffected: [], replicas: null });
    expect(r.actionItems).toEqual(['Find the root cause: the diagnosis named none']);
    const md = reportMarkdown(r);
    expect(md).toContain('- Time to resolve: not yet');
    expect(md).toContain('- Time to detect: unknown');
  });

  it('writes durations the way people say them', () => {
    expect([0, 59, 60, 95, 3600, 3725].map((s) => durationText(s))).toEqual(['0s', '59s', '1m', '1m 35s', '1h', '1h 2m 5s']);
  });
});
