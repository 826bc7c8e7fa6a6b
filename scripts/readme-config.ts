/**
 * `npm run docs`: writes the configuration reference (src/config/reference.ts)
 * into README.md between its markers. test/docs/readme.test.ts fails when the
 * README and the schemas disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference, REFERENCE_END, REFERENCE_START } from '../src/config/reference.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = readme.indexOf(REFERENCE_START);
const end = readme.indexOf(REFERENCE_END);
if (start < 0 || end < start) {
  process.stderr.write(`README.md has no configuration reference markers:\n${REFERENCE_START}\n${REFERENCE_END}\n`);
  process.exit(1);
}
writeFileSync(path, readme.slice(0, start) + configReference() + readme.slice(end + REFERENCE_END.length));
