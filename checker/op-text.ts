/**
 * Kernel-style text of the model's operations, as traces and messages
 * show them: `mutex_lock(notifier_lock)`, `dma_resv_lock(bo, NULL)`,
 * `kmalloc(GFP_KERNEL)`, with the outcome when an operation has several
 * (`= -EDEADLK`) and the pseudo-lock role it plays (`enter fence
 * signalling`).
 */

import type { DriverModel, InstanceId, Op, Outcome, ProcId } from '../model/ir.js';
import { unreachable } from '../model/ir.js';
import type { FenceState, TraceStep, Wait } from './report.js';

const ALLOC_WITH_MASK = new Set([
  'kmalloc',
  'kzalloc',
  'kvmalloc',
  'kvzalloc',
  'kcalloc',
  'kmalloc_array',
  'alloc_page',
  'alloc_pages',
  'mempool_alloc',
  '__get_free_page',
  '__get_free_pages',
]);

/** An instance's name as the model spells it; `NULL` for an absent context. */
export function nm(model: DriverModel, id: InstanceId | undefined): string {
  if (id === undefined) return 'NULL';
  return model.instances[id]?.name ?? `#${id}`;
}

export function procName(model: DriverModel, p: ProcId | undefined): string {
  return p === undefined ? '?' : (model.procs[p]?.name ?? `proc${p}`);
}

/** Kernel-style text of an operation, with the model's instance names. */

export function renderOp(op: Op, model: DriverModel): string {
  const call = (...args: string[]) => `${op.api}(${args.join(', ')})`;
  switch (op.kind) {
    case 'lock': {
      const args = [nm(model, op.lock)];
      const takesCtx = /^(dma_resv_lock|ww_mutex_lock)/.test(op.api) && !/trylock/.test(op.api);
      if (op.ctx !== undefined) args.push(nm(model, op.ctx));
      else if (takesCtx) args.push('NULL');
      if (op.subclass !== undefined && /nested/.test(op.api)) args.push(String(op.subclass));
      if (op.nestLock !== undefined) args.push(nm(model, op.nestLock));
      return call(...args);
    }
    case 'unlock':
      return call(nm(model, op.lock));
    case 'ww_acquire_init':
      return call(nm(model, op.ctx), op.wwClass);
    case 'ww_acquire_done':
    case 'ww_acquire_fini':
      return call(nm(model, op.ctx));
    case 'alloc':
      if (ALLOC_WITH_MASK.has(op.api)) return call(op.gfp.text);
      if (op.api === 'vmalloc') return call();
      return `${call()} [${op.gfp.text}]`;
    case 'memalloc_save':
      return call();
    case 'memalloc_restore':
      return call(nm(model, op.cookie));
    case 'user_access':
      return op.obj !== undefined ? call(nm(model, op.obj)) : call();
    case 'pagefault_disable':
    case 'pagefault_enable':
    case 'local_irq_disable':
    case 'local_irq_enable':
    case 'might_sleep':
    case 'signalling_begin':
    case 'local_bh_disable':
    case 'local_bh_enable':
    case 'rcu_read_lock':
    case 'rcu_read_unlock':
    case 'rcu_sync':
      return call();
    case 'lock_init':
      return call(nm(model, op.lock));
    case 'might_lock':
      return op.subclass !== undefined ? call(nm(model, op.lock), String(op.subclass)) : call(nm(model, op.lock));
    case 'fs_reclaim':
      return call(op.gfp.text);
    case 'signalling_end':
      return call(nm(model, op.cookie));
    case 'fence_init':
    case 'fence_signal':
      return call(nm(model, op.fence));
    case 'fence_publish':
      return op.resv !== undefined ? call(nm(model, op.resv), nm(model, op.fence)) : call(nm(model, op.fence));
    case 'fence_wait':
      return call(op.fence !== undefined ? nm(model, op.fence) : nm(model, op.resv));
    case 'fence_add_callback':
      return call(nm(model, op.fence), procName(model, op.callback));
    case 'unmap_mapping_range':
      return call(nm(model, op.mapping));
    case 'interval_read_begin':
    case 'interval_read_retry':
    case 'interval_set_seq':
      return call(nm(model, op.notifier));
    case 'dma_buf_export':
    case 'dma_buf_invalidate':
    case 'dma_buf_revoke':
    case 'dma_buf_unrevoke':
    case 'dma_buf_put':
      return call(nm(model, op.buf));
    case 'mm_event':
      return call(nm(model, op.mm));
    case 'pm_runtime':
      return call(nm(model, op.dev));
    case 'call_rcu':
      return call('head', procName(model, op.callback));
    case 'hw_submit':
      return call(nm(model, op.hw));
    case 'sched_add_dependency':
      return call(nm(model, op.job), nm(model, op.fence));
    case 'sched_push':
      return call(nm(model, op.job), nm(model, op.sched));
    case 'final_put':
      return op.obj !== undefined ? call(nm(model, op.obj)) : call('ref', op.release !== undefined ? model.procs[op.release]?.name ?? '?' : '?');
    case 'dma_buf_attach':
      return call(nm(model, model.instances[op.attachment]?.buf));
    case 'dma_buf_detach':
      return call(nm(model, model.instances[op.attachment]?.buf), nm(model, op.attachment));
    case 'dma_buf_pin':
    case 'dma_buf_unpin':
    case 'dma_buf_map':
    case 'dma_buf_unmap':
    case 'device_access':
    case 'phyr_to_page':
    case 'page_ref_lock':
      return call(nm(model, op.attachment));
    case 'mp_bind':
      return call(nm(model, op.rxq), nm(model, op.buf));
    case 'mp_unbind':
    case 'mp_recv':
      return call(nm(model, op.rxq));
    case 'queue_work':
    case 'flush_work':
      return call(nm(model, op.work));
    case 'userptr_pages':
    case 'gem_access':
    case 'gem_prime_export':
      return call(nm(model, op.obj));
    case 'mp_own':
      return op.rxq === undefined ? call(nm(model, op.buf)) : call(nm(model, op.rxq), nm(model, op.buf));
    case 'phyr_op':
      return call(nm(model, op.phyr));
  }
}

