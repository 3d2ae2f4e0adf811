/**
 * User rule files: JSON in the Rule shape of rules/types.ts, read and
 * validated, never executed. Every structural mistake becomes an LMC3xx
 * diagnostic at file:line:col (rules/json/parse.ts keeps every key's and
 * value's position). JSON keys are data: every lookup by a key the file
 * chose is own-property-only, so `__proto__` or `constructor` is an
 * unknown field like any other.
 *
 * File shape, either of:
 *   { "rules": [ <Rule>, ... ], "order": [["A", "B"], ...] }
 *   <Rule>                      (a single rule; may carry "order" too)
 * An `order` pair ["A", "B"] declares that lock class A is taken before B;
 * the Z3 self-check (consistency.ts) rejects orders that form a cycle with
 * each other or with the primed kernel order.
 */
import { readBounded } from './json/read.js';
import type { Diagnostic, DiagnosticCode } from '../model/diagnostics.js';
import type { LockKind, LockMode, OpKind } from '../model/ir.js';
import type { AttachmentClass, AttachmentState, Context, PseudoLock, Rule, RuleFamily } from './types.js';
import { ALL_RULES } from './index.js';
import { contextFrom, DEFAULT_JSON_LIMITS, describeLimit, joinPath, lineIndex, parseJsonWithPositions, sourceContext, type JsonParse } from './json/parse.js';

// ---------------------------------------------------------------------------
// JSON with positions (rules/json/parse.ts), re-exported for callers of this module.

export { parseJsonWithPositions, pathSeg, sourceContext, type JsonLoc, type JsonParse } from './json/parse.js';

const join = joinPath;

/**
 * Limits of one rule file, beyond the JSON ones (size, nesting, members):
 * what a hand-written site rule set never reaches, and what keeps the
 * self-check and every model's compilation prompt. At most
 * `maxDiagnostics` errors are listed per file; one more says how many
 * were left out, so a generated file with an error in every rule does not
 * bury the first one.
 */
export const RULE_FILE_LIMITS = {
  json: { ...DEFAULT_JSON_LIMITS },
  maxRules: 1000,
  maxOrders: 1000,
  maxDiagnostics: 100,
} as const;

// ---------------------------------------------------------------------------
// The vocabulary as runtime sets (kept exhaustive by the type assertions).

const OP_KINDS = [
  'lock', 'unlock', 'ww_acquire_init', 'ww_acquire_done', 'ww_acquire_fini', 'alloc', 'memalloc_save',
  'memalloc_restore', 'user_access', 'pagefault_disable', 'pagefault_enable', 'local_irq_disable',
  'local_irq_enable', 'signalling_begin', 'signalling_end', 'fence_init', 'fence_publish', 'fence_signal',
  'fence_wait', 'fence_add_callback', 'unmap_mapping_range', 'interval_read_begin', 'interval_read_retry',
  'interval_set_seq', 'dma_buf_export', 'dma_buf_attach', 'dma_buf_detach', 'dma_buf_pin', 'dma_buf_unpin',
  'dma_buf_map', 'dma_buf_unmap', 'dma_buf_invalidate', 'dma_buf_revoke', 'dma_buf_unrevoke', 'device_access',
  'phyr_to_page', 'page_ref_lock', 'dma_buf_put', 'mp_bind', 'mp_unbind', 'mp_recv', 'queue_work', 'flush_work',
  'might_sleep',
] as const satisfies readonly OpKind[];
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const OPS_EXHAUSTIVE: Exhaustive<OpKind, (typeof OP_KINDS)[number]> = true;

const CONTEXTS = [
  'reclaim', 'direct-reclaim', 'kswapd', 'shrinker', 'mmu-notifier', 'mmu-notifier-nonblocking', 'irq',
  'fence-callback', 'invalidate-mappings', 'fence-release', 'work', 'signalling', 'atomic', 'pagefault-disabled',
  'memalloc-nofs', 'memalloc-noio', 'memalloc-noreclaim',
] as const satisfies readonly Context[];
const CONTEXTS_EXHAUSTIVE: Exhaustive<Context, (typeof CONTEXTS)[number]> = true;

const FAMILIES = [
  'order', 'reclaim', 'fence', 'ww', 'pin', 'revoke', 'notifier', 'userptr', 'own', 'phyr', 'lockdep',
] as const satisfies readonly RuleFamily[];
const FAMILIES_EXHAUSTIVE: Exhaustive<RuleFamily, (typeof FAMILIES)[number]> = true;

