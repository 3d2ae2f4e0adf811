/**
 * Model-level sanity checks that are not rules: balanced locking, balanced
 * annotations, local instances used only after they exist. They run on the
 * IR, path by path: each proc graph is explored with a held-set per path
 * (models are small and loop-free, so the explicit walk with a memo of
 * (node, state) is cheap and exact).
 *
 * These are mistakes in the model, not kernel bugs: a rule finding would be
 * meaningless on a model whose thread returns with a lock still held.
 */

import { diagnosticAt, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import type { ExtractedModel, Instance, InstanceId, Loc, NodeId, Op, Outcome, Proc } from './ir.js';
import { unreachable } from './ir.js';
import { checkBudget, type Budget } from './budget.js';

/** Path steps between two looks at the clock (a mask: every 1024). */
const BUDGET_EVERY = 1023;

/** States explored per proc before the walk gives up (silently: no false reports). */
const MAX_STATES = 200_000;

interface Held {
  lock: InstanceId;
  /** Node that acquired it (for the "still held" report). */
  at: NodeId;
  recursive: boolean;
  /** The ww acquire context it was taken with. */
  ctx?: InstanceId;
}

interface State {
  held: Held[];
  sig: { cookie: InstanceId; at: NodeId }[];
  mem: { cookie: InstanceId; scope: string; at: NodeId }[];
  created: InstanceId[];
  /** ww locks that returned -EDEADLK / -EALREADY on this path. */
  ww: InstanceId[];
}

function key(node: NodeId, s: State): string {
  return `${node}|${s.held.map((h) => `${h.lock}@${h.at}${h.recursive ? 'r' : ''}${h.ctx ?? ''}`).join(',')}|${s.sig.map((c) => `${c.cookie}@${c.at}`).join(',')}|${s.mem.map((c) => `${c.cookie}@${c.at}`).join(',')}|${s.created.join(',')}|${s.ww.join(',')}`;
}

export function validateModel(ex: ExtractedModel, text?: string, budget?: Budget): Diagnostic[] {
  const { model, sourceMap } = ex;
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const inst = model.instances;
  const name = (id: InstanceId) => inst[id]?.name ?? `#${id}`;
  // Instances some path of the model acquires: releasing one of them where
  // it is not held is lockdep's "bad unlock balance" (a finding); releasing
  // a lock nothing ever takes is a malformed model (LMC205).
  const acquired = new Set<InstanceId>();
  for (const p of model.procs) for (const n of p.nodes) if (n.kind === 'op' && n.op.kind === 'lock') acquired.add(n.op.lock);

  for (const proc of model.procs) {
    const where = procLabel(proc);
    const report = (code: DiagnosticCode, node: NodeId, message: string, hint: string, dedupe: string) => {
      const k = `${code}|${proc.id}|${dedupe}`;
      if (seen.has(k)) return;
      seen.add(k);
      const loc: Loc | undefined = sourceMap.nodes[proc.id]?.[node];
      const pos = loc ? { line: loc.line, col: loc.col, width: loc.endLine === loc.line && loc.endCol ? loc.endCol - loc.col : 1 } : undefined;
      out.push(diagnosticAt(code, message, model.file, text, pos, hint));
    };

    const visited = new Set<string>();
    let steps = 0;
    const stack: { node: NodeId; s: State }[] = [{ node: 0, s: { held: [], sig: [], mem: [], created: [], ww: [] } }];
    while (stack.length > 0) {
      const { node: nid, s } = stack.pop()!;
      if ((++steps & BUDGET_EVERY) === 0) checkBudget(budget, 'front end');
      const k = key(nid, s);
      if (visited.has(k)) continue;
      visited.add(k);
      if (visited.size > MAX_STATES) break;
      const node = proc.nodes[nid];
      if (!node) continue;
      if (node.kind === 'end') {
        for (const h of s.held) {
          report('LMC206', h.at, `'${name(h.lock)}' is still held when ${where} returns on some path`, `release it with the matching unlock on every path before ${proc.name} returns`, `${h.at}`);
        }
        for (const c of s.sig) {
          report('LMC208', c.at, `dma_fence_begin_signalling() is not ended before ${where} returns on some path`, `call dma_fence_end_signalling(${name(c.cookie)}) on every path`, `open@${c.at}`);
        }
        for (const c of s.mem) {
          report('LMC209', c.at, `memalloc_${c.scope}_save() is not restored before ${where} returns on some path`, `call memalloc_${c.scope}_restore(${name(c.cookie)}) on every path`, `open@${c.at}`);
        }
        continue;
      }
      if (node.kind === 'choice') {
        for (let i = node.next.length - 1; i >= 0; i--) stack.push({ node: node.next[i]!, s });
        continue;
      }
      const op = node.op;
      for (const used of localUses(op)) {
        if (inst[used]?.local && !s.created.includes(used)) {
          report('LMC210', nid, `'${name(used)}' is used by ${op.api}() before it is created on some path`, `create it first (${creatorHint(inst[used]!)}) on every path that reaches this call`, `${nid}:${used}`);
        }
      }
      const outcomes = Object.keys(node.next) as Outcome[];
      for (let i = outcomes.length - 1; i >= 0; i--) {
        const o = outcomes[i]!;
        const next = node.next[o]!;
        if (!feasible(op, o, s)) continue;
        const t = step(op, o, nid, s, inst, (code, msg, hint, dd) => report(code, nid, msg, hint, dd), where, acquired);
        stack.push({ node: next, s: t });
      }
    }
  }
  // Source order reads best; the sort is stable, so ties keep proc order.
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.col ?? 0) - (b.d.col ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

function procLabel(p: Proc): string {
  switch (p.role) {
    case 'thread':
      return `thread '${p.name}'`;
    case 'work':
      return `work handler '${p.name}'`;
    case 'irq':
      return `irq handler '${p.name}'`;
    case 'softirq':
      return `softirq handler '${p.name}'`;
    case 'shrinker':
      return `shrinker '${p.name}'`;
    case 'mmu_notifier':
      return `notifier callback '${p.name}'`;
    case 'fence_callback':
      return `fence callback '${p.name}'`;
    case 'invalidate_mappings':
      return `invalidate_mappings callback '${p.name}'`;
    case 'fence_release':
      return `fence release '${p.name}'`;
    case 'release':
      return `release '${p.name}'`;
    case 'vm_fault':
      return `fault handler '${p.name}'`;
    case 'rpm_callback':
      return `runtime PM callback '${p.name}'`;
    default:
      return unreachable(p.role);
  }
}

function creatorHint(i: Instance): string {
  switch (i.kind) {
    case 'ww_ctx':
      return `\`const ${i.name} = ww_acquire_init(${i.wwClass ?? 'reservation_ww_class'})\``;
    case 'signalling_cookie':
      return `\`const ${i.name} = dma_fence_begin_signalling()\``;
    case 'memalloc_cookie':
      return `\`const ${i.name} = memalloc_nofs_save()\``;
    case 'attachment':
      return `\`const ${i.name} = dma_buf_attach(buf)\``;
    default:
      return 'the operation that creates it';
  }
}

/** Instances an op reads that may be local (created by an earlier op). */
function localUses(op: Op): InstanceId[] {
  switch (op.kind) {
    case 'lock': {
      const u: InstanceId[] = [];
      if (op.ctx !== undefined) u.push(op.ctx);
      if (op.nestLock !== undefined) u.push(op.nestLock);
      return u;
    }
    case 'ww_acquire_done':
    case 'ww_acquire_fini':
      return [op.ctx];
    case 'memalloc_restore':
    case 'signalling_end':
      return [op.cookie];
    case 'dma_buf_detach':
    case 'dma_buf_pin':
    case 'dma_buf_unpin':
    case 'dma_buf_map':
    case 'dma_buf_unmap':
    case 'device_access':
    case 'phyr_to_page':
    case 'page_ref_lock':
      return [op.attachment];
    default:
      return [];
  }
}

/**
 * ww outcomes that cannot happen in this state (kernel/locking/ww_mutex.h):
 * -EALREADY only when this context already holds the lock (and then nothing
 * else), -EDEADLK only when the context holds some other lock to back off from.
 */
function feasible(op: Op, o: Outcome, s: State): boolean {
  if (op.kind !== 'lock' || op.ctx === undefined || op.slow) return true;
  const mine = s.held.some((h) => h.lock === op.lock && h.ctx === op.ctx);
  // ww_mutex_trylock(m, ctx) on a lock the context holds: __mutex_trylock
  // fails (the owner is this task), so the call returns 0, never -EALREADY.
  if (op.trylock) return !(mine && o === 'ok');
  if (o === 'EALREADY') return mine;
  if (mine) return false;
  if (o === 'EDEADLK') return s.held.some((h) => h.ctx === op.ctx);
  return true;
}

type Reporter = (code: DiagnosticCode, message: string, hint: string, dedupe: string) => void;

function step(op: Op, o: Outcome, nid: NodeId, s: State, inst: readonly Instance[], report: Reporter, where: string, acquired: ReadonlySet<InstanceId>): State {
  const name = (id: InstanceId) => inst[id]?.name ?? `#${id}`;
  switch (op.kind) {
    case 'lock': {
      if (o === 'EDEADLK' || o === 'EALREADY') {
        // How the model copes with a ww error is for the ww rules
        // (ww-backoff, ww-ealready) to judge, not a model error: remember
        // the lock so its later unlock is not reported here.
        return s.ww.includes(op.lock) ? s : { ...s, ww: [...s.ww, op.lock].sort((a, b) => a - b) };
      }
      if (o === 'fail' && op.trylock && op.ctx !== undefined && s.held.some((h) => h.lock === op.lock && h.ctx === op.ctx)) {
        // A ticketed trylock of a lock its context holds fails: a model that
        // then unlocks it twice is ww-ealready's finding, not a model error.
        return s.ww.includes(op.lock) ? s : { ...s, ww: [...s.ww, op.lock].sort((a, b) => a - b) };
      }
      if (o !== 'ok') return s;
      const recursive = op.mode === 'recursive_read';
      const already = s.held.find((h) => h.lock === op.lock);
      if (already) {
        // With a ww acquire context the kernel answers -EALREADY: that is
        // the ww semantics (WW-3), not a model mistake.
        if (op.ctx !== undefined) return s;
        if (recursive && already.recursive) return { ...s, held: [...s.held, { lock: op.lock, at: nid, recursive }] };
        // A blocking second acquisition is the bug lockdep reports as
        // "possible recursive locking" (and the engines as a self-deadlock):
        // a finding, not a model error. A trylock of a lock the thread holds
        // always fails, so a model that branches on its success is malformed.
        if (!op.trylock) return { ...s, held: [...s.held, { lock: op.lock, at: nid, recursive }] };
        report(
          'LMC207',
          `${op.api}() succeeds on '${name(op.lock)}' although ${where} already holds it on some path`,
          'a trylock of a lock the thread holds always fails; drop the success branch or release the lock first',
          `${nid}`,
        );
        // Count it as taken again so the matching unlocks do not cascade into LMC205.
        return { ...s, held: [...s.held, { lock: op.lock, at: nid, recursive }] };
      }
      const h: Held = { lock: op.lock, at: nid, recursive };
      if (op.ctx !== undefined) h.ctx = op.ctx;
      return { ...s, held: [...s.held, h] };
    }
    case 'unlock': {
      let idx = -1;
      for (let i = s.held.length - 1; i >= 0; i--) {
        if (s.held[i]!.lock === op.lock) {
          idx = i;
          break;
        }
      }
      if (idx < 0) {
        if (s.ww.includes(op.lock) || acquired.has(op.lock)) return s;
        report('LMC205', `${op.api}() releases '${name(op.lock)}', which no path of the model ever acquires`, `take '${name(op.lock)}' before releasing it, or drop the unlock`, `${nid}`);
        return s;
      }
      return { ...s, held: s.held.filter((_, i) => i !== idx) };
    }
    case 'ww_acquire_init':
      return created(s, op.ctx);
    case 'dma_buf_attach':
      return created(s, op.attachment);
    case 'signalling_begin': {
      const t = created(s, op.cookie);
      return { ...t, sig: [...t.sig, { cookie: op.cookie, at: nid }] };
    }
    case 'signalling_end': {
      const idx = s.sig.findIndex((c) => c.cookie === op.cookie);
      if (idx < 0) {
        report('LMC208', `dma_fence_end_signalling(${name(op.cookie)}) has no matching dma_fence_begin_signalling() on some path`, `pair it with \`const ${name(op.cookie)} = dma_fence_begin_signalling();\` on every path`, `${nid}`);
        return s;
      }
      return { ...s, sig: s.sig.filter((_, i) => i !== idx) };
    }
    case 'memalloc_save': {
      const t = created(s, op.cookie);
      return { ...t, mem: [...t.mem, { cookie: op.cookie, scope: op.scope, at: nid }] };
    }
    case 'memalloc_restore': {
      const idx = s.mem.findIndex((c) => c.cookie === op.cookie);
      if (idx < 0) {
        report('LMC209', `${op.api}(${name(op.cookie)}) restores a scope that is not open on some path`, `pair it with \`const ${name(op.cookie)} = memalloc_${op.scope}_save();\``, `${nid}:open`);
        return s;
      }
      const open = s.mem[idx]!;
      if (open.scope !== op.scope) {
        report('LMC209', `${op.api}(${name(op.cookie)}) restores flags saved by memalloc_${open.scope}_save()`, `call memalloc_${open.scope}_restore(${name(op.cookie)})`, `${nid}:scope`);
      } else if (idx !== s.mem.length - 1) {
        report('LMC209', `${op.api}(${name(op.cookie)}) restores an outer scope while an inner one is open`, 'restore memalloc scopes innermost first', `${nid}:order`);
      }
      return { ...s, mem: s.mem.filter((_, i) => i !== idx) };
    }
    default:
      return s;
  }
}

function created(s: State, id: InstanceId): State {
  if (s.created.includes(id)) return s;
  return { ...s, created: [...s.created, id].sort((a, b) => a - b) };
}
