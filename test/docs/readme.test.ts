import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference, REFERENCE_END, REFERENCE_START, undescribedKeys } from '../../src/config/reference.js';

/** The README's configuration reference is what the zod schemas accept: `npm run docs` regenerates it. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('holds the configuration reference generated from the schemas (run `npm run docs` after changing src/config)', () => {
    const start = readme.indexOf(REFERENCE_START);
    const end = readme.indexOf(REFERENCE_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end + REFERENCE_END.length)).toBe(configReference());
  });

  it('documents every environment variable and policy key', () => {
    expect(undescribedKeys()).toEqual([]);
  });
});
