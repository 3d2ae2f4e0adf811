/** The rules of the PIN, REVOKE, OWN and phyr families, in reference order. */
import type { Rule } from '../types.js';
import { pinRequiresDynamicAndResv } from '../pin-requires-dynamic-and-resv.js';
import { staticImporterImplicitPin } from '../static-importer-implicit-pin.js';
import { dynamicImporterObligations } from '../dynamic-importer-obligations.js';
import { peer2peerGating } from '../peer2peer-gating.js';
import { noMappingBypass } from '../no-mapping-bypass.js';
import { revocableExporterRejectsNonRevocable } from '../revocable-exporter-rejects-non-revocable.js';
import { revokeSequence } from '../revoke-sequence.js';
import { noAccessAfterRevoke } from '../no-access-after-revoke.js';
import { revocableUnmapBounded } from '../revocable-unmap-bounded.js';
import { revokedRefusesMap } from '../revoked-refuses-map.js';
import { unrevokeOnlyFromRevoked } from '../unrevoke-only-from-revoked.js';
import { vfioMemoryLockOrder } from '../vfio-memory-lock-order.js';
import { mpOneProviderPerQueue } from '../mp-one-provider-per-queue.js';
import { mpOwnerUnbinds } from '../mp-owner-unbinds.js';
import { mpCheckProvenance } from '../mp-check-provenance.js';
import { mpLifetime } from '../mp-lifetime.js';
import { phyrNoStructPage } from '../phyr-no-struct-page.js';

export const RULES_B: Rule[] = [
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
];