const LOCK_KINDS = ['mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space', 'dma_resv'] as const satisfies readonly (
  | LockKind
  | 'mm'
  | 'address_space'
  | 'dma_resv'
)[];
const PSEUDO = ['fs_reclaim', 'mmu_notifier_invalidate_range_start', 'dma_fence_map'] as const satisfies readonly PseudoLock[];
const LOCK_MODES = ['write', 'read', 'recursive_read'] as const satisfies readonly LockMode[];
const ATT_STATES = ['detached', 'attached', 'mapped', 'invalidated'] as const satisfies readonly AttachmentState[];
const ATT_CLASSES = ['static', 'pinned-non-revocable', 'pinned-revocable', 'dynamic'] as const satisfies readonly AttachmentClass[];
const SUBJECTS = ['operand', 'any', 'all'] as const;
const EXPORTER_CAPS = ['movable', 'revocable', 'unrevocable', 'pinnable', 'p2pOnly'] as const;
const OUTCOMES = ['ok', 'fail', 'EDEADLK', 'EALREADY', 'retry'] as const;
const MONITOR_PER = ['attachment', 'buffer', 'rxq', 'fence', 'thread', 'global'] as const;
const DEADLOCK_ON = ['lock', 'fence', 'ww', 'work'] as const;
void OPS_EXHAUSTIVE;
void CONTEXTS_EXHAUSTIVE;
void FAMILIES_EXHAUSTIVE;

// ---------------------------------------------------------------------------
// Structural validation.

interface Sink {
  file: string;
  text: string;
  parse: Extract<JsonParse, { ok: true }>;
  lineText: (line: number) => string;
  /** The first RULE_FILE_LIMITS.maxDiagnostics errors. */
  diagnostics: Diagnostic[];
  /** Every error, listed or not. */
  errors: number;
  /** Where the first unlisted error is. */
  firstUnlisted?: { line: number; col: number };
  /** `option` predicates seen, checked once every declaration of the file is known. */
  optionUses: { key: string; values: string[]; path: string }[];
}

