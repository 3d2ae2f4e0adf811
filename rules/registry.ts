/**
 * The registry: every built-in rule, once, in the order of the rules
 * reference (sections 1-10, then phyr) so listings, presets and docs read
 * top-down. Adding a rule touches its file under rules/, this list and its
 * two fixtures under fixtures/rules/<id>/ — nothing else: presets, the doc
 * page (`npm run docs:rules`) and the meta-test derive from here.
 */

import type { Rule } from './types.js';
import { rule as lockdepCircularDependency } from './lockdep-circular-dependency.js';
import { rule as gupNeedsMmapLock } from './gup-needs-mmap-lock.js';
import { rule as lockdepRecursiveLocking } from './lockdep-recursive-locking.js';
import { rule as deadlock } from './deadlock.js';
import { rule as noUserAccessUnderResv } from './no-user-access-under-resv.js';
import { rule as faultHandlerLockOrder } from './fault-handler-lock-order.js';
import { rule as driverLockFixedPlace } from './driver-lock-fixed-place.js';
import { rule as dmaBufLockingConvention } from './dma-buf-locking-convention.js';
import { rule as infrastructureLocksOutsideSignalling } from './infrastructure-locks-outside-signalling.js';
import { rule as finalPutIsAcquisition } from './final-put-is-acquisition.js';
import { rule as modesetBeforeResv } from './modeset-before-resv.js';
import { rule as reclaimLockNotHeldAcrossAlloc } from './reclaim-lock-not-held-across-alloc.js';
import { rule as shrinkerTrylockResv } from './shrinker-trylock-resv.js';
import { rule as memallocNoreclaimHidesDeadlock } from './memalloc-noreclaim-hides-deadlock.js';
import { rule as iMmapRwsemPlacement } from './i-mmap-rwsem-placement.js';
import { rule as fenceFinite } from './fence-finite.js';
import { rule as fenceSignallingNoReclaim } from './fence-signalling-no-reclaim.js';
import { rule as fenceSignallingNoResv } from './fence-signalling-no-resv.js';
import { rule as fenceSignallingNoFault } from './fence-signalling-no-fault.js';
import { rule as fenceSignallingLockCycle } from './fence-signalling-lock-cycle.js';
import { rule as fenceSignallingNoUnmap } from './fence-signalling-no-unmap.js';
import { rule as fencePublishAfterAlloc } from './fence-publish-after-alloc.js';
import { rule as fenceCallbackAtomic } from './fence-callback-atomic.js';
import { rule as fenceOpportunisticSignal } from './fence-opportunistic-signal.js';
import { rule as wwSingleContext } from './ww-single-context.js';
import { rule as wwBackoff } from './ww-backoff.js';
import { rule as wwEalready } from './ww-ealready.js';
import { rule as wwContextLifecycle } from './ww-context-lifecycle.js';
import { rule as notifierNoReclaimLock } from './notifier-no-reclaim-lock.js';
import { rule as notifierNonblocking } from './notifier-nonblocking.js';
import { rule as notifierSequenceProtocol } from './notifier-sequence-protocol.js';
import { rule as notifierFenceWaitGpuOnly } from './notifier-fence-wait-gpu-only.js';
import { rule as userptrPagesBeforeResv } from './userptr-pages-before-resv.js';
import { rule as userptrInvalidateLocks } from './userptr-invalidate-locks.js';
import { rule as pinRequiresDynamicAndResv } from './pin-requires-dynamic-and-resv.js';
import { rule as staticImporterImplicitPin } from './static-importer-implicit-pin.js';
import { rule as dynamicImporterObligations } from './dynamic-importer-obligations.js';
import { rule as peer2peerGating } from './peer2peer-gating.js';
import { rule as noMappingBypass } from './no-mapping-bypass.js';
import { rule as revocableExporterRejectsNonRevocable } from './revocable-exporter-rejects-non-revocable.js';
import { rule as revokeSequence } from './revoke-sequence.js';
import { rule as noAccessAfterRevoke } from './no-access-after-revoke.js';
import { rule as revocableUnmapBounded } from './revocable-unmap-bounded.js';
import { rule as revokedRefusesMap } from './revoked-refuses-map.js';
import { rule as unrevokeOnlyFromRevoked } from './unrevoke-only-from-revoked.js';
import { rule as vfioMemoryLockOrder } from './vfio-memory-lock-order.js';
import { rule as mpOneProviderPerQueue } from './mp-one-provider-per-queue.js';
import { rule as mpOwnerUnbinds } from './mp-owner-unbinds.js';
import { rule as mpCheckProvenance } from './mp-check-provenance.js';
import { rule as mpLifetime } from './mp-lifetime.js';
import { rule as phyrNoStructPage } from './phyr-no-struct-page.js';
import { rule as userptrDmaNeedsPinOrWait } from './userptr-dma-needs-pin-or-wait.js';
import { rule as userptrNeverExported } from './userptr-never-exported.js';
import { rule as gpuImporterRevocable } from './gpu-importer-revocable.js';
import { rule as unfaultableImporterNoMove } from './unfaultable-importer-no-move.js';
import { rule as mpOwnershipTransfer } from './mp-ownership-transfer.js';
import { rule as phyrDmaMappedNotRemapped } from './phyr-dma-mapped-not-remapped.js';
import { rule as lockdepInconsistentLockState } from './lockdep-inconsistent-lock-state.js';
import { rule as lockdepIrqLockInversion } from './lockdep-irq-lock-inversion.js';
import { rule as lockdepInvalidWaitContext } from './lockdep-invalid-wait-context.js';
import { rule as lockdepHeldLockFreed } from './lockdep-held-lock-freed.js';
import { rule as lockdepBadUnlockBalance } from './lockdep-bad-unlock-balance.js';
import { rule as pinLeak } from './pin-leak.js';

