/**
 * The cache keys of one model's result, all content addresses. The text
 * key and the system key are below; the rejected key (a model the front
 * end stopped) and the quick key (a rule change decided from the model's
 * profile, no front end) at the end of this file. docs/cache.md has the
 * whole argument.
 *
 * - the **text key**, computable before any pass: the model's path and
 *   text, every option, the whole rule context, the lockmc and Z3
 *   versions. It serves an unchanged corpus without running the front end
 *   (parsing is most of a cheap model's cost).
 *
 * - the **system key**, computed after `compile`: the transition system's
 *   hash (the model's IR without its path, the semantic options, the
 *   kernel, and every property compiled from the rules), the source hash
 *   and path (the report prints both), every option, the rule options and
 *   declared orders, the full definition of each rule that touches the
 *   model and only the id, kernel range and check ids of the others.
 *
 * Why a rule that does not touch the model can be left out (soundness).
 * A rule *touches* model M when it has a lock-graph check (lock-cycle,
 * lock-recursion: the graph is read whole), or one of its checks compiled
 * to anything but an empty step property (state, terminal, deadlock and
 * monitor properties are read in every state; a step property with
 * transitions can fire). A rule that touches nothing has only step checks
 * that matched no transition of M's system: each compiled to
 * `{ kind: 'step', rule, check, transitions: [], when: false }`, which
 * depends on nothing but the rule id and check id; it marks no transition
 * visible and adds no state, so the engines explore the same states and
 * decide it `proved` / `holds-up-to` exactly as for any other such rule.
 * What else of the rule reaches M's report: its verdict's place (rule
 * order: the id list), whether the kernel skips it (`meta.kernel`), and the
 * check ids an `@expect` header is judged against: all three are in the
 * key. Its messages and conditions reach no finding, since it has none.
 * And since the system hash is in the key, a hit's replay tokens carry the
 * tag of the system a fresh run would compile, so they replay.
 *
 * How normal is the IR in the key? The IR (DriverModel) carries the
 * source's hash, and so does the system hash a replay token is tagged
 * with: a comment changed anywhere changes every token of the model. A key
 * coarser than the text would serve tokens that no longer replay, so the
 * text hash is the normalisation; the source map (lines the report prints)
 * is a function of the text and the lockmc version, both in the key.
 */

import { createHash } from 'node:crypto';
import type { CheckOptions } from '../options.js';
import type { RuleContext } from '../passes/types.js';
import type { TransitionSystem } from '../semantics/system.js';
import type { Rule } from '../../rules/types.js';

/** Bumped when the entry format or the key's meaning changes. */
// 3: traces carry blocked steps, chain edges their read mode (2); verdicts may be `not-applicable`, findings carry a `group`.
const CACHE_FORMAT = 'lockmc-cache/3';

export interface Versions {
  lockmc: string;
  z3: string | undefined;
  /** The digest of lockmc's own checker/rules/model code (code-digest.ts): any change of it is a miss. */
  code: string;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Every option but the rule selection, which reaches the key as the resolved rule context. */
function optionsPart(options: CheckOptions): Omit<CheckOptions, 'rules'> {
  const { rules: _rules, ...rest } = options;
  return rest;
}

/** The whole rule context's digest: every rule's definition, the rule options, the declared orders. */
export function ruleContextDigest(ctx: RuleContext): string {
  return digest({ rules: ctx.rules, options: ctx.options, orders: ctx.orders });
}

/** What every key of a model's text starts with (the system key names the compiled system instead of the text). */
function modelKeyBase(tier: string, v: Versions, file: string, text: string, options: CheckOptions) {
  return { format: CACHE_FORMAT, tier, versions: v, file, text: createHash('sha256').update(text, 'utf8').digest('hex'), options: optionsPart(options) };
}

/** `rules`: `ruleContextDigest` of the run's rule context (computed once per run by the caller). */
export function textKey(v: Versions, file: string, text: string, options: CheckOptions, rules: string): string {
  return digest({
    ...modelKeyBase('text', v, file, text, options),
    rules,
  });
}

/** The ids of the rules that touch the system (see the header), of those the run selected. */
export function touchingRules(rules: readonly Rule[], ts: Pick<TransitionSystem, 'properties'>): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    if (r.checks.some((c) => c.kind === 'lock-cycle' || c.kind === 'lock-recursion' || c.kind === 'lockdep-report')) out.add(r.meta.id);
  }
  for (const p of ts.properties) {
    if (p.kind !== 'step' || p.transitions.length > 0) out.add(p.rule);
  }
  return out;
}

