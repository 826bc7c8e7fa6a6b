import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, crashLoop } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeDeployment } from '../../domain/analyzers/index.js';
import { buildDiagnosis, type DiagnosisReport } from '../../domain/diagnosis.js';
import type { Evidence, Finding } from '../../domain/finding.js';
import { diagnosisCard } from './diagnosis-card.js';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  code: 'IMAGE_TAG_NOT_FOUND',
  severity: 'critical',
  title: 'Image tag v2.0.1 not found in registry.example.com/api-server',
  summary: 'v2.0.1 does not exist in registry.example.com/api-server; v2.1.0 does.',
  evidence: [
    { kind: 'event', name: 'pod/api-server-6dc5b6999b-tgcw8', detail: 'Warning Failed: Failed to pull image (x7)' },
    { kind: 'log', name: 'pod/api-server-6dc5b6999b-tgcw8 container api (previous)', detail: 'Starting\nError: boom' },
  ],
  fixes: [],
  pods: ['api-server-6dc5b6999b-tgcw8'],
  ...over,
});

function report(over: Partial<DiagnosisReport> = {}): DiagnosisReport {
  return {
    deployment: {
      namespace: 'production',
      name: 'api-server',
      uid: 'uid-1',
      revision: 4,
      generation: 4,
      observedGeneration: 4,
      paused: false,
      images: ['registry.example.com/api-server:v2.0.1'],
      replicas: { desired: 3, updated: 1, ready: 2, available: 2, unavailable: 1 },
    },
    rollout: { state: 'failed', message: 'deployment "api-server" exceeded its progress deadline' },
    revisions: [],
    lastHealthyRevision: 3,
    findings: [finding()],
    notes: [],
    collectedAt: '2024-05-01T03:00:00Z',
    durationMs: 812,
    ...over,
  };
}

const texts = (m: ReturnType<typeof diagnosisCard>) =>
  m.blocks.map((b) => (b.type === 'section' || b.type === 'header' ? b.text!.text : b.type === 'context' ? (b.elements[0] as { text: string }).text : b.type));
const ref = { cluster: 'prod', namespace: 'production', name: 'api-server' };