export function outcomeText(op: Op | undefined, o: Outcome): string {
  switch (o) {
    case 'ok':
      return 'ok';
    case 'fail':
      return op?.kind === 'fence_wait' ? 'times out' : 'fails';
    case 'EDEADLK':
      return '-EDEADLK';
    case 'EALREADY':
      return '-EALREADY';
    case 'retry':
      return 'retry';
  }
}

/** One line for a step: `dma_resv_lock(bo, ctx) = -EDEADLK`. */
export function stepText(step: Pick<TraceStep, 'op' | 'outcome'>): string {
  return step.outcome ? `${step.op} = ${step.outcome}` : step.op;
}

/** The pseudo-lock role an operation plays, for the trace's `role:` line. */
export function opRole(op: Op, model: DriverModel): string | undefined {
  switch (op.kind) {
    case 'signalling_begin':
      return 'enter fence signalling';
    case 'signalling_end':
      return 'leave fence signalling';
    case 'fence_wait':
      return op.fence !== undefined ? `wait on fence ${nm(model, op.fence)}` : `wait on fences of ${nm(model, op.resv)}`;
    case 'fence_signal':
      return `signal fence ${nm(model, op.fence)}`;
    case 'fence_publish':
      return `publish fence ${nm(model, op.fence)}`;
    case 'ww_acquire_init':
      return 'begin ww transaction';
    case 'ww_acquire_fini':
      return 'end ww transaction';
    default:
      return undefined;
  }
}

/**
 * What a blocked thread waits for, as one phrase: `mutex vm_lock held by
 * run_job`, `fence job (published, unsignalled)`. `thread`: the waiter,
 * so a lock it holds itself says so.
 */
export function waitText(w: Wait, thread: string): string {
  switch (w.kind) {
    case 'irq':
      // Softirq threads are named `softirq:<fn>` (compile.ts makeThreads): the name says the kind.
      return w.irq.startsWith('softirq:') ? `${w.irq} running on its CPU` : `irq ${w.irq} running on its CPU`;
    case 'lock': {
      const who: string[] = [];
      if (w.owner !== undefined) who.push(`held by ${w.owner}${w.owner === thread ? ' (itself)' : ''}`);
      if (w.readers && w.readers.length > 0) who.push(`held for read by ${w.readers.join(', ')}`);
      return `${lockWord(w.lockKind)} ${w.lock} ${who.join(', ')}`;
    }
    case 'fence':
      return `fence ${w.fence} (${fenceStateText(w.state)})`;
    case 'resv-fences':
      return `fences of ${w.resv}: ${w.pending.map((p) => `${p.fence} (${fenceStateText(p.state)})`).join(', ') || 'none pending'}`;
    case 'work':
      return `work ${w.work}${w.worker !== undefined ? ` (handler on ${w.worker} not finished)` : ''}`;
    case 'op':
      return w.op;
    default:
      return unreachable(w);
  }
}

/** How a lock is named by its instance kind: an mm's lock is its mmap_lock. */
function lockWord(kind: string | undefined): string {
  switch (kind) {
    case 'mm':
      return 'mmap_lock of';
    case 'address_space':
      return 'i_mmap_rwsem of';
    case undefined:
      return 'lock';
    default:
      return kind;
  }
}

function fenceStateText(s: FenceState): string {
  return s === 'signalled' ? 'signalled' : s === 'published' ? 'published, unsignalled' : 'unpublished';
}
