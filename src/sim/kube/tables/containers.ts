/** The CONTAINERS / IMAGES wide columns shared by workload printers. */
import type { Container } from 'kubernetes-types/core/v1.js';
import { wideColumn } from './columns.js';

export const containersColumn = wideColumn('Containers', 'Names of each container in the template.');
export const imagesColumn = wideColumn('Images', 'Images referenced by each container in the template.');

/** layoutContainerCells: comma-joined names and images, in spec order. */
export function layoutContainerCells(containers: Container[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}