export function systemKey(
  v: Versions,
  m: { file: string; sourceHash: string; ts: Pick<TransitionSystem, 'hash' | 'properties'> },
  options: CheckOptions,
  ctx: RuleContext,
): string {
  const touching = touchingRules(ctx.rules, m.ts);
  return digest({
    format: CACHE_FORMAT,
    tier: 'system',
    versions: v,
    file: m.file,
    source: m.sourceHash,
    system: m.ts.hash,
    options: optionsPart(options),
    ruleOptions: ctx.options,
    orders: ctx.orders,
    rules: ctx.rules.map((r) => (touching.has(r.meta.id) ? { touches: r } : { id: r.meta.id, kernel: r.meta.kernel ?? null, checks: r.checks.map((c) => c.id) })),
  });
}

// ---------------------------------------------------------------------------
// The quick key: a rule change without the front end.
//
// The system key needs `compile`, and so the front end, for every model.
// The quick key decides which rules touch a model without compiling, from a
// *profile* of the model stored by an earlier run: per rule (by the digest
// of its definition) whether it touched, and the op kinds the model's IR
// uses. A rule in the profile with the same definition touches as it did:
// its compilation depends on the model, the options, the rule options, the
// declared orders, the lock graph (which lock-graph rules read) and the
// option declarations of every rule (a condition may read another rule's
// option default), and all of those are in the profile's key. A rule not in
// the profile (new or changed) touches nothing when all its checks are step
// checks on op kinds the model never uses: the semantics compiler matches
// a step only on an op of an IR node (checker/semantics/compile.ts), and an
// unmatched step check compiles to the id-only empty property without
// reading its condition. Any other new or changed rule makes the quick
// key unknown, and the model takes the system key. The quick key then holds
// what the system key holds with the text in place of the system: the full
// definition of each touching rule, the id form of the others, plus every
// rule's option declarations.

export interface ModelProfile {
  /** Op kinds of the model's IR nodes. */
  ops: string[];
  /** Per rule id: the digest of the definition it was compiled from, and whether it touched. */
  rules: Record<string, { def: string; touches: boolean }>;
}

export function ruleDefDigest(r: Rule): string {
  return digest(r);
}

function optionDecls(ctx: RuleContext): unknown {
  return ctx.rules.map((r) => [r.meta.id, r.meta.options ?? null]);
}

function lockGraphRules(ctx: RuleContext): Rule[] {
  return ctx.rules.filter((r) => r.checks.some((c) => c.kind === 'lock-cycle' || c.kind === 'lock-recursion' || c.kind === 'lockdep-report'));
}

export function profileKey(v: Versions, file: string, text: string, options: CheckOptions, ctx: RuleContext): string {
  return digest({
    ...modelKeyBase('profile', v, file, text, options),
    ruleOptions: ctx.options,
    orders: ctx.orders,
    lockGraphRules: lockGraphRules(ctx),
    optionDecls: optionDecls(ctx),
  });
}

export function modelOps(model: { procs: { nodes: ({ kind: string; op?: { kind: string } })[] }[] }): string[] {
  const ops = new Set<string>();
  for (const p of model.procs) for (const n of p.nodes) if (n.kind === 'op' && n.op) ops.add(n.op.kind);
  return [...ops].sort();
}

export function makeProfile(ops: string[], rules: readonly Rule[], touching: Set<string>): ModelProfile {
  return { ops, rules: Object.fromEntries(rules.map((r) => [r.meta.id, { def: ruleDefDigest(r), touches: touching.has(r.meta.id) }])) };
}

/** Which rules touch, from a profile; undefined when a new or changed rule may touch (only compiling can tell). */
export function touchingFromProfile(profile: ModelProfile, rules: readonly Rule[]): Set<string> | undefined {
  const ops = new Set(profile.ops);
  const out = new Set<string>();
  for (const r of rules) {
    const known = profile.rules[r.meta.id];
    if (known && known.def === ruleDefDigest(r)) {
      if (known.touches) out.add(r.meta.id);
      continue;
    }
    const unmatched = r.checks.every((c) => c.kind === 'step' && (Array.isArray(c.on.op) ? c.on.op : [c.on.op]).every((k) => !ops.has(k)));
    if (!unmatched) return undefined;
  }
  return out;
}

export function quickKey(v: Versions, file: string, text: string, options: CheckOptions, ctx: RuleContext, touching: Set<string>): string {
  return digest({
    ...modelKeyBase('quick', v, file, text, options),
    ruleOptions: ctx.options,
    orders: ctx.orders,
    optionDecls: optionDecls(ctx),
    rules: ctx.rules.map((r) => (touching.has(r.meta.id) ? { touches: r } : { id: r.meta.id, kernel: r.meta.kernel ?? null, checks: r.checks.map((c) => c.id) })),
  });
}

/**
 * A model the front end rejected (pass `load` stopped it): its report reads
 * no rule but for the check ids its `@expect` header is judged against, so
 * a rule change leaves it served by this key.
 */
export function rejectedKey(v: Versions, file: string, text: string, options: CheckOptions, ctx: RuleContext): string {
  return digest({
    ...modelKeyBase('rejected', v, file, text, options),
    rules: ctx.rules.map((r) => [r.meta.id, r.checks.map((c) => c.id)]),
  });
}
