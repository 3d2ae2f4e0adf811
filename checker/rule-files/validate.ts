/**
 * Structural validation of one rule of a rule file against the schema
 * (rules/schema.ts): every mistake is an LMC32x diagnostic at the place in
 * the file that is wrong, reported through the Sink; nothing is built here.
 */
import {
  ATT_CLASSES, ATT_STATES, CONTEXTS, DEADLOCK_ON, EXPORTER_CAPS, FAMILIES, LOCK_KINDS, LOCK_MODES, LOCKDEP_REPORTS, MONITOR_PER,
  OP_KINDS, OPTION_KEY, OUTCOMES, PSEUDO, RULE_ID, SUBJECTS,
} from '../../rules/schema.js';
import { bool, describeType, fields, isObj, join, oneOf, oneOrMany, report, str, stringArray, type Obj, type Sink } from './sink.js';
import { WW_CLASSES } from '../../model/vocabulary.js';

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
      if (fields(s, v, path, `${w} 'taken-in'`, ['kind', 'context'], ['blocking'])) {
        oneOf(s, v, 'context', path, w, CONTEXTS);
        bool(s, v, 'blocking', path, w);
      }
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
    case 'all-of':
      if (fields(s, v, path, `${w} '${v.kind}'`, ['kind', 'of'], [])) {
        if (!Array.isArray(v.of) || v.of.length === 0) report(s, 'LMC321', join(path, 'of'), `${w} '${v.kind}'.of must be a non-empty array`);
        else v.of.forEach((p, i) => lockPattern(s, p, join(join(path, 'of'), i)));
      }
      return;
    default:
      report(s, 'LMC323', join(path, 'kind'), `unknown lock pattern kind '${v.kind}'`,
        'one of class, lock-kind, ww-class, ww-acquire, pseudo, at-or-below, at-or-above, held-across, taken-in, operand, any-lock, sleeping-lock, not, any-of, all-of');
  }
}

const STEP_FIELDS = ['lock', 'mode', 'trylock', 'ctx', 'slow', 'gfp', 'timeout', 'guaranteed', 'unlocked', 'write', 'checked', 'provider', 'api', 'outcome', 'wwClass'];

/** A lock-cycle's `closedBy`: a step pattern plus where the edge was recorded (`context`) and its held class (`from`). */
function closingEdgePattern(s: Sink, v: unknown, path: string): void {
  const w = 'closedBy pattern';
  if (!fields(s, v, path, w, ['op'], [...STEP_FIELDS, 'context', 'from'])) return;
  oneOf(s, v, 'context', path, w, CONTEXTS);
  if (v.from !== undefined) lockPattern(s, v.from, join(path, 'from'));
  const { context: _c, from: _f, ...step } = v;
  stepPattern(s, step, path);
}

function stepPattern(s: Sink, v: unknown, path: string): void {
  const w = 'step pattern';
  if (!fields(s, v, path, w, ['op'], STEP_FIELDS)) return;
  oneOrMany(s, v, 'op', path, w, OP_KINDS);
  if (v.lock !== undefined) lockPattern(s, v.lock, join(path, 'lock'));
  oneOrMany(s, v, 'mode', path, w, LOCK_MODES);
  for (const b of ['trylock', 'slow', 'guaranteed', 'unlocked', 'write', 'checked']) bool(s, v, b, path, w);
  oneOf(s, v, 'ctx', path, w, ['null', 'some']);
  oneOf(s, v, 'timeout', path, w, ['infinite', 'bounded']);
  oneOf(s, v, 'provider', path, w, ['devmem', 'zcrx']);
  oneOf(s, v, 'outcome', path, w, OUTCOMES);
  oneOf(s, v, 'wwClass', path, w, WW_CLASSES);
  if (v.api !== undefined) stringArray(s, v, 'api', path, w, true);
  if (v.gfp !== undefined && fields(s, v.gfp, join(path, 'gfp'), 'gfp pattern', [], ['directReclaim', 'fs', 'noLockdep'])) {
    const g = v.gfp as Obj;
    for (const b of ['directReclaim', 'fs', 'noLockdep']) bool(s, g, b, join(path, 'gfp'), 'gfp pattern');
  }
}