export const ALL_RULES: Rule[] = [
  lockdepCircularDependency,
  lockdepRecursiveLocking,
  deadlock,
  noUserAccessUnderResv,
  faultHandlerLockOrder,
  driverLockFixedPlace,
  dmaBufLockingConvention,
  infrastructureLocksOutsideSignalling,
  finalPutIsAcquisition,
  modesetBeforeResv,
  reclaimLockNotHeldAcrossAlloc,
  shrinkerTrylockResv,
  memallocNoreclaimHidesDeadlock,
  iMmapRwsemPlacement,
  fenceFinite,
  fenceSignallingNoReclaim,
  fenceSignallingNoResv,
  fenceSignallingNoFault,
  fenceSignallingLockCycle,
  fenceSignallingNoUnmap,
  fencePublishAfterAlloc,
  fenceCallbackAtomic,
  fenceOpportunisticSignal,
  wwSingleContext,
  wwBackoff,
  wwEalready,
  wwContextLifecycle,
  notifierNoReclaimLock,
  notifierNonblocking,
  notifierSequenceProtocol,
  notifierFenceWaitGpuOnly,
  userptrPagesBeforeResv,
  userptrInvalidateLocks,
  pinRequiresDynamicAndResv,
  staticImporterImplicitPin,
  dynamicImporterObligations,
  peer2peerGating,
  noMappingBypass,
  revocableExporterRejectsNonRevocable,
  revokeSequence,
  noAccessAfterRevoke,
  revocableUnmapBounded,
  revokedRefusesMap,
  unrevokeOnlyFromRevoked,
  vfioMemoryLockOrder,
  mpOneProviderPerQueue,
  mpOwnerUnbinds,
  mpCheckProvenance,
  mpLifetime,
  phyrNoStructPage,
  userptrDmaNeedsPinOrWait,
  userptrNeverExported,
  gpuImporterRevocable,
  unfaultableImporterNoMove,
  lockdepInconsistentLockState,
  lockdepIrqLockInversion,
  lockdepInvalidWaitContext,
  lockdepHeldLockFreed,
  lockdepBadUnlockBalance,
  gupNeedsMmapLock,
  mpOwnershipTransfer,
  phyrDmaMappedNotRemapped,
  pinLeak,
];
