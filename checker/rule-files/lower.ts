/**
 * Lowering a validated rule file to what the checker runs: Rules (the
 * JSON is already in the Rule shape once validated), declared lock orders
 * with the place each was written, and the cross-rule checks that need
 * every rule of the file first (duplicate ids, `option` predicates against
 * every declared option).
 */
import { ALL_RULES } from '../../rules/registry.js';
import type { Rule } from '../../rules/types.js';
import { describeType, fields, isObj, join, report, type Obj, type Sink } from './sink.js';
import type { OrderDecl } from './types.js';
import { validateRule } from './validate.js';

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

/** The rules and orders of a file's JSON value, either shape; `taken` = ids already defined. */
export function lowerRuleFile(s: Sink, v: unknown, taken: string[]): { rules: Rule[]; order: OrderDecl[] } {
  const rules: Rule[] = [];
  const order: OrderDecl[] = [];
  const seen = new Set(taken);
  const builtIn = new Set(ALL_RULES.map((b) => b.meta.id));
  const addRule = (rv: unknown, path: string) => {
    const validity = validateRule(s, rv, path);
    const o = validity === 'not-a-rule' ? undefined : (rv as Obj).order;
    const id = isObj(rv) && isObj(rv.meta) && typeof rv.meta.id === 'string' ? rv.meta.id : undefined;
    if (id !== undefined && seen.has(id)) {
      report(s, 'LMC324', join(join(path, 'meta'), 'id'), `rule id '${id}' is already defined${builtIn.has(id) ? ' by a built-in rule' : ''}`);
    } else if (validity === 'ok') {
      const r = rv as Obj;
      rules.push({ meta: r.meta as Rule['meta'], checks: r.checks as Rule['checks'] });
    }
    if (id !== undefined) seen.add(id);
    for (const x of orderList(s, o, join(path, 'order'), id)) order.push(x);
    // A rule may also state its orders in meta, as built-in rules do (RuleMeta.order).
    const mo = validity === 'not-a-rule' || !isObj((rv as Obj).meta) ? undefined : ((rv as Obj).meta as Obj).order;
    for (const x of orderList(s, mo, join(join(path, 'meta'), 'order'), id)) order.push(x);
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
  return { rules, order };
}

/** `option` predicates of the file name options some rule (built in or of this file) declares, with a declared value. */
export function checkOptionUses(s: Sink, rules: Rule[]): void {
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
}