/** A state predicate: dispatches on its kind; the combinators recurse here. */
function validatePred(s: Sink, v: unknown, path: string): void {
  if (!isObj(v) || typeof v.kind !== 'string') {
    report(s, 'LMC321', path, `predicate must be an object with a 'kind', found ${describeType(v)}`);
    return;
  }
  const w = `predicate '${v.kind}'`;
  switch (v.kind) {
    case 'true':
    case 'signalling-path':
      fields(s, v, path, w, ['kind'], []);
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
    case 'fence':
    case 'attachment':
    case 'attachment-pinned':
    case 'attachment-p2p':
    case 'attachment-class':
    case 'buffer':
    case 'exporter':
    case 'buffer-resv-held':
    case 'rxq':
    case 'importer':
    case 'userptr-pages':
    case 'gem-userptr':
    case 'buffer-bound':
    case 'buffer-owner':
    case 'phyr':
      objectPred(s, v, path, w);
      return;
    case 'holds':
    case 'in-context':
    case 'ww-ctx':
    case 'option':
    case 'kernel':
    case 'driver-under':
    case 'thread':
      threadPred(s, v, path, w);
      return;
    default:
      report(s, 'LMC323', join(path, 'kind'), `unknown predicate kind '${v.kind}'`,
        'one of true, holds, in-context, fence, attachment, attachment-pinned, attachment-class, attachment-p2p, buffer, exporter, buffer-resv-held, rxq, ww-ctx, signalling-path, option, kernel, driver-under, and, or, not, importer, userptr-pages, gem-userptr, buffer-bound, buffer-owner, phyr, thread');
  }
}

/** Predicates about one object of the model (a fence, an attachment, a buffer, an rx queue). */
function objectPred(s: Sink, v: Obj, path: string, w: string): void {
  const subj = () => oneOf(s, v, 'subject', path, w, SUBJECTS);
  switch (v.kind) {
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
    case 'importer':
      if (fields(s, v, path, w, ['kind', 'subject', 'cap', 'is'], [])) {
        subj();
        oneOf(s, v, 'cap', path, w, ['pinned', 'revokeFatal', 'unfaultable', 'gpuContext', 'rejectRevocable']);
        if (typeof v.is !== 'boolean') report(s, 'LMC321', join(path, 'is'), `${w}.is must be true or false`);
      }
      return;
    case 'userptr-pages':
      if (fields(s, v, path, w, ['kind', 'state'], ['subject'])) {
        oneOrMany(s, v, 'state', path, w, ['present', 'pinned', 'released']);
        if (v.subject !== undefined) subj();
      }
      return;
    case 'gem-userptr':
      if (fields(s, v, path, w, ['kind', 'is'], [])) {
        if (typeof v.is !== 'boolean') report(s, 'LMC321', join(path, 'is'), `${w}.is must be true or false`);
      }
      return;
    case 'buffer-bound':
      if (fields(s, v, path, w, ['kind', 'subject'], ['provider'])) {
        subj();
        if (v.provider !== undefined) oneOf(s, v, 'provider', path, w, ['devmem', 'zcrx', 'other-provider']);
      }
      return;
    case 'buffer-owner':
      if (fields(s, v, path, w, ['kind', 'subject', 'owner'], [])) {
        subj();
        oneOf(s, v, 'owner', path, w, ['none', 'devmem', 'zcrx']);
      }
      return;
    case 'phyr':
      if (fields(s, v, path, w, ['kind'], ['dmaMapped', 'mapped', 'from'])) {
        for (const k of ['dmaMapped', 'mapped'] as const) {
          if (v[k] !== undefined && typeof v[k] !== 'boolean') report(s, 'LMC321', join(path, k), `${w}.${k} must be true or false`);
        }
        if (v.from !== undefined) oneOf(s, v, 'from', path, w, ['pages', 'p2p']);
      }
      return;
  }
}

