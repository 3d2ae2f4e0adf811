/** Lowering softirq and RCU section markers (include/linux/bottom_half.h, include/linux/rcupdate.h): no arguments. */

import type { OpKind } from '../../ir.js';
import type { Lowering } from './call.js';

type Marker = 'local_bh_disable' | 'local_bh_enable' | 'rcu_read_lock' | 'rcu_read_unlock';

const marker =
  (kind: Marker): Lowering =>
  (_cx, c) => ({ op: { kind, api: c.name } });

export const LOCKDEP_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  local_bh_disable: marker('local_bh_disable'),
  local_bh_enable: marker('local_bh_enable'),
  rcu_read_lock: marker('rcu_read_lock'),
  rcu_read_unlock: marker('rcu_read_unlock'),
  rcu_sync: (_cx, c) => ({ op: { kind: 'rcu_sync', api: c.name } }),
};