function report(s: Sink, code: DiagnosticCode, path: string, message: string, hint?: string, onKey = false): void {
  const loc = (onKey ? s.parse.keyAt(path) : s.parse.at(path)) ?? s.parse.keyAt(path) ?? { line: 1, col: 1 };
  s.errors++;
  if (s.diagnostics.length >= RULE_FILE_LIMITS.maxDiagnostics) {
    s.firstUnlisted ??= loc;
    return;
  }
  const d: Diagnostic = { code, severity: 'error', message, file: s.file, line: loc.line, col: loc.col, ...contextFrom(s.lineText, loc.line, loc.col) };
  if (hint !== undefined) d.hint = hint;
  s.diagnostics.push(d);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const describeType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** Checks an object's keys: required ones present, no unknown ones. */
function fields(s: Sink, v: unknown, path: string, what: string, required: string[], optional: string[]): v is Obj {
  if (!isObj(v)) {
    report(s, 'LMC321', path, `${what} must be an object, found ${describeType(v)}`);
    return false;
  }
  for (const k of required) {
    if (!Object.hasOwn(v, k)) report(s, 'LMC321', path, `${what} is missing '${k}'`);
  }
  for (const k of Object.keys(v)) {
    if (!required.includes(k) && !optional.includes(k)) {
      report(s, 'LMC321', join(path, k), `${what} has unknown field '${k}'`, `allowed: ${[...required, ...optional].join(', ')}`, true);
    }
  }
  return true;
}

function str(s: Sink, v: Obj, key: string, path: string, what: string, required = true): string | undefined {
  const x = v[key];
  if (x === undefined) return undefined; // reported by fields() when required
  if (typeof x !== 'string' || (required && x.length === 0)) {
    report(s, 'LMC321', join(path, key), `${what}.${key} must be a non-empty string, found ${describeType(x)}`);
    return undefined;
  }
  return x;
}

function bool(s: Sink, v: Obj, key: string, path: string, what: string): void {
  if (v[key] !== undefined && typeof v[key] !== 'boolean') report(s, 'LMC321', join(path, key), `${what}.${key} must be true or false`);
}

function oneOf(s: Sink, v: Obj, key: string, path: string, what: string, allowed: readonly string[], code: DiagnosticCode = 'LMC323'): void {
  const x = v[key];
  if (x === undefined) return;
  if (typeof x !== 'string' || !allowed.includes(x)) {
    report(s, code, join(path, key), `${what}.${key} '${typeof x === 'string' ? x : describeType(x)}' is not one of ${allowed.join(', ')}`);
  }
}

function oneOrMany(s: Sink, v: Obj, key: string, path: string, what: string, allowed: readonly string[]): void {
  const x = v[key];
  if (x === undefined) return;
  if (Array.isArray(x)) {
    if (x.length === 0) report(s, 'LMC321', join(path, key), `${what}.${key} must not be empty`);
    x.forEach((e, i) => {
      if (typeof e !== 'string' || !allowed.includes(e)) {
        report(s, 'LMC323', join(join(path, key), i), `${what}.${key}[${i}] '${typeof e === 'string' ? e : describeType(e)}' is not one of ${allowed.join(', ')}`);
      }
    });
  } else {
    oneOf(s, v, key, path, what, allowed);
  }
}

function stringArray(s: Sink, v: Obj, key: string, path: string, what: string, nonEmpty: boolean): string[] {
  const x = v[key];
  if (x === undefined) return [];
  if (!Array.isArray(x) || x.some((e) => typeof e !== 'string') || (nonEmpty && x.length === 0)) {
    report(s, 'LMC321', join(path, key), `${what}.${key} must be ${nonEmpty ? 'a non-empty' : 'an'} array of strings`);
    return [];
  }
  return x as string[];
}

function lockPattern(s: Sink, v: unknown, path: string): void {
  if (!isObj(v) || typeof v.kind !== 'string') {
    report(s, 'LMC321', path, `lock pattern must be an object with a 'kind', found ${describeType(v)}`);
    return;
  }
  const w = 'lock pattern';
  switch (v.kind) {
    case 'class':
    case 'ww-class':
    case 'ww-acquire':
    case 'at-or-below':
    case 'at-or-above':
      if (fields(s, v, path, `${w} '${v.kind}'`, ['kind', 'name'], [])) str(s, v, 'name', path, w);
      return;
    case 'lock-kind':
      if (fields(s, v, path, `${w} 'lock-kind'`, ['kind', 'is'], [])) oneOf(s, v, 'is', path, w, LOCK_KINDS);
      return;
    case 'pseudo':
      if (fields(s, v, path, `${w} 'pseudo'`, ['kind', 'name'], [])) oneOf(s, v, 'name', path, w, PSEUDO);
      return;
    case 'held-across':
      if (fields(s, v, path, `${w} 'held-across'`, ['kind', 'step'], [])) stepPattern(s, v.step, join(path, 'step'));
      return;
    case 'taken-in':
      if (fields(s, v, path, `${w} 'taken-in'`, ['kind', 'context'], [])) oneOf(s, v, 'context', path, w, CONTEXTS);
      return;
    case 'operand':
    case 'any-lock':
    case 'sleeping-lock':
      fields(s, v, path, `${w} '${v.kind}'`, ['kind'], []);
      return;
    case 'not':
      if (fields(s, v, path, `${w} 'not'`, ['kind', 'of'], [])) lockPattern(s, v.of, join(path, 'of'));
      return;
    case 'any-of':
      if (fields(s, v, path, `${w} 'any-of'`, ['kind', 'of'], [])) {
        if (!Array.isArray(v.of) || v.of.length === 0) report(s, 'LMC321', join(path, 'of'), `${w} 'any-of'.of must be a non-empty array`);
        else v.of.forEach((p, i) => lockPattern(s, p, join(join(path, 'of'), i)));
      }
      return;
    default:
      report(s, 'LMC323', join(path, 'kind'), `unknown lock pattern kind '${v.kind}'`,
        'one of class, lock-kind, ww-class, ww-acquire, pseudo, at-or-below, at-or-above, held-across, taken-in, operand, any-lock, sleeping-lock, not, any-of');
  }
}

function stepPattern(s: Sink, v: unknown, path: string): void {
  const w = 'step pattern';
  if (!fields(s, v, path, w, ['op'], ['lock', 'mode', 'trylock', 'ctx', 'slow', 'gfp', 'timeout', 'guaranteed', 'unlocked', 'write', 'checked', 'provider', 'api', 'outcome'])) return;
  oneOrMany(s, v, 'op', path, w, OP_KINDS);
  if (v.lock !== undefined) lockPattern(s, v.lock, join(path, 'lock'));
  oneOrMany(s, v, 'mode', path, w, LOCK_MODES);
  for (const b of ['trylock', 'slow', 'guaranteed', 'unlocked', 'write', 'checked']) bool(s, v, b, path, w);
  oneOf(s, v, 'ctx', path, w, ['null', 'some']);
  oneOf(s, v, 'timeout', path, w, ['infinite', 'bounded']);
  oneOf(s, v, 'provider', path, w, ['devmem', 'zcrx']);
  oneOf(s, v, 'outcome', path, w, OUTCOMES);
  if (v.api !== undefined) stringArray(s, v, 'api', path, w, true);
  if (v.gfp !== undefined && fields(s, v.gfp, join(path, 'gfp'), 'gfp pattern', [], ['directReclaim', 'fs', 'noLockdep'])) {
    const g = v.gfp as Obj;
    for (const b of ['directReclaim', 'fs', 'noLockdep']) bool(s, g, b, join(path, 'gfp'), 'gfp pattern');
  }
}

function validatePred(s: Sink, v: unknown, path: string): void {
  if (!isObj(v) || typeof v.kind !== 'string') {
    report(s, 'LMC321', path, `predicate must be an object with a 'kind', found ${describeType(v)}`);
    return;
  }
  const w = `predicate '${v.kind}'`;
  const subj = () => oneOf(s, v, 'subject', path, w, SUBJECTS);
  switch (v.kind) {
    case 'true':
    case 'signalling-path':
      fields(s, v, path, w, ['kind'], []);
      return;
    case 'holds':
      if (fields(s, v, path, w, ['kind', 'lock'], ['mode', 'who'])) {
        lockPattern(s, v.lock, join(path, 'lock'));
        oneOf(s, v, 'mode', path, w, ['write', 'read', 'any']);
        oneOf(s, v, 'who', path, w, ['self', 'other', 'any']);
      }
      return;
    case 'in-context':
      if (fields(s, v, path, w, ['kind', 'context'], [])) oneOf(s, v, 'context', path, w, CONTEXTS);
      return;
    case 'fence':
      if (fields(s, v, path, w, ['kind', 'subject', 'state'], [])) {
        subj();
        oneOf(s, v, 'state', path, w, ['unpublished', 'published', 'signalled', 'has-waiter']);
      }
      return;
    case 'attachment':
      if (fields(s, v, path, w, ['kind', 'subject', 'state'], [])) {
        subj();
        oneOrMany(s, v, 'state', path, w, ATT_STATES);
      }
      return;
    case 'attachment-pinned':
    case 'attachment-p2p':
      if (fields(s, v, path, w, ['kind', 'subject', 'is'], [])) {
        subj();
        if (typeof v.is !== 'boolean') report(s, 'LMC321', join(path, 'is'), `${w}.is must be true or false`);
      }
      return;
    case 'attachment-class':
      if (fields(s, v, path, w, ['kind', 'subject', 'is'], [])) {
        subj();
        oneOrMany(s, v, 'is', path, w, ATT_CLASSES);
      }
      return;
    case 'buffer':
      if (fields(s, v, path, w, ['kind', 'subject', 'state'], [])) {
        subj();
        oneOf(s, v, 'state', path, w, ['active', 'revoked']);
      }
      return;
    case 'exporter':
      if (fields(s, v, path, w, ['kind', 'subject', 'cap', 'is'], [])) {
        subj();
        oneOf(s, v, 'cap', path, w, EXPORTER_CAPS);
        if (typeof v.is !== 'boolean') report(s, 'LMC321', join(path, 'is'), `${w}.is must be true or false`);
      }
      return;
    case 'buffer-resv-held':
      if (fields(s, v, path, w, ['kind'], ['who'])) oneOf(s, v, 'who', path, w, ['self', 'any']);
      return;
    case 'rxq':
      if (fields(s, v, path, w, ['kind', 'subject', 'owner'], [])) {
        subj();
        oneOf(s, v, 'owner', path, w, ['none', 'devmem', 'zcrx', 'other-provider']);
      }
      return;
    case 'ww-ctx':
      if (fields(s, v, path, w, ['kind', 'state'], [])) oneOf(s, v, 'state', path, w, ['live', 'done', 'holds-locks']);
      return;
    case 'option':
      if (fields(s, v, path, w, ['kind', 'key', 'is'], [])) {
        str(s, v, 'key', path, w);
        if (!(typeof v.is === 'string' || (Array.isArray(v.is) && v.is.length > 0 && v.is.every((x) => typeof x === 'string')))) {
          report(s, 'LMC321', join(path, 'is'), `${w}.is must be a string or a non-empty array of strings`);
        } else if (typeof v.key === 'string') {
          s.optionUses.push({ key: v.key, values: Array.isArray(v.is) ? (v.is as string[]) : [v.is as string], path });
        }
      }
      return;
    case 'kernel':
      if (fields(s, v, path, w, ['kind'], ['since', 'before'])) {
        for (const k of ['since', 'before']) {
          const x = v[k];
          if (x !== undefined && (typeof x !== 'string' || !/^v\d+\.\d+$/.test(x))) {
            report(s, 'LMC321', join(path, k), `${w}.${k} must be a kernel version like v6.12`);
          }
        }
      }
      return;
    case 'driver-under':
      if (fields(s, v, path, w, ['kind', 'prefix'], [])) str(s, v, 'prefix', path, w);
      return;
    case 'and':
    case 'or':
      if (fields(s, v, path, w, ['kind', 'of'], [])) {
        if (!Array.isArray(v.of) || v.of.length === 0) report(s, 'LMC321', join(path, 'of'), `${w}.of must be a non-empty array of predicates`);
        else v.of.forEach((p, i) => validatePred(s, p, join(join(path, 'of'), i)));
      }
      return;
    case 'not':
      if (fields(s, v, path, w, ['kind', 'of'], [])) validatePred(s, v.of, join(path, 'of'));
      return;
    default:
      report(s, 'LMC323', join(path, 'kind'), `unknown predicate kind '${v.kind}'`,
        'one of true, holds, in-context, fence, attachment, attachment-pinned, attachment-class, attachment-p2p, buffer, exporter, buffer-resv-held, rxq, ww-ctx, signalling-path, option, kernel, driver-under, and, or, not');
  }
}

function monitor(s: Sink, v: unknown, path: string): void {
  const w = 'monitor';
  if (!fields(s, v, path, w, ['per', 'states', 'initial', 'transitions', 'bad'], [])) return;
  oneOf(s, v, 'per', path, w, MONITOR_PER);
  const states = stringArray(s, v, 'states', path, w, true);
  const declared = new Set(states);
  const known = (x: unknown, p: string, role: string) => {
    if (typeof x !== 'string') report(s, 'LMC321', p, `monitor ${role} must be a state name`);
    else if (states.length > 0 && !declared.has(x)) report(s, 'LMC326', p, `monitor ${role} '${x}' is not a declared state`, `states: ${states.join(', ')}`);
  };
  known(v.initial, join(path, 'initial'), 'initial state');
  if (!Array.isArray(v.bad) || v.bad.length === 0) report(s, 'LMC326', join(path, 'bad'), 'monitor must declare at least one bad state');
  else v.bad.forEach((b, i) => known(b, join(join(path, 'bad'), i), 'bad state'));
  if (!Array.isArray(v.transitions) || v.transitions.length === 0) {
    report(s, 'LMC321', join(path, 'transitions'), 'monitor.transitions must be a non-empty array');
    return;
  }
  v.transitions.forEach((t, i) => {
    const tp = join(join(path, 'transitions'), i);
    if (!fields(s, t, tp, 'monitor transition', ['from', 'on', 'to'], ['when'])) return;
    if (Array.isArray(t.from)) t.from.forEach((f, j) => known(f, join(join(tp, 'from'), j), 'from state'));
    else known(t.from, join(tp, 'from'), 'from state');
    known(t.to, join(tp, 'to'), 'to state');
    stepPattern(s, t.on, join(tp, 'on'));
    if (t.when !== undefined) validatePred(s, t.when, join(tp, 'when'));
  });
}

function check(s: Sink, v: unknown, path: string): string | undefined {
  if (!isObj(v) || typeof v.kind !== 'string') {
    report(s, 'LMC321', path, `check must be an object with a 'kind', found ${describeType(v)}`);
    return undefined;
  }
  const w = `check '${v.kind}'`;
  switch (v.kind) {
    case 'step':
      if (fields(s, v, path, w, ['kind', 'id', 'on'], ['when'])) {
        stepPattern(s, v.on, join(path, 'on'));
        if (v.when !== undefined) validatePred(s, v.when, join(path, 'when'));
      }
      break;
    case 'state':
    case 'terminal':
      if (fields(s, v, path, w, ['kind', 'id', 'bad'], [])) validatePred(s, v.bad, join(path, 'bad'));
      break;
    case 'deadlock':
      if (fields(s, v, path, w, ['kind', 'id'], ['on']) && v.on !== undefined) {
        if (!Array.isArray(v.on)) report(s, 'LMC321', join(path, 'on'), `${w}.on must be an array`);
        else oneOrMany(s, v, 'on', path, w, DEADLOCK_ON);
      }
      break;
    case 'lock-cycle':
      if (fields(s, v, path, w, ['kind', 'id'], ['through', 'closedBy'])) {
        if (v.through !== undefined) {
          if (!Array.isArray(v.through) || v.through.length === 0) report(s, 'LMC321', join(path, 'through'), `${w}.through must be a non-empty array`);
          else v.through.forEach((p, i) => lockPattern(s, p, join(join(path, 'through'), i)));
        }
        if (v.closedBy !== undefined) stepPattern(s, v.closedBy, join(path, 'closedBy'));
      }
      break;
    case 'lock-recursion':
      if (fields(s, v, path, w, ['kind', 'id'], ['lock']) && v.lock !== undefined) lockPattern(s, v.lock, join(path, 'lock'));
      break;
    case 'monitor':
      if (fields(s, v, path, w, ['kind', 'id', 'monitor'], [])) monitor(s, v.monitor, join(path, 'monitor'));
      break;
    default:
      report(s, 'LMC322', join(path, 'kind'), `unknown check kind '${v.kind}'`, 'one of step, state, terminal, deadlock, lock-cycle, lock-recursion, monitor');
      return typeof v.id === 'string' ? v.id : undefined;
  }
  return typeof v.id === 'string' && v.id.length > 0 ? v.id : (report(s, 'LMC321', join(path, 'id'), `${w}.id must be a non-empty string`), undefined);
}

function citation(s: Sink, v: unknown, path: string): void {
  if (!isObj(v) || typeof v.kind !== 'string') {
    report(s, 'LMC321', path, `citation must be an object with a 'kind', found ${describeType(v)}`);
    return;
  }
  const w = `citation '${v.kind}'`;
  const strs = (req: string[], opt: string[]) => {
    if (!fields(s, v, path, w, ['kind', ...req], opt)) return;
    for (const k of req) str(s, v, k, path, w);
    for (const k of opt) if (v[k] !== undefined) str(s, v, k, path, w);
  };
  switch (v.kind) {
    case 'kernel':
      return strs(['file'], ['symbol', 'note']);
    case 'doc':
      return strs(['file'], ['section']);
    case 'list':
      return strs(['list', 'date', 'subject'], ['author']);
    case 'commit':
      return strs(['id', 'subject'], ['version']);
    default:
      report(s, 'LMC323', join(path, 'kind'), `unknown citation kind '${v.kind}'`, 'one of kernel, doc, list, commit');
  }
}

const OPTION_KEY = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;

function options(s: Sink, v: unknown, path: string): void {
  if (!Array.isArray(v)) {
    report(s, 'LMC321', path, 'meta.options must be an array');
    return;
  }
  v.forEach((o, i) => {
    const op = join(path, i);
    if (!fields(s, o, op, 'rule option', ['key', 'summary', 'values', 'default'], [])) return;
    const key = str(s, o, 'key', op, 'rule option');
    // Keys become names in option tables; the shape keeps out `__proto__` and friends' spelling.
    if (key !== undefined && !OPTION_KEY.test(key)) {
      report(s, 'LMC321', join(op, 'key'), `rule option key '${key}' must be lower-case words joined by '-' and '.', like revoke.pfn-export`);
    }
    str(s, o, 'summary', op, 'rule option');
    const def = str(s, o, 'default', op, 'rule option');
    if (!Array.isArray(o.values) || o.values.length < 2) {
      report(s, 'LMC321', join(op, 'values'), 'rule option must declare at least two values');
      return;
    }
    const vals: string[] = [];
    o.values.forEach((x, j) => {
      const vp = join(join(op, 'values'), j);
      if (!fields(s, x, vp, 'option value', ['value', 'summary'], ['citation'])) return;
      const val = str(s, x, 'value', vp, 'option value');
      str(s, x, 'summary', vp, 'option value');
      if (x.citation !== undefined) citation(s, x.citation, join(vp, 'citation'));
      if (val !== undefined) vals.push(val);
    });
    if (def !== undefined && vals.length === o.values.length && !vals.includes(def)) {
      report(s, 'LMC321', join(op, 'default'), `option default '${def}' is not one of its values`, `values: ${vals.join(', ')}`);
    }
  });
}

const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function rule(s: Sink, v: unknown, path: string): { rule?: Rule; order: unknown } {
  if (!fields(s, v, path, 'rule', ['meta', 'checks'], ['order'])) return { order: undefined };
  const before = s.errors;
  const mp = join(path, 'meta');
  const m = v.meta;
  if (fields(s, m, mp, 'meta', ['id', 'family', 'severity', 'summary', 'rationale', 'covers', 'citations', 'messages'], ['options', 'kernel', 'hedge'])) {
    const id = str(s, m, 'id', mp, 'meta');
    if (id !== undefined && !RULE_ID.test(id)) report(s, 'LMC321', join(mp, 'id'), `rule id '${id}' must be kebab-case`);
    oneOf(s, m, 'family', mp, 'meta', FAMILIES);
    oneOf(s, m, 'severity', mp, 'meta', ['error', 'warning'], 'LMC321');
    str(s, m, 'summary', mp, 'meta');
    str(s, m, 'rationale', mp, 'meta');
    if (m.hedge !== undefined) str(s, m, 'hedge', mp, 'meta');
    stringArray(s, m, 'covers', mp, 'meta', true);
    if (!Array.isArray(m.citations) || m.citations.length === 0) report(s, 'LMC321', join(mp, 'citations'), 'meta.citations must be a non-empty array');
    else m.citations.forEach((c, i) => citation(s, c, join(join(mp, 'citations'), i)));
    if (!isObj(m.messages)) report(s, 'LMC321', join(mp, 'messages'), 'meta.messages must be an object mapping check ids to templates');
    else for (const [k, t] of Object.entries(m.messages)) if (typeof t !== 'string' || t.length === 0) report(s, 'LMC321', join(join(mp, 'messages'), k), `message '${k}' must be a non-empty string`);
    if (m.options !== undefined) options(s, m.options, join(mp, 'options'));
    if (m.kernel !== undefined && fields(s, m.kernel, join(mp, 'kernel'), 'meta.kernel', [], ['since', 'until'])) {
      const k = m.kernel as Obj;
      if (k.since !== undefined) str(s, k, 'since', join(mp, 'kernel'), 'meta.kernel');
      if (k.until !== undefined) str(s, k, 'until', join(mp, 'kernel'), 'meta.kernel');
    }
  }
  const cp = join(path, 'checks');
  const ids: string[] = [];
  // Check id -> index of its first check (Maps and own-property tests only: ids are the file's strings).
  const firstIndex = new Map<string, number>();
  if (!Array.isArray(v.checks) || v.checks.length === 0) {
    report(s, 'LMC321', cp, 'checks must be a non-empty array');
  } else {
    v.checks.forEach((c, i) => {
      const id = check(s, c, join(cp, i));
      if (id === undefined) return;
      if (firstIndex.has(id)) report(s, 'LMC324', join(join(cp, i), 'id'), `check id '${id}' is used twice in this rule`);
      else firstIndex.set(id, i);
      ids.push(id);
    });
  }
  if (isObj(m) && isObj(m.messages)) {
    const msgs = m.messages;
    ids.forEach((id) => {
      if (!Object.hasOwn(msgs, id)) {
        report(s, 'LMC325', join(join(cp, firstIndex.get(id) ?? 0), 'id'), `check '${id}' has no message in meta.messages`);
      }
    });
    for (const k of Object.keys(msgs)) {
      if (Array.isArray(v.checks) && !firstIndex.has(k)) {
        report(s, 'LMC325', join(join(mp, 'messages'), k), `message '${k}' belongs to no check`, undefined, true);
      }
    }
  }
  if (s.errors > before) return { order: v.order };
  return { rule: { meta: v.meta as Rule['meta'], checks: v.checks as Rule['checks'] }, order: v.order };
}

// ---------------------------------------------------------------------------

/** A declared lock order: class `before` is taken before class `after`. */
export interface OrderDecl {
  before: string;
  after: string;
  /** Who declared it: a rule id or `file:line`. */
  source: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface UserRuleFile {
  file: string;
  rules: Rule[];
  order: OrderDecl[];
  diagnostics: Diagnostic[];
}

function orderList(s: Sink, v: unknown, path: string, source: string | undefined): OrderDecl[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    report(s, 'LMC321', path, 'order must be an array of ["before", "after"] pairs');
    return [];
  }
  const out: OrderDecl[] = [];
  v.forEach((pair, i) => {
    const p = join(path, i);
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((x) => typeof x !== 'string' || x.length === 0) || pair[0] === pair[1]) {
      report(s, 'LMC321', p, 'order entry must be a pair of two different lock class names ["before", "after"]');
      return;
    }
    const loc = s.parse.at(p) ?? { line: 1, col: 1 };
    out.push({
      before: pair[0] as string,
      after: pair[1] as string,
      source: source ?? `${s.file}:${loc.line}`,
      file: s.file,
      line: loc.line,
      col: loc.col,
    });
  });
  return out;
}

