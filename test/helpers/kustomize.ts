import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_DIR = resolve(import.meta.dirname, '../../deploy');
export const PRODUCTION_OVERLAY = join(DEPLOY_DIR, 'overlays/production');

/** A rendered object, loosely typed: tests read the fields they check. */
export interface K8sDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize DIR` (real kubectl and its embedded kustomize), parsed. */
export function renderKustomization(dir: string): K8sDoc[] {
  const rendered = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(rendered).map((d) => d.toJS() as K8sDoc);
}

/** Every overlay under deploy/overlays/. */
export const overlays = (): string[] => readdirSync(join(DEPLOY_DIR, 'overlays'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(DEPLOY_DIR, 'overlays', e.name));
