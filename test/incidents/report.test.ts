import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportMarkdown, type IncidentReport } from '../../src/domain/incident-report.js';
import { storedIncidentReport } from '../../src/services/incident-report.js';
import { runCli } from '../helpers/cli.js';
import { SUBJECT, TARGET, incidentWorld, type IncidentWorld } from './world.js';

/**
 * The post-incident report of an incident opened, annotated and resolved
 * through the incident service over a real SQLite store: its real timeline,
 * the seed's sections, and `deploy-medic incident report` printing it.
 */
let w: IncidentWorld;
let id: string;

beforeAll(async () => {
  w = await incidentWorld({ incidents: { channel: 'C0INCIDENTS' } });
  const { incident, created } = await w.incidents.detect({
    subject: SUBJECT,
    detection: { source: 'watcher', severity: 'critical', rootCause: 'IMAGE_TAG_NOT_FOUND', summary: 'Image tag v2.0.1 does not exist' },
  });
  expect(created).toBe(true);
  id = incident.id;
  w.clock.advance(2 * 60_000);
  expect((await w.incidents.act(id, { kind: 'acknowledged', by: 'U0ALICE', via: 'slack' })).ok).toBe(true);
  w.clock.advance(60_000);
  expect((await w.incidents.act(id, { kind: 'note', by: 'U0ALICE', text: 'Rolling back by hand' })).ok).toBe(true);
  w.clock.advance(5 * 60_000);
  await w.incidents.recovered(TARGET, 'all 3 replicas available');
});
afterAll(() => w?.close());

describe('the post-incident report', () => {
  it('holds the incident’s real timeline, root cause, impact and action items', async () => {
    const report = (await storedIncidentReport(w.store, id))!;
    expect(report.phase).toBe('resolved');
    expect(report.timeline.map((e) => [e.at.slice(11, 19), e.kind, e.actor])).toEqual([
      ['03:00:00', 'opened', 'deploy-medic'],
      ['03:00:00', 'paged', 'deploy-medic'],
      ['03:02:00', 'acknowledged', 'U0ALICE'],
      ['03:03:00', 'note', 'U0ALICE'],
      ['03:08:00', 'recovered', 'deploy-medic'],
      ['03:08:00', 'resolved', 'deploy-medic'],
    ]);
    expect(report.timeline[3]!.text).toBe('Note: Rolling back by hand');
    expect(report.rootCause).toEqual({ code: 'IMAGE_TAG_NOT_FOUND', summary: 'Image tag v2.0.1 does not exist' });
    expect(report.impact).toMatchObject({ timeToMitigateSeconds: 480, timeToResolveSeconds: 480, timeToDetectSeconds: null, resolvedAt: '2024-05-01T03:08:00.000Z' });
    expect(report.actionItems.join('\n')).toMatch(/image tag exists in the registry/);

    const md = reportMarkdown(report);
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# Post-Incident Report: Failed deployment production/api-server revision 4 2024-05-01',
      '## Timeline',
      '## Root Cause',
      '## Impact',
      '## Action Items',
    ]);
    expect(md).toContain('- 03:03:00 - Note: Rolling back by hand (U0ALICE)');
    expect(md).toContain('- Time to resolve: 8m');
    expect(md).toMatch(/^- \[ \] /m);
    expect(await w.incidents.report(id)).toEqual(report);
  });

  it('is printed by deploy-medic incident report as Markdown and as JSON', async () => {
    const md = await runCli(['incident', 'report', id], { DATABASE_URL: w.databaseUrl });
    expect(md.stderr).toBe('');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# Post-Incident Report: Failed deployment production/api-server revision 4');
    expect(md.stdout).toContain('- 03:02:00 - Taken in Slack (U0ALICE)');

    const json = await runCli(['incident', 'report', id, '--output', 'json'], { DATABASE_URL: w.databaseUrl });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as IncidentReport;
    expect(parsed.id).toBe(id);
    expect(parsed.timeline.map((e) => e.kind)).toEqual(['opened', 'paged', 'acknowledged', 'note', 'recovered', 'resolved']);
    expect(parsed.impact.timeToResolveSeconds).toBe(480);
  });

  it('exits 2 with a clear message for a malformed or unknown ID, or a bad --output', async () => {
    const bad = await runCli(['incident', 'report', 'INC-42'], { DATABASE_URL: w.databaseUrl });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"INC-42" is not an incident ID \(inc- and 10 hex digits/);
    const unknown = await runCli(['incident', 'report', 'inc-ffffffffff'], { DATABASE_URL: w.databaseUrl });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/there is no incident inc-ffffffffff/);
    const output = await runCli(['incident', 'report', id, '--output', 'yaml'], { DATABASE_URL: w.databaseUrl });
    expect(output.code).toBe(2);
    expect(output.stderr).toMatch(/--output: expected one of markdown, json/);
    const missing = await runCli(['incident'], { DATABASE_URL: w.databaseUrl });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing the subcommand/);
  });
});
