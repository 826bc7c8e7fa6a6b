import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startPlayground, type Playground } from '../../src/playground/playground.js';

/**
 * The playground's whole loop in a real browser, through the page only:
 * Debian's Chromium (/usr/bin/chromium, headless, a fresh profile, no
 * browser download) driven by playwright-core. Break the image-tag scenario
 * in production → the incident thread → its diagnosis → the rollback
 * proposal → PagerDuty acknowledged as the on-call → a reader's Approve
 * refused (only visible to them) → approved by the approver, another person
 * (four-eyes) → the rollback runs → verified → PagerDuty resolved → the
 * post-incident report from the composer.
 *
 * Every step waits on what the page shows, and saves a screenshot:
 *   test-artifacts/playground/NN-step.png  (gitignored; emptied at the start of each run)
 */
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/playground');
const CHROMIUM = '/usr/bin/chromium';
const STEP_MS = 60_000;
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

let pg: Playground;
let context: BrowserContext;
let page: Page;
let profile: string;
let shot = 0;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser test needs Debian's Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  pg = await startPlayground({ port: 0 }, silent);
  profile = mkdtempSync(join(tmpdir(), 'medic-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1680, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_MS);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await pg?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function screenshot(step: string): Promise<void> {
  shot++;
  await page.screenshot({ path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${step}.png`) });
}

const thread = () => page.locator('#thread');
const scenario = (name: string) => page.locator(`#cluster [data-scenario="${name}"]`);
/** Waits until the locator shows; its first match, for further use. */
const shown = async (l: Locator): Promise<Locator> => {
  await l.first().waitFor({ state: 'visible' });
  return l.first();
};

async function actAs(name: string, role: string): Promise<void> {
  const user = page.locator('#sidebar .user-switch', { hasText: name });
  await expect.poll(() => user.textContent()).toContain(role);
  await user.click();
  await shown(page.locator('#me', { hasText: `You are ${name}` }));
  await shown(page.locator('#sidebar .user-switch.current', { hasText: name }));
}

/** Presses the thread's Approve button and confirms in the dialog the button asks for. */
async function approveInThread(): Promise<void> {
  await (await shown(thread().locator('button[data-action^="deploy_approve"]'))).click();
  const dialog = page.locator('dialog#confirm');
  await shown(dialog.locator('h4'));
  await dialog.locator('button[value="confirm"]').click();
}

describe('the playground console in Chromium', { timeout: 2 * STEP_MS }, () => {
  let incidentId = '';

  it('serves the console: users with their roles, the channels, the cluster at its healthy revisions', async () => {
    await page.goto(pg.url);
    await shown(page.locator('#sidebar .channel-link', { hasText: 'incidents' }));
    for (const [name, role] of [['Alice Anders', 'operator'], ['Bob Brown', 'approver'], ['Carol Chen', 'reader']]) {
      await shown(page.locator('#sidebar .user-switch', { hasText: name }).locator(`.role-${role}`));
    }
    await shown(scenario('image-tag-not-found').locator('button[data-break]'));
    expect(await scenario('image-tag-not-found').getAttribute('data-revision')).toBe('1');
    await actAs('Alice Anders', 'operator');
    await screenshot('console');
  });

  it('break it: the bad revision rolls out and its pods cannot pull the image', async () => {
    await scenario('image-tag-not-found').locator('button[data-break]').click();
    await shown(page.locator('#cluster [data-scenario="image-tag-not-found"][data-revision="2"] .pod-bad', { hasText: /ErrImagePull|ImagePullBackOff/ }));
    await screenshot('broken');
  });

  it('the watcher opens an incident thread, linked from the incidents panel', async () => {
    const incident = await shown(page.locator('#incidents .incident.open', { hasText: 'production/api-server' }));
    incidentId = (await incident.getAttribute('data-incident'))!;
    expect(incidentId).toMatch(/^inc-[0-9a-f]{10}$/);
    await incident.locator('a.incident-link').click();
    await shown(page.locator('#thread-pane .bk-header', { hasText: 'production/api-server' }));
    await expect.poll(() => page.locator('#channel-name').textContent()).toBe('#incidents');
    await screenshot('incident-thread');
  });

  it('the diagnosis arrives in the thread', async () => {
    await shown(thread().locator('.msg', { hasText: 'IMAGE_TAG_NOT_FOUND' }));
    await shown(thread().locator('.msg', { hasText: 'Image tag v2.0.1 not found' }));
    await screenshot('diagnosis');
  });

  it('a rollback is proposed, and PagerDuty is paged', async () => {
    await shown(thread().locator('.msg', { hasText: 'Roll production/api-server back from revision 2 to revision 1' }));
    await shown(thread().locator('button.btn-primary[data-action^="deploy_approve"]'));
    await shown(thread().locator('button.btn-danger[data-action^="deploy_reject"]'));
    await shown(page.locator(`#pagerduty [data-pd-key="${incidentId}"][data-pd-status="triggered"]`));
    await screenshot('proposal');
  });

  it('the on-call acknowledges in PagerDuty; the thread hears of it', async () => {
    await page.locator(`#pagerduty [data-pd-key="${incidentId}"] button[data-pd-ack]`).click();
    await shown(page.locator(`#pagerduty [data-pd-key="${incidentId}"][data-pd-status="acknowledged"]`));
    await shown(thread().locator('.msg', { hasText: 'Alice Anders took this incident in PagerDuty' }));
    await screenshot('pagerduty-acknowledged');
  });

  it('a reader may not approve: the refusal is only visible to them', async () => {
    await actAs('Carol Chen', 'reader');
    await approveInThread();
    const refusal = await shown(page.locator('.msg.ephemeral', { hasText: /only approvers may vote/ }));
    expect(await refusal.textContent()).toContain('Only visible to you');
    await screenshot('reader-refused');
    await actAs('Bob Brown', 'approver');
    expect(await page.locator('.msg.ephemeral', { hasText: /only approvers may vote/ }).count()).toBe(0);
  });

  it('the approver, another person than the operator, approves after the confirm dialog: the rollback runs', async () => {
    await approveInThread();
    await shown(thread().locator('.msg', { hasText: 'Approved by @Bob Brown' }));
    await shown(thread().locator('.mention', { hasText: '@Bob Brown' }));
    expect(await thread().innerText()).not.toContain('<@');
    await shown(page.locator('#cluster [data-scenario="image-tag-not-found"][data-revision="3"]'));
    await screenshot('rollback-executed');
  });

  it('the rollback is verified and the incident resolved', async () => {
    await shown(thread().locator('.msg', { hasText: /production\/api-server verified/ }));
    // The fix's verification or the watcher seeing the rollout recover, whichever is first, resolves it.
    await shown(thread().locator('.msg', { hasText: /Resolved: (the fix was verified|the rollout recovered)/ }));
    await shown(page.locator('#cluster [data-scenario="image-tag-not-found"] .rollout-complete'));
    await shown(page.locator(`#incidents .incident.resolved[data-incident="${incidentId}"]`));
    // The proposal card is updated in place: no buttons left, its status says done.
    const card = thread().locator('.msg', { hasText: 'Rollback proposed: production/api-server' });
    await shown(card.locator('.bk-section', { hasText: 'Done, approved by @Bob Brown' }));
    expect(await card.locator('button[data-action^="deploy_approve"]').count()).toBe(0);
    await screenshot('verified');
  });

  it('PagerDuty shows the page resolved', async () => {
    await shown(page.locator(`#pagerduty [data-pd-key="${incidentId}"][data-pd-status="resolved"]`));
    await screenshot('pagerduty-resolved');
  });

  it('/deploy incident report ID in the composer posts the post-incident report', async () => {
    await page.locator('#composer-text').fill(`/deploy incident report ${incidentId}`);
    await page.locator('#composer button[type="submit"]').click();
    const report = await shown(page.locator('#messages .msg', { hasText: `Post-incident report: ${incidentId}` }));
    await shown(report.locator('pre.code-block'));
    await expect.poll(() => page.locator('#composer-text').inputValue()).toBe('');
    await screenshot('incident-report');
  });
});