const LIMIT_CODE = 'LMC328';

/** One diagnostic for a file that stops at a limit (nothing else of it is judged). */
function limitHit(file: string, text: string, line: number, col: number, message: string, hint: string): UserRuleFile {
  return {
    file,
    rules: [],
    order: [],
    diagnostics: [{ code: LIMIT_CODE, severity: 'error', message, hint, file, line, col, ...(text === '' ? {} : contextFrom(lineIndex(text).lineText, line, col)) }],
  };
}

const SPLIT_HINT = 'split the rule set into several files (--rules is repeatable), or generate fewer rules';

/** Validate the text of one rule file. `taken` = ids already defined (built-ins, earlier files). */
export function parseUserRuleFile(file: string, text: string, taken: string[] = ALL_RULES.map((r) => r.meta.id)): UserRuleFile {
  const parse = parseJsonWithPositions(text, RULE_FILE_LIMITS.json);
  if (!parse.ok) {
    if (parse.limit !== undefined) {
      return limitHit(file, text, parse.line, parse.col, `rule file is too large to check: ${describeLimit(parse.limit, RULE_FILE_LIMITS.json)}`, SPLIT_HINT);
    }
    return {
      file,
      rules: [],
      order: [],
      diagnostics: [
        { code: 'LMC320', severity: 'error', message: `rule file is not valid JSON: ${parse.message}`, file, line: parse.line, col: parse.col, ...sourceContext(text, parse.line, parse.col) },
      ],
    };
  }
  const v = parse.value;
  // Counted before any rule is validated: the cost of everything after grows with them.
  const over = (list: unknown, path: string, max: number, what: string): UserRuleFile | undefined => {
    if (!Array.isArray(list) || list.length <= max) return undefined;
    const loc = parse.at(joinPath(path, max)) ?? { line: 1, col: 1 };
    return limitHit(file, text, loc.line, loc.col, `rule file has ${list.length} ${what}; at most ${max} are allowed per file`, SPLIT_HINT);
  };
  if (isObj(v)) {
    const tooMany = over(v.rules, 'rules', RULE_FILE_LIMITS.maxRules, 'rules') ?? over(v.order, 'order', RULE_FILE_LIMITS.maxOrders, 'order pairs');
    if (tooMany) return tooMany;
  }
  const s: Sink = { file, text, parse, lineText: lineIndex(text).lineText, diagnostics: [], errors: 0, optionUses: [] };
  const rules: Rule[] = [];
  const order: OrderDecl[] = [];
  const seen = new Set(taken);
  const builtIn = new Set(ALL_RULES.map((b) => b.meta.id));
  const addRule = (rv: unknown, path: string) => {
    const { rule: r, order: o } = rule(s, rv, path);
    const id = isObj(rv) && isObj(rv.meta) && typeof rv.meta.id === 'string' ? rv.meta.id : undefined;
    if (id !== undefined && seen.has(id)) {
      report(s, 'LMC324', join(join(path, 'meta'), 'id'), `rule id '${id}' is already defined${builtIn.has(id) ? ' by a built-in rule' : ''}`);
    } else if (r) {
      rules.push(r);
    }
    if (id !== undefined) seen.add(id);
    for (const x of orderList(s, o, join(path, 'order'), id)) order.push(x);
  };
  if (isObj(v) && (Object.hasOwn(v, 'rules') || !Object.hasOwn(v, 'meta'))) {
    if (fields(s, v, '', 'rule file', [], ['rules', 'order', '$schema'])) {
      if (v.rules !== undefined) {
        if (!Array.isArray(v.rules)) report(s, 'LMC321', 'rules', "'rules' must be an array of rules");
        else v.rules.forEach((r, i) => addRule(r, join('rules', i)));
      }
      for (const x of orderList(s, v.order, 'order', undefined)) order.push(x);
      if (v.rules === undefined && v.order === undefined) report(s, 'LMC321', '', "rule file must have 'rules' or 'order' (or be a single rule with 'meta' and 'checks')");
    }
  } else if (isObj(v)) {
    addRule(v, '');
  } else {
    report(s, 'LMC321', '', `rule file must contain an object, found ${describeType(v)}`);
  }
  // Orders carried by single rules add up too.
  if (order.length > RULE_FILE_LIMITS.maxOrders) {
    const o = order[RULE_FILE_LIMITS.maxOrders];
    return limitHit(file, text, o.line ?? 1, o.col ?? 1, `rule file has ${order.length} order pairs; at most ${RULE_FILE_LIMITS.maxOrders} are allowed per file`, SPLIT_HINT);
  }
  const decls = new Map<string, Set<string>>();
  for (const r of [...ALL_RULES, ...rules]) for (const o of r.meta.options ?? []) decls.set(o.key, new Set(o.values.map((x) => x.value)));
  for (const u of s.optionUses) {
    const d = decls.get(u.key);
    if (d === undefined) {
      report(s, 'LMC323', join(u.path, 'key'), `option '${u.key}' is not declared by any rule`, 'declare it in meta.options of a rule');
    } else {
      for (const v of u.values) if (!d.has(v)) report(s, 'LMC323', join(u.path, 'is'), `option '${u.key}' has no value '${v}'`, `values: ${[...d].join(', ')}`);
    }
  }
  if (s.firstUnlisted !== undefined) {
    const { line, col } = s.firstUnlisted;
    const more = s.errors - s.diagnostics.length;
    s.diagnostics.push({
      code: LIMIT_CODE,
      severity: 'error',
      message: `${more} more error${more === 1 ? '' : 's'} in this file from here on are not listed (at most ${RULE_FILE_LIMITS.maxDiagnostics} are)`,
      hint: 'fix the errors above and run again',
      file,
      line,
      col,
      ...contextFrom(s.lineText, line, col),
    });
  }
  // A file with any error contributes nothing: half a rule set is worse than none.
  if (s.errors > 0) return { file, rules: [], order: [], diagnostics: s.diagnostics };
  return { file, rules, order, diagnostics: [] };
}

