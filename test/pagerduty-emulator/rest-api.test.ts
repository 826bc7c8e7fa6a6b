import { api } from '@pagerduty/pdjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPd, trigger, type Pd } from './helpers.js';

describe('PagerDuty emulator: REST API v2 through pdjs', () => {
  let pd: Pd;
  beforeAll(async () => {
    pd = await startPd();
  });
  afterAll(() => pd.stop());

  it('lists who is on call per escalation level, in PagerDuty\'s shape, filtered by policy and schedule', async () => {
    const res = await pd.rest.get('/oncalls', { data: { 'escalation_policy_ids[]': ['PEPOL01'] } });
    expect(res.status).toBe(200);
    // pdjs finds `resource` only on a *.com host; against the emulator read `data`.
    expect(res.resource).toBeNull();
    expect(res.data).toMatchObject({ limit: 25, offset: 0, more: false, total: null });
    expect(res.data.oncalls).toHaveLength(2);
    expect(res.data.oncalls[0]).toEqual({
      escalation_policy: { id: 'PEPOL01', type: 'escalation_policy_reference', summary: 'DevOps (L1)', self: `${pd.em.url}/escalation_policies/PEPOL01`, html_url: 'https://deploy-medic.pagerduty.com/escalation_policies/PEPOL01' },
      escalation_level: 1,
      schedule: expect.objectContaining({ id: 'PSCHED1', type: 'schedule_reference', summary: 'Primary on-call' }),
      user: expect.objectContaining({ id: 'PALICE0', type: 'user_reference', summary: 'Alice Anders' }),
      start: expect.any(String),
      end: expect.any(String),
    });
    expect(res.data.oncalls[1]).toMatchObject({ escalation_level: 2, user: { id: 'PBOB000' } });

    const secondary = await pd.rest.get('/oncalls', { data: { 'schedule_ids[]': ['PSCHED2'], 'include[]': ['users'] } });
    expect(secondary.data.oncalls.map((o: { escalation_policy: { id: string } }) => o.escalation_policy.id)).toEqual(['PEPOL01', 'PEPOL02', 'PEPOL03']);
    expect(secondary.data.oncalls[0].user).toMatchObject({ type: 'user', email: 'bob@example.com', name: 'Bob Brown' });

    pd.em.setOnCall('PSCHED1', 'PCAROL0');
    const handedOver = await pd.rest.get('/oncalls', { data: { 'escalation_policy_ids[]': ['PEPOL03'], earliest: 'true' } });
    expect(handedOver.data.oncalls.map((o: { user: { id: string } }) => o.user.id)).toEqual(['PCAROL0', 'PBOB000']);
    pd.em.setOnCall('PSCHED1', 'PALICE0');
  });

  it('lists and reads incidents: status, incident_key, service, assignments, urgency', async () => {
    await pd.send(trigger('rest-1'));
    await pd.send(trigger('rest-2', { payload: { summary: 'Quota exceeded', source: 'prod/production', severity: 'info' } }));
    const all = await pd.rest.get('/incidents', { data: { 'statuses[]': ['triggered', 'acknowledged'], total: 'true' } });
    expect(all.data.total).toBe(2);
    const byKey = await pd.rest.get('/incidents', { data: { incident_key: 'rest-1' } });
    const [listed] = byKey.data.incidents;
    expect(listed).toMatchObject({
      type: 'incident',
      status: 'triggered',
      incident_key: 'rest-1',
      title: 'Rollout of api-server failed (rest-1)',
      urgency: 'high',
      service: { id: 'PSVC001', type: 'service_reference' },
      escalation_policy: { id: 'PEPOL01' },
      assignments: [{ at: expect.any(String), assignee: { id: 'PALICE0', type: 'user_reference' } }],
      alert_counts: { all: 1, triggered: 1, resolved: 0 },
      incident_number: expect.any(Number),
      created_at: expect.stringMatching(/Z$/),
    });
    const one = await pd.rest.get(`/incidents/${listed.id}`);
    expect(one.data.incident).toEqual(listed);
    expect((await pd.rest.get('/incidents/PNOPE00')).status).toBe(404);
    const bad = await pd.rest.get('/incidents', { data: { 'statuses[]': ['open'] } });
    expect(bad.status).toBe(400);
    expect(bad.data.error).toMatchObject({ message: 'Invalid Input Provided', code: 2001 });
  });

  it('acknowledges and resolves as the user in `From`, and refuses without it or once resolved', async () => {
    await pd.send(trigger('rest-ack'));
    const [incident] = pd.em.incidents({ dedupKey: 'rest-ack' });
    const put = (status: string, headers: Record<string, string> = { From: 'alice@example.com' }) =>
      pd.rest.put(`/incidents/${incident!.id}`, { data: { incident: { type: 'incident_reference', status } }, headers });

    const noFrom = await put('acknowledged', {});
    expect(noFrom.status).toBe(400);
    expect(noFrom.data.error.errors[0]).toMatch(/"From" header/);
    expect((await put('acknowledged', { From: 'mallory@example.com' })).data.error).toEqual({ message: 'Requester User Not Found', code: 1008 });

    const acked = await put('acknowledged');
    expect(acked.status).toBe(200);
    expect(acked.data.incident).toMatchObject({ status: 'acknowledged', acknowledgements: [{ acknowledger: { id: 'PALICE0', type: 'user_reference' } }], last_status_change_by: { id: 'PALICE0' } });
    expect((await put('resolved')).data.incident.status).toBe('resolved');
    expect((await put('acknowledged')).data.error).toEqual({ message: 'Incident Already Resolved', code: 1001 });
    expect(pd.em.incident(incident!.id).history.map((h) => [h.type, h.via])).toEqual([
      ['incident.triggered', 'events_api'],
      ['incident.acknowledged', 'rest_api'],
      ['incident.resolved', 'rest_api'],
    ]);
    // Resolved in PagerDuty, the alert is closed: the same dedup_key now opens a new incident.
    await pd.send(trigger('rest-ack'));
    expect(pd.em.incidents({ dedupKey: 'rest-ack' })).toHaveLength(2);
  });

  it('escalates, reassigns and takes notes through PUT and POST', async () => {
    await pd.send(trigger('rest-esc'));
    const [incident] = pd.em.incidents({ dedupKey: 'rest-esc' });
    const from = { From: 'bob@example.com' };
    const escalated = await pd.rest.put(`/incidents/${incident!.id}`, { data: { incident: { type: 'incident_reference', escalation_level: 2 } }, headers: from });
    expect(escalated.data.incident.assignments.map((a: { assignee: { id: string } }) => a.assignee.id)).toEqual(['PBOB000']);
    const reassigned = await pd.rest.put(`/incidents/${incident!.id}`, { data: { incident: { type: 'incident_reference', assignments: [{ assignee: { id: 'PCAROL0', type: 'user_reference' } }] } }, headers: from });
    expect(reassigned.data.incident.assignments[0].assignee.id).toBe('PCAROL0');
    const note = await pd.rest.post(`/incidents/${incident!.id}/notes`, { data: { note: { content: 'Rolling back to revision 3' } }, headers: from });
    expect(note.status).toBe(201);
    expect(note.data.note).toMatchObject({ content: 'Rolling back to revision 3', user: { id: 'PBOB000' } });
    expect(pd.em.incident(incident!.id).history.map((h) => h.type)).toEqual(['incident.triggered', 'incident.escalated', 'incident.reassigned', 'incident.annotated']);
  });

  it('wants an API token and records the headers pdjs sent', async () => {
    const wrong = await api({ token: 'not-a-token', server: pd.em.server, ...({ agent: pd.agent } as object) }).get('/oncalls');
    expect(wrong.status).toBe(401);
    expect(wrong.data).toEqual({ error: { message: 'Authentication failed', code: 2006 } });
    expect(pd.em.restCalls().at(-1)).toMatchObject({ method: 'GET', path: '/oncalls', accept: 'application/vnd.pagerduty+json;version=2', status: 401 });
    expect(pd.em.restCalls().find((c) => c.method === 'PUT' && c.status === 200)).toMatchObject({ from: 'alice@example.com' });
  });
});
