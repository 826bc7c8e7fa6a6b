/** `kubectl get persistentvolumeclaims` and `kubectl get storageclasses`: printPersistentVolumeClaim, printStorageClass. */
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ageColumn, column, nameColumn, wideColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import { canonicalQuantity } from './quantity.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const persistentVolumeClaimColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
  column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
  column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
  column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
  column('StorageClass', 'string', 'StorageClass of the pvc'),
  column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
  ageColumn,
  wideColumn('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'),
];

const ACCESS_MODE_SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** GetAccessModesAsString: the short forms in a fixed order, de-duplicated. */
function accessModes(modes: string[] | undefined): string {
  const order = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
  return order.filter((m) => modes?.includes(m)).map((m) => ACCESS_MODE_SHORT[m]).join(',');
}

/** GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
}

export function printPersistentVolumeClaim(pvc: PersistentVolumeClaim, now: Date): Cell[] {
  const bound = Boolean(pvc.spec?.volumeName);
  return [
    pvc.metadata?.name ?? '',
    pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
    pvc.spec?.volumeName ?? '',
    bound ? canonicalQuantity(pvc.status?.capacity?.storage as string | undefined) : '',
    bound ? accessModes(pvc.status?.accessModes) : '',
    claimClass(pvc),
    pvc.spec?.volumeAttributesClassName ?? '<unset>',
    translateTimestampSince(pvc.metadata?.creationTimestamp, now),
    pvc.spec?.volumeMode ?? '<unset>',
  ];
}

export const storageClassColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
  column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
  column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
  column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
  ageColumn,
];

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export function printStorageClass(sc: StorageClass, now: Date): Cell[] {
  const annotations = sc.metadata?.annotations ?? {};
  const isDefault = annotations[DEFAULT_CLASS_ANNOTATION] === 'true' || annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  return [
    `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
    sc.provisioner,
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    sc.allowVolumeExpansion ?? false,
    translateTimestampSince(sc.metadata?.creationTimestamp, now),
  ];
}
