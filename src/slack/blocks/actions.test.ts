import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { MedicError } from '../../errors.js';
import { ACTION_IDS, FIX_ACTION_IDS, baseActionId, decodeButtonValue, encodeButtonValue, withUniqueActionIds, type ButtonValue } from './actions.js';

const ref = { cluster: 'prod', namespace: 'production', name: 'api-server' };
const json = (value: ButtonValue): string => {
  const encoded = encodeButtonValue(value);
  if ('problem' in encoded) throw new Error(encoded.problem);
  return encoded.json;
};

describe('button values', () => {
  it.each<[string, ButtonValue]>([
    ['a deployment', ref],
    ['a rollback', { ...ref, toRevision: 3 }],
    ['logs', { ...ref, pod: 'api-server-6dc5b6999b-tgcw8', container: 'api', previous: true }],
    ['an image', { ...ref, container: 'api', image: 'registry.example.com/api-server:v2.1.0' }],
    ['a memory limit', { ...ref, container: 'api', memory: '512Mi' }],
  ])('round-trips %s', (_what, value) => {
    expect(decodeButtonValue(json(value))).toEqual(value);
  });

  it('is compact JSON', () => {
    expect(json({ ...ref, toRevision: 3 })).toBe('{"cluster":"prod","namespace":"production","name":"api-server","toRevision":3}');
  });

  it('refuses to encode a value longer than Slack’s 2000 characters', () => {
    const image = `registry.example.com/api@sha256:${'a'.repeat(2000)}`;
    expect(encodeButtonValue({ ...ref, container: 'api', image })).toEqual({ problem: expect.stringMatching(/^button value is 2\d{3} characters; Slack allows 2000$/) });
  });

  it('encodes the longest legal names well within the limit', () => {
    const long = { cluster: 'c'.repeat(253), namespace: 'n'.repeat(63), name: 'd'.repeat(253), pod: 'p'.repeat(253), container: 'k'.repeat(63), previous: true };
    expect(json(long).length).toBeLessThanOrEqual(2000);
  });

  it.each([
    ['x'.repeat(2001), "invalid button value: 2001 characters, more than Slack's 2000"],
    ['not json', 'invalid button value: not JSON'],
    ['null', 'invalid button value: Invalid input: expected object, received null'],
    ['{"namespace":"production","name":"api-server"}', 'invalid button value: cluster: Invalid input: expected string, received undefined'],
    ['{"cluster":"prod","namespace":"Production","name":"api-server"}', 'invalid button value: namespace is not a Kubernetes name'],
    ['{"cluster":"prod","namespace":"production","name":"api/../../secrets"}', 'invalid button value: name is not a Kubernetes name'],
    ['{"cluster":"prod","namespace":"production","name":"api","toRevision":0}', 'invalid button value: toRevision is not a positive integer'],
    ['{"cluster":"prod","namespace":"production","name":"api","toRevision":"3"}', 'invalid button value: toRevision: Invalid input: expected number, received string'],
    ['{"cluster":"prod","namespace":"production","name":"api","image":"UPPER/case"}', 'invalid button value: image is not a valid image reference'],
    ['{"cluster":"prod","namespace":"production","name":"api","memory":"lots"}', 'invalid button value: memory is not a Kubernetes quantity'],
    ['{"cluster":"prod","namespace":"production","name":"api","admin":true}', 'invalid button value: Unrecognized key: "admin"'],
  ])('rejects %.80s', (raw, message) => {
    let error: unknown;
    try {
      decodeButtonValue(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MedicError);
    expect((error as MedicError).code).toBe('USAGE');
    expect((error as MedicError).message).toBe(message);
  });
});

describe('action IDs', () => {
  it('has one ID per fix the bot can propose, all distinct', () => {
    expect(Object.keys(FIX_ACTION_IDS).sort()).toEqual(['restart', 'resume', 'rollback', 'set-image', 'set-memory-limit', 'set-probe']);
    const ids = Object.values(ACTION_IDS);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reads the kind back from the bare ID and numbered repeats, nothing else', () => {
    expect(baseActionId('deploy_fix_set_image:3')).toBe('deploy_fix_set_image');
    expect(baseActionId('deploy_logs:17')).toBe('deploy_logs');
    expect(baseActionId('deploy_diagnose')).toBe('deploy_diagnose');
    expect(['something_else', 'deploy_logsx', 'xdeploy_logs', 'deploy_logs:', 'deploy_logs:a'].map(baseActionId)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('numbers repeated IDs across the whole message, leaving the first bare', () => {
    const btn = (action_id: string) => ({ type: 'button' as const, text: { type: 'plain_text' as const, text: 'x' }, action_id });
    const blocks: KnownBlock[] = [
      { type: 'actions', elements: [btn('deploy_logs'), btn('deploy_logs'), btn('deploy_diagnose')] },
      { type: 'divider' },
      { type: 'actions', elements: [btn('deploy_logs')] },
    ];
    const ids = withUniqueActionIds(blocks).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => (e as { action_id: string }).action_id) : []));
    expect(ids).toEqual(['deploy_logs', 'deploy_logs:2', 'deploy_diagnose', 'deploy_logs:3']);
  });
});