/** Read and validate rule files in order; ids must be unique across all of them. */
export function loadUserRuleFiles(files: string[]): { rules: Rule[]; order: OrderDecl[]; diagnostics: Diagnostic[] } {
  const taken = ALL_RULES.map((r) => r.meta.id);
  const out = { rules: [] as Rule[], order: [] as OrderDecl[], diagnostics: [] as Diagnostic[] };
  for (const f of files) {
    const read = readBounded(f, RULE_FILE_LIMITS.json.maxBytes);
    if (read.kind === 'unreadable') {
      out.diagnostics.push({ code: 'LMC307', severity: 'error', message: `rule file '${f}': ${read.reason}`, file: f });
      continue;
    }
    if (read.kind === 'too-large') {
      out.diagnostics.push(
        ...limitHit(f, '', 1, 1, `rule file is too large to check: ${read.bytes} bytes, ${describeLimit('bytes', RULE_FILE_LIMITS.json)}`, SPLIT_HINT).diagnostics,
      );
      continue;
    }
    const r = parseUserRuleFile(f, read.text, taken);
    for (const x of r.rules) out.rules.push(x);
    for (const x of r.order) out.order.push(x);
    for (const x of r.diagnostics) out.diagnostics.push(x);
    for (const x of r.rules) taken.push(x.meta.id);
  }
  return out;
}
