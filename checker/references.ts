/**
 * The kernel references a finding prints: chosen for that finding, not the
 * same list under every splat. A rule's citations cover every way it can
 * be violated (ww_mutex design, fence waits, read locks ...); a finding
 * keeps those about what it involves, and adds where the kernel records
 * each primed edge of its chain and what it blocks in (mutex, rwsem,
 * fence wait, flush_work, the hung-task watchdog).
 *
 * Relevance is read from the words: a citation about a topic (it names
 * ww, fences, read locks, reclaim ...) is kept when the finding's chain,
 * trace or waits touch that topic; a citation about no listed topic
 * (lockdep's own check_noncircular, say) is always kept.
 */

import type { Citation } from '../rules/types.js';
import { PRIMED_EDGES } from '../rules/canonical-order.js';
import type { Finding, Wait } from './report.js';

interface Topic {
  /** Does a citation's text speak of this topic? */
  cites: RegExp;
  /** Does the finding's text (chain classes, ops, roles, waits) involve it? */
  touches: RegExp;
}

const TOPICS: Topic[] = [
  { cites: /ww[-_ ]mutex|ww_acquire|reservation_ww_class|WD_CLASS|wound|first_lock_dep_map/i, touches: /ww_|reservation_ww_class|dma_resv_lock|crtc_ww_class|drm_modeset_lock/ },
  { cites: /dma[-_]fence|fence/i, touches: /fence/ },
  { cites: /recursive read|read lock/i, touches: /\bread\b|rlock|_read_|down_read|read_lock/ },
  { cites: /trylock/i, touches: /trylock/ },
  { cites: /i_mmap/i, touches: /i_mmap/ },
  { cites: /reclaim|page_alloc|GFP|shrink/i, touches: /reclaim|GFP_|shrink|kswapd|alloc/ },
  { cites: /mmu_notifier|mmu notifier|mmu_interval/i, touches: /mmu_notifier|mmu notifier|mmu_interval/ },
  { cites: /mmap_lock|might_fault|user access|copy_(to|from)_user/i, touches: /mmap_lock|_user\(|get_user|put_user|hmm_range_fault|get_user_pages/ },
  { cites: /flush_work|workqueue/i, touches: /flush_work|work:/ },
  // The scheduler's timeout and dependencies (#13): kept for findings about a scheduler job or a hardware engine.
  { cites: /drm_sched_job_timedout|drm_sched_job_add_dependency/, touches: /drm_sched_job_add_dependency|drm_sched_entity_push_job|hw_submit|hardware|timed out/ },
];

function citationWords(c: Citation): string {
  switch (c.kind) {
    case 'kernel':
      return `${c.file} ${c.symbol ?? ''} ${c.note ?? ''}`;
    case 'doc':
      return `${c.file} ${c.section ?? ''}`;
    case 'list':
      return `${c.subject}`;
    case 'commit':
      return `${c.subject}`;
  }
}

/** Everything a finding says about what it involves, as one text to match topics on. */
/** A job's dependency, its push, a hardware kick or hang: why a fence stays unsignalled without anyone stuck (#13). */
const SCHED_STEP = /^(drm_sched_job_add_dependency|drm_sched_entity_push_job|hw_submit)\(|^hardware \S+ hangs$/;

function findingWords(f: Finding): string {
  const parts: string[] = [];
  for (const e of f.chain ?? []) {
    parts.push(e.from, e.to);
    if (e.source.kind === 'model') parts.push(e.source.api, ...(e.source.read || e.type[0] === 'S' ? ['read'] : []));
    else parts.push(e.source.where);
    if (e.type[1] === 'R') parts.push('read');
  }
  // A deadlock or hang is about where its threads are stuck, not about
  // everything they did on the way (a ww transaction long finished).
  const stuck = f.kind === 'deadlock' || f.kind === 'fence-never-signalled';
  for (const s of f.trace?.steps ?? []) if (!stuck || s.blocks || SCHED_STEP.test(s.op)) parts.push(s.op, s.role ?? '', ...s.context, ...s.held);
  for (const t of f.trace?.final.threads ?? []) {
    if (stuck) parts.push(...t.held);
    if (t.waitingFor) parts.push(waitWords(t.waitingFor));
  }
  if (f.kind === 'fence-never-signalled') parts.push('fence');
  return parts.join('\n');
}

function waitWords(w: Wait): string {
  switch (w.kind) {
    case 'lock':
      return `${w.lockKind ?? 'lock'} ${w.lockClass} ${w.mode ?? ''}`;
    case 'fence':
    case 'resv-fences':
      return 'fence';
    case 'work':
      return 'flush_work';
    default:
      return '';
  }
}

/** Where the kernel implements the wait a blocked thread is stuck in. */
function waitCitation(w: Wait): Citation | undefined {
  switch (w.kind) {
    case 'lock':
      switch (w.lockKind) {
        case 'mutex':
          return { kind: 'kernel', file: 'kernel/locking/mutex.c', symbol: 'mutex_lock' };
        case 'rwsem':
        case 'mm':
        case 'address_space':
          return { kind: 'kernel', file: 'kernel/locking/rwsem.c', symbol: w.mode === 'read' ? 'down_read' : 'down_write' };
        case 'spinlock':
          return { kind: 'kernel', file: 'kernel/locking/spinlock.c', symbol: '_raw_spin_lock' };
        case 'ww_mutex':
        case 'dma_resv':
          return { kind: 'kernel', file: 'kernel/locking/ww_mutex.h', symbol: '__ww_mutex_lock' };
        default:
          return undefined;
      }
    case 'fence':
    case 'resv-fences':
      return { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'dma_fence_wait_timeout' };
    case 'work':
      return { kind: 'kernel', file: 'kernel/workqueue.c', symbol: 'flush_work' };
    default:
      return undefined;
  }
}

/** A primed edge's citation text (`file symbol(); file symbol()`) as kernel citations, the first carrying `note`. */
function primedCitations(text: string, note: string): Citation[] {
  return text.split(/;\s*/).map((part, i): Citation => {
    const [file, ...rest] = part.trim().split(' ');
    const symbol = rest.join(' ').replace(/\(\)$/, '');
    return { kind: 'kernel', file, ...(symbol ? { symbol } : {}), ...(i === 0 ? { note } : {}) };
  });
}

const LOCKDEP_CYCLE: Citation[] = [
  { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'check_noncircular' },
  { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'print_circular_bug' },
];

function keyOf(c: Citation): string {
  return JSON.stringify(c);
}

/**
 * The references of finding `f` of a rule citing `citations`: the rule's
 * citations about what the finding involves, then where each primed edge
 * of its chain is recorded, then what its blocked threads wait in (and,
 * when none waits for a lock, the hung-task watchdog that reports it).
 */
export function referencesFor(f: Finding, citations: Citation[]): Citation[] {
  const words = findingWords(f);
  const out: Citation[] = citations.filter((c) => {
    const text = citationWords(c);
    const about = TOPICS.filter((t) => t.cites.test(text));
    return about.length === 0 || about.some((t) => t.touches.test(words));
  });
  for (const e of f.chain ?? []) {
    if (e.source.kind !== 'primed') continue;
    const id = e.source.id;
    const p = PRIMED_EDGES.find((x) => x.id === id);
    if (p) out.push(...primedCitations(p.citation, `primed ${p.id}: ${p.from} -> ${p.to}`));
  }
  // A cycle is printed under lockdep's banner whichever rule selected it
  // (the specific rule leads its group, judge.ts markSameCycles): cite
  // where lockdep finds and prints it, not only the generic rule does.
  if (f.kind === 'circular-dependency') out.push(...LOCKDEP_CYCLE);
  const waits = (f.trace?.final.threads ?? []).filter((t) => t.status === 'blocked' && t.waitingFor).map((t) => t.waitingFor!);
  if (f.kind === 'deadlock' || f.kind === 'fence-never-signalled') {
    for (const w of waits) {
      const c = waitCitation(w);
      if (c) out.push(c);
    }
    if (waits.length > 0 && waits.every((w) => w.kind === 'fence' || w.kind === 'resv-fences' || w.kind === 'work')) {
      out.push({ kind: 'kernel', file: 'kernel/hung_task.c', symbol: 'check_hung_task' });
    }
  }
  const seen = new Set<string>();
  return out.filter((c) => {
    const k = keyOf(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
