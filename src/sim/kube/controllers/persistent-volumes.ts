import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { resourceOfKind } from '../resources.js';
import { claimClass } from '../tables/storage.js';
import { as, type ControllerContext } from './context.js';

const PVCS = resourceOfKind('PersistentVolumeClaim');
const STORAGE_CLASSES = resourceOfKind('StorageClass');
const SOURCE = { component: 'persistentvolume-controller' };
/** The PV controller's resync period: an unbound claim is looked at (and its event repeated) this often. */
const RESYNC_MS = 15_000;

/**
 * The persistentvolume-controller's side of an unbound claim: the event it
 * records on each sync, in its words. The simulator has no volume plugins or
 * external provisioners, so a claim is never provisioned: it stays Pending
 * unless a test writes it Bound, as on a cluster whose provisioner is down.
 */
export function startPersistentVolumeController(ctx: ControllerContext): void {
  const timers = new Map<string, number>();
  const sync = (namespace: string, name: string) => {
    const key = `${namespace}/${name}`;
    ctx.clock.clearTimer(timers.get(key));
    timers.delete(key);
    const obj = ctx.store.get(PVCS, namespace, name);
    if (!obj) return;
    const pvc = as<PersistentVolumeClaim>(obj);
    if (pvc.status?.phase !== 'Pending' || pvc.spec?.volumeName) return;
    const [type, reason, message] = unboundClaimEvent(ctx, pvc);
    ctx.events.record(obj, type, reason, message, SOURCE);
    timers.set(key, ctx.clock.setTimer(RESYNC_MS, () => enqueue(namespace, name)));
  };
  const enqueue = (namespace: string, name: string) => ctx.runtime.enqueue(`pv-controller/${namespace}/${name}`, () => sync(namespace, name));
  ctx.store.subscribe((ev) => {
    if (ev.resource === PVCS && ev.type === 'ADDED') enqueue(ev.object.metadata.namespace!, ev.object.metadata.name!);
    if (ev.resource === PVCS && ev.type === 'DELETED') ctx.clock.clearTimer(timers.get(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`));
  });
}

/** syncUnboundClaim with no matching PersistentVolume: what it says for each kind of class. */
function unboundClaimEvent(ctx: ControllerContext, pvc: PersistentVolumeClaim): ['Normal' | 'Warning', string, string] {
  const className = claimClass(pvc);
  if (!className) return ['Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set'];
  const obj = ctx.store.get(STORAGE_CLASSES, undefined, className);
  if (!obj) return ['Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`];
  const sc = as<StorageClass>(obj);
  if (sc.volumeBindingMode === 'WaitForFirstConsumer') return ['Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding'];
  return [
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  ];
}
