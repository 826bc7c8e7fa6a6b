import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any stored API object, as the simulator holds it (JSON-shaped). */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [k: string]: unknown;
};

/** A Table cell: the Go printers emit strings, int64s and bools. */
export type Cell = string | number | boolean;

/** meta.k8s.io/v1 TableColumnDefinition; Go serialises every field, even empty ones. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** meta.k8s.io/v1 TableRowCondition. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** What one printer function produces for one object. */
export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow extends PrintedRow {
  object?: KubeObject | PartialObjectMetadata;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}
