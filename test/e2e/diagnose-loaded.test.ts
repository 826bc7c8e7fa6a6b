import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDeployment } from '../../src/domain/analyzers/index.js';
import type { DiagnosisReport } from '../../src/domain/diagnosis.js';
import type { DeploymentSnapshot } from '../../src/domain/snapshot.js';
import { FAMILY_SNAPSHOTS } from '../fixtures/family-snapshots.js';
import { loadSnapshot, rebased } from '../fixtures/load-snapshot.js';
import { runCli, startCli, stopCli, type CliResult } from '../helpers/cli.js';

/**
 * Each new failure family as an observed state, not a played-out scenario:
 * its objects, statuses, events and container logs written into
 * `deploy-medic sim --no-controllers` through the API, then diagnosed by
 * `deploy-medic diagnose`, which must say what the analyzers say of the
 * same snapshot.
 */
let child: ChildProcessWithoutNullStreams;
const worlds = new Map<string, DeploymentSnapshot>();
const results = new Map<string, CliResult>();
const dir = mkdtempSync(join(tmpdir(), 'medic-loaded-'));
const kubeconfig = join(dir, 'kubeconfig');

beforeAll(async () => {
  const started = await startCli(['sim', '--no-controllers', '--clock', 'manual', '--port', '0', '--kubeconfig-out', kubeconfig], /listening on (http:\/\/\S+)\n/);
  child = started.child;
  const url = started.match[1]!;
  const clock = (await (await fetch(`${url}/_sim/v1/clock`)).json()) as { now: string };
  // One namespace per family, so their Services and claims cannot meet; nodes are the cluster's, shared by all.
  for (const [name, build] of Object.entries(FAMILY_SNAPSHOTS)) {
    const snapshot = rebased(build(), new Date(clock.now), name);
    await loadSnapshot(url, snapshot);
    worlds.set(name, snapshot);
  }
  const nodes = [...new Map([...worlds.values()].flatMap((s) => s.nodes).map((n) => [n.metadata!.name!, n])).values()];
  for (const s of worlds.values()) s.nodes = nodes;
  await Promise.all(
    [...worlds].map(async ([name, s]) => {
      results.set(name, await runCli(['diagnose', s.deployment.metadata!.name!, '-n', name, '--output', 'json', '--kubeconfig', kubeconfig]));
    }),
  );
}, 120_000);

afterAll(async () => {
  if (child) await stopCli(child);
});

describe('a loaded snapshot of each new family, diagnosed through the CLI', () => {
  it.each(Object.keys(FAMILY_SNAPSHOTS))('%s: the same root cause as the analyzers find in the snapshot, with evidence and a fix; exit 1', (name) => {
    const r = results.get(name)!;
    expect(r.stdout.startsWith('{'), r.stderr).toBe(true);
    const report = JSON.parse(r.stdout) as DiagnosisReport;
    const expected = analyzeDeployment(worlds.get(name)!);
    expect(r.code, r.stderr).toBe(1);
    expect(report.notes).toEqual([]);
    expect(report.findings.map((f) => f.code)).toEqual(expected.map((f) => f.code));
    const [got, want] = [report.findings[0]!, expected[0]!];
    expect(got.title).toBe(want.title);
    expect(got.evidence.length).toBeGreaterThan(0);
    expect(got.fixes.length).toBeGreaterThan(0);
    expect(got.evidence.map((e) => e.detail)).toEqual(want.evidence.map((e) => e.detail));
  });
});