/** Predicates about the acting thread, the run's options and the model as a whole. */
function threadPred(s: Sink, v: Obj, path: string, w: string): void {
  switch (v.kind) {
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
    case 'ww-ctx':
      if (fields(s, v, path, w, ['kind', 'state'], [])) oneOf(s, v, 'state', path, w, ['live', 'done', 'holds-locks', 'contending', 'contending-other']);
      return;
    case 'thread':
      if (fields(s, v, path, w, ['kind', 'state'], [])) oneOf(s, v, 'state', path, w, ['done', 'blocked']);
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
      if (fields(s, v, path, w, ['kind', 'id', 'bad'], [])) validatePred(s, v.bad, join(path, 'bad'));
      break;
    case 'terminal':
      if (fields(s, v, path, w, ['kind', 'id', 'bad'], ['threads', 'at'])) {
        validatePred(s, v.bad, join(path, 'bad'));
        if (v.threads !== undefined) oneOf(s, v, 'threads', path, w, ['returned']);
        if (v.at !== undefined) stepPattern(s, v.at, join(path, 'at'));
      }
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
        if (v.closedBy !== undefined) closingEdgePattern(s, v.closedBy, join(path, 'closedBy'));
      }
      break;
    case 'lock-recursion':
      if (fields(s, v, path, w, ['kind', 'id'], ['lock']) && v.lock !== undefined) lockPattern(s, v.lock, join(path, 'lock'));
      break;
    case 'lockdep-report':
      if (fields(s, v, path, w, ['kind', 'id', 'report'], ['irq'])) {
        if (!LOCKDEP_REPORTS.includes(v.report as never)) report(s, 'LMC321', join(path, 'report'), `${w}.report must be one of ${LOCKDEP_REPORTS.join(', ')}`);
        if (v.irq !== undefined && v.irq !== 'HARDIRQ' && v.irq !== 'SOFTIRQ') report(s, 'LMC321', join(path, 'irq'), `${w}.irq must be HARDIRQ or SOFTIRQ`);
      }
      break;
    case 'monitor':
      if (fields(s, v, path, w, ['kind', 'id', 'monitor'], [])) monitor(s, v.monitor, join(path, 'monitor'));
      break;
    default:
      report(s, 'LMC322', join(path, 'kind'), `unknown check kind '${v.kind}'`, 'one of step, state, terminal, deadlock, lock-cycle, lock-recursion, lockdep-report, monitor');
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

function options(s: Sink, v: unknown, path: string): void {
  if (!Array.isArray(v)) {
    report(s, 'LMC321', path, 'meta.options must be an array');
    return;
  }
  v.forEach((o, i) => {
    const op = join(path, i);
    if (!fields(s, o, op, 'rule option', ['key', 'summary', 'values', 'default'], [])) return;
    const key = str(s, o, 'key', op, 'rule option');
    // Keys become names in option tables (rules/schema.ts OPTION_KEY).
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
      if (!fields(s, x, vp, 'option value', ['value', 'summary'], ['citation', 'consequence'])) return;
      const val = str(s, x, 'value', vp, 'option value');
      str(s, x, 'summary', vp, 'option value');
      if (x.consequence !== undefined) str(s, x, 'consequence', vp, 'option value');
      if (x.citation !== undefined) citation(s, x.citation, join(vp, 'citation'));
      if (val !== undefined) vals.push(val);
    });
    if (def !== undefined && vals.length === o.values.length && !vals.includes(def)) {
      report(s, 'LMC321', join(op, 'default'), `option default '${def}' is not one of its values`, `values: ${vals.join(', ')}`);
    }
  });
}

/**
 * How one rule fared: `not-a-rule` when its own fields are wrong (its
 * `order` is not read either), `errors` when something inside it is.
 */
export type RuleValidity = 'not-a-rule' | 'errors' | 'ok';

/** Validate one rule (meta and checks, each check's message); its `order` pairs are lowered by the caller. */
export function validateRule(s: Sink, v: unknown, path: string): RuleValidity {
  if (!fields(s, v, path, 'rule', ['meta', 'checks'], ['order'])) return 'not-a-rule';
  const before = s.errors;
  const mp = join(path, 'meta');
  const m = v.meta;
  if (fields(s, m, mp, 'meta', ['id', 'family', 'severity', 'summary', 'rationale', 'covers', 'citations', 'messages'], ['options', 'kernel', 'hedge', 'order'])) {
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
  return s.errors > before ? 'errors' : 'ok';
}
