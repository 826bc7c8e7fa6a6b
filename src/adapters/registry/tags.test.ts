import { describe, expect, it } from 'vitest';
import { compareVersions, editDistance, nearestTags, parseVersionTag } from './tags.js';

describe('nearestTags', () => {
  it('puts the same major.minor first, then the same major, then other majors', () => {
    expect(nearestTags('v2.0.1', ['v1.9.3', 'v2.1.0', 'v2.0.0'])).toEqual(['v2.0.0', 'v2.1.0', 'v1.9.3']);
    expect(nearestTags('v2.0.5', ['v3.0.0', 'v2.1.0', 'v2.0.7', 'v1.9.9', 'v2.0.4'], 4)).toEqual(['v2.0.4', 'v2.0.7', 'v2.1.0', 'v3.0.0']);
  });

  it('in another major or minor line, prefers the tags nearest along the version line', () => {
    expect(nearestTags('v2.0.1', ['v1.0.0', 'v1.2.0', 'v3.1.0', 'v1.1.0', 'v3.0.0'], 5)).toEqual(['v3.0.0', 'v3.1.0', 'v1.2.0', 'v1.1.0', 'v1.0.0']);
    expect(nearestTags('v2.3.0', ['v2.1.5', 'v2.1.9', 'v2.5.0', 'v2.5.1'], 4)).toEqual(['v2.5.0', 'v2.5.1', 'v2.1.9', 'v2.1.5']);
  });

  it('breaks ties in distance towards the higher version, then the same "v" style', () => {
    expect(nearestTags('v2.0.1', ['v2.0.0', 'v2.0.2'])).toEqual(['v2.0.2', 'v2.0.0']);
    expect(nearestTags('2.0.1', ['v2.0.2', '2.0.2'])).toEqual(['2.0.2', 'v2.0.2']);
  });

  it('prefers releases unless a pre-release was asked for, but a pre-release of the very version is nearest', () => {
    expect(nearestTags('v2.0.1', ['v2.0.0-rc.1', 'v2.0.0'])).toEqual(['v2.0.0', 'v2.0.0-rc.1']);
    expect(nearestTags('v2.0.0-rc.2', ['v2.0.0', 'v2.0.0-rc.1'])).toEqual(['v2.0.0-rc.1', 'v2.0.0']);
    expect(nearestTags('v2.0.1', ['v2.0.0', 'v2.0.1-rc.1'])).toEqual(['v2.0.1-rc.1', 'v2.0.0']);
  });

  it('reads two-part versions and ranks tags that are not versions last', () => {
    expect(nearestTags('7.2.1', ['latest', '7.0', '7.2', '6.2'], 4)).toEqual(['7.2', '7.0', '6.2', 'latest']);
    expect(nearestTags('v1.2.0', ['main', 'latest', 'v1.1.0'])[0]).toBe('v1.1.0');
  });

  it('suggests typo fixes, then the newest versions, for a tag that is not a version', () => {
    expect(nearestTags('lastest', ['v1.0.0', 'stable', 'latest', 'v2.0.0'])).toEqual(['latest', 'v2.0.0', 'v1.0.0']);
  });

  it('never suggests the wanted tag itself, de-duplicates and honours the limit', () => {
    expect(nearestTags('v1.0.0', ['v1.0.0', 'v1.0.1', 'v1.0.1', 'v1.0.2'], 1)).toEqual(['v1.0.1']);
    expect(nearestTags('v1.0.0', [])).toEqual([]);
  });
});

describe('compareVersions', () => {
  it('follows semantic-version precedence, pre-releases included', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', 'v1.0.1', '1.1'];
    const shuffled = [...ordered].reverse();
    const sorted = shuffled.map((t) => parseVersionTag(t)!).sort(compareVersions).map((v) => v.tag);
    expect(sorted).toEqual(ordered);
  });

  it('ignores build metadata and rejects what is not a version', () => {
    expect(compareVersions(parseVersionTag('1.2.3+build.5')!, parseVersionTag('1.2.3')!)).toBe(0);
    expect(parseVersionTag('latest')).toBeUndefined();
    expect(parseVersionTag('1.2.3.4')).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts single-character edits', () => {
    expect(editDistance('lastest', 'latest')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