describe('diagnosisCard', () => {
  it('puts the root cause first: header, summary, evidence, log, then the footer', () => {
    const m = diagnosisCard(report(), 'prod');
    expect(texts(m)).toEqual([
      '🔴 Image tag v2.0.1 not found in registry.example.com/api-server',
      [
        '*Root cause* in `production/api-server`: 🔴 critical `IMAGE_TAG_NOT_FOUND`',
        'v2.0.1 does not exist in registry.example.com/api-server; v2.1.0 does.',
        '',
        '❌ *Rollout failed*: deployment "api-server" exceeded its progress deadline',
        '*Revision* 4 · last healthy 3   *Replicas* 2/3 ready, 1 up-to-date, 2 available, 1 unavailable',
      ].join('\n'),
      '*Evidence*\n• _event_ pod/api-server-6dc5b6999b-tgcw8: Warning Failed: Failed to pull image (x7)',
      '_log_ pod/api-server-6dc5b6999b-tgcw8 container api (previous)\n```\nStarting\nError: boom\n```',
      'Cluster `prod` · collected <!date^1714532400^{date_short_pretty} at {time_secs}|2024-05-01T03:00:00Z> in 812 ms',
    ]);
    expect(m.text).toBe('🔴 production/api-server: IMAGE_TAG_NOT_FOUND Image tag v2.0.1 not found in registry.example.com/api-server');
    expect(messageProblems(m)).toEqual([]);
  });

  it.each([
    ['critical', '🔴'],
    ['error', '🟠'],
    ['warning', '🟡'],
    ['info', 'ℹ️'],
  ] as const)('marks a %s root cause with %s', (severity, emoji) => {
    expect(texts(diagnosisCard(report({ findings: [finding({ severity })] }), 'prod'))[0]).toBe(`${emoji} Image tag v2.0.1 not found in registry.example.com/api-server`);
  });

  it('offers the fixes the bot can do as buttons, and the rest as commands', () => {
    const fixes: Finding['fixes'] = [
      { kind: 'set-image', title: 'Set api to v2.1.0', container: 'api', image: 'registry.example.com/api-server:v2.1.0' },
      { kind: 'set-image', title: 'Set api to v2.0.0', container: 'api', image: 'registry.example.com/a/very/long/path/to/the/repository/of/api-server:v2.0.0' },
      { kind: 'rollback', title: 'Roll back to revision 3', toRevision: 3 },
      { kind: 'set-memory-limit', title: 'Raise the memory limit to 512Mi', container: 'api', memory: '512Mi' },
      { kind: 'resume', title: 'Resume the rollout' },
      { kind: 'restart', title: 'Restart the pods' },
      { kind: 'manual', title: 'Create Secret api-jwt', command: 'kubectl create secret generic api-jwt -n production --from-literal=key=<value>' },
      { kind: 'manual', title: 'Ask the database team' },
      { kind: 'set-probe', title: 'Point the liveness probe at port 3000', container: 'api', probe: 'liveness', port: 3000 },
    ];
    const m = diagnosisCard(report({ findings: [finding({ fixes })] }), 'prod');
    expect(buttonsOf(m)).toEqual([
      { text: 'Propose image registry.example.com/api-server:v2.1.0', actionId: 'deploy_fix_set_image', value: { ...ref, container: 'api', image: 'registry.example.com/api-server:v2.1.0' } },
      { text: 'Propose image api-server:v2.0.0', actionId: 'deploy_fix_set_image:2', value: { ...ref, container: 'api', image: 'registry.example.com/a/very/long/path/to/the/repository/of/api-server:v2.0.0' } },
      { text: 'Propose rollback to revision 3', actionId: 'deploy_fix_rollback', value: { ...ref, toRevision: 3 } },
      { text: 'Propose memory limit 512Mi for api', actionId: 'deploy_fix_set_memory', value: { ...ref, container: 'api', memory: '512Mi' } },
      { text: 'Propose resume', actionId: 'deploy_fix_resume', value: ref },
      { text: 'Propose restart', actionId: 'deploy_fix_restart', value: ref },
      { text: 'Propose liveness probe port 3000 for api', actionId: 'deploy_fix_set_probe', value: { ...ref, container: 'api', probe: 'liveness', port: 3000 } },
    ]);
    expect(texts(m)).toContain(
      [
        '*Fixes*',
        '• Create Secret api-jwt: `kubectl create secret generic api-jwt -n production --from-literal=key=&lt;value&gt;`',
        '• Ask the database team',
      ].join('\n'),
    );
    expect(messageProblems(m)).toEqual([]);
  });

  it('lists the other findings briefly after the root cause, in their order', () => {
    const others = [finding({ code: 'CRASH_LOOP', severity: 'error', title: 'Crash loop', summary: 'It crashes.' }), finding({ code: 'PROGRESS_DEADLINE_EXCEEDED', severity: 'warning', title: 'Deadline', summary: 'Too slow.' })];
    const m = diagnosisCard(report({ findings: [finding(), ...others] }), 'prod');
    const t = texts(m);
    expect(t.slice(t.indexOf('divider'))).toEqual([
      'divider',
      '*Also found* (2)',
      '🟠 *Crash loop* `CRASH_LOOP`\nIt crashes.',
      '🟡 *Deadline* `PROGRESS_DEADLINE_EXCEEDED`\nToo slow.',
      expect.stringMatching(/^Cluster `prod`/),
    ]);
    expect(m.text).toContain('(and 2 more findings)');
  });

  it('says plainly when nothing is wrong', () => {
    const m = diagnosisCard(report({ findings: [], rollout: { state: 'complete', message: 'deployment "api-server" successfully rolled out' } }), 'prod');
    expect(texts(m).slice(0, 2)).toEqual([
      '✅ production/api-server: no problems found',
      '✅ *Rollout complete*: deployment "api-server" successfully rolled out\n*Revision* 4 · last healthy 3   *Replicas* 2/3 ready, 1 up-to-date, 2 available, 1 unavailable',
    ]);
    expect(m.text).toBe('✅ production/api-server: no problems found (deployment "api-server" successfully rolled out)');
    expect(buttonsOf(m)).toEqual([]);
  });

  it('says what could not be read', () => {
    const m = diagnosisCard(report({ notes: ['events: forbidden: cannot list events', 'logs: timeout'] }), 'prod');
    expect(texts(m)).toContain('⚠️ *Could not read everything; the findings are based on the rest:*\n• events: forbidden: cannot list events\n• logs: timeout');
  });

  it('escapes cluster text; the header is plain text and shows it as is', () => {
    const m = diagnosisCard(report({ findings: [finding({ title: '<!channel> down', summary: 'see <https://evil.example|here> & <@U0BOB>', evidence: [{ kind: 'log', name: 'pod/x', detail: '<!here> ``` done' }] })] }), 'prod');
    expect(messageProblems(m)).toEqual([]);
    const t = texts(m);
    expect(t[0]).toBe('🔴 <!channel> down');
    expect(allText(m)).toContain('see &lt;https://evil.example|here&gt; &amp; &lt;@U0BOB&gt;');
    expect(m.text).toContain('&lt;!channel&gt; down');
  });

  it('stays within Slack’s limits for 50 findings with 5 evidence each, 10 kB log lines and 3,000-character texts', () => {
    const huge = 'é'.repeat(3000);
    const evidence: Evidence[] = [
      { kind: 'log', name: 'pod/😀', detail: Array.from({ length: 200 }, (_, i) => `${i} ${'L'.repeat(10_000)}`).join('\n') },
      { kind: 'log', name: huge, detail: '```'.repeat(2000) },
      ...Array.from({ length: 3 }, (): Evidence => ({ kind: 'event', name: huge, detail: huge })),
    ];
    const many = Array.from({ length: 50 }, (_, i) =>
      finding({ code: i ? 'CRASH_LOOP' : 'OOM_KILLED', title: `${i} ${huge}`, summary: huge, evidence, fixes: [{ kind: 'manual', title: huge, command: huge }, { kind: 'rollback', title: huge, toRevision: 2 }] }),
    );
    const m = diagnosisCard(report({ findings: many, notes: Array.from({ length: 100 }, () => huge) }), 'prod');
    expect(messageProblems(m)).toEqual([]);
    expect(m.blocks).toHaveLength(50);
    const t = texts(m);
    expect(t[0]!.startsWith('🔴 0 é')).toBe(true);
    expect(t[1]).toContain('`OOM_KILLED`');
    expect(t[t.length - 2]).toMatch(/^…\d+ more findings not shown; use the CLI for everything: `deploy-medic diagnose api-server -n production`$/);
    expect(t[t.length - 1]).toMatch(/^Cluster `prod`/);
    expect(buttonsOf(m)).toEqual([{ text: 'Propose rollback to revision 2', actionId: 'deploy_fix_rollback', value: { ...ref, toRevision: 2 } }]);
  });

  it('renders a real diagnosis: the cause, its log and the rollback the analyzers found', () => {
    const snapshot = new SnapshotBuilder('orders-api')
      .change((c) => void (c.image = 'registry.example.com/orders-api:v2'))
      .deadlineExceeded()
      .readyPods(1, 3)
      .newPods(2, crashLoop(['Starting', 'Error: getaddrinfo ENOTFOUND db-new']))
      .build();
    const r = buildDiagnosis(snapshot, analyzeDeployment(snapshot), 812);
    const m = diagnosisCard(r, 'prod');
    expect(messageProblems(m)).toEqual([]);
    const t = texts(m);
    expect(t[1]).toContain('`APP_CONFIG_DNS_ERROR`');
    expect(t.find((x) => x.startsWith('_log_'))).toContain('```\nStarting\nError: getaddrinfo ENOTFOUND db-new\n```');
    expect(t.indexOf('*Also found* (2)')).toBeGreaterThan(t.findIndex((x) => x.startsWith('_log_')));
    expect(buttonsOf(m)).toEqual([{ text: 'Propose rollback to revision 1', actionId: 'deploy_fix_rollback', value: { cluster: 'prod', namespace: 'production', name: 'orders-api', toRevision: 1 } }]);
  });
});
