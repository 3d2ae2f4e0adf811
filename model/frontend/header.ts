/**
 * The model header: the first `/** ... *\/` comment of the file. Parsed from
 * the raw text so a fixture runner can read `@expect` even when the rest of
 * the model does not parse.
 */

import { diagnosticAt, isDiagnosticCode, lineColAt, type Diagnostic } from '../diagnostics.js';
import type { Expectation, ModelHeader } from '../ir.js';
import { KERNEL_CONFIGS, isKernelConfig, normaliseKernelConfig, splitKernelConfig } from '../kernel-config.js';

const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;
/** A rule's `checks[].id`: the same spelling as a rule id. */
const CHECK_ID = RULE_ID;
const LINE = /^[1-9]\d*$/;
const CODE = /^LMC\d{3}$/;
const KERNEL = /^v\d+\.\d+(\.\d+)?(-rc\d+)?$/;
const OPTION = /^([a-z0-9][a-z0-9.-]*)=(\S+)$/i;

export interface HeaderResult {
  header: ModelHeader;
  diagnostics: Diagnostic[];
}

/** Offset of the header comment, if the file starts with one (after blank lines and `//` comments). */
function findHeader(text: string): { start: number; end: number } | undefined {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl + 1;
      continue;
    }
    break;
  }
  if (text.startsWith('#!', i)) return undefined;
  if (!text.startsWith('/**', i) || text.startsWith('/**/', i)) return undefined;
  const end = text.indexOf('*/', i + 3);
  if (end < 0) return undefined;
  return { start: i, end: end + 2 };
}


export function parseHeader(text: string, file?: string): HeaderResult {
  const header: ModelHeader = { description: '', expect: [], ruleOptions: {} };
  const diagnostics: Diagnostic[] = [];
  const at = findHeader(text);
  if (!at) return { header, diagnostics };
  // Lines of the comment with their offsets, stripped of `/**`, ` * `, `*/`.
  const body = text.slice(at.start, at.end);
  const lines: { text: string; offset: number }[] = [];
  let off = at.start;
  // Split on every line terminator the parser counts (CR-only files too).
  const raws: { raw: string; sep: number }[] = [];
  for (let i = 0, re = /\r\n|[\n\r\u2028\u2029]/g; ; ) {
    const m = re.exec(body);
    raws.push({ raw: body.slice(i, m ? m.index : body.length), sep: m ? m[0].length : 0 });
    if (!m) break;
    i = m.index + m[0].length;
  }
  for (const { raw, sep } of raws) {
    let s = raw;
    let lead = 0;
    const m = /^(\s*\/\*\*\s?|\s*\*(?!\/)\s?)/.exec(s);
    if (m) {
      lead = m[0].length;
      s = s.slice(lead);
    }
    s = s.replace(/\s*\*\/\s*$/, '').replace(/\r$/, '');
    lines.push({ text: s, offset: off + lead });
    off += raw.length + sep;
  }
  const desc: string[] = [];
  let inDesc = true;
  for (const l of lines) {
    const t = l.text.trim();
    if (t.startsWith('@')) inDesc = false;
    if (inDesc) {
      if (t === '') {
        if (desc.length > 0) inDesc = false;
        continue;
      }
      desc.push(t);
      continue;
    }
    if (!t.startsWith('@')) continue;
    const tagOffset = l.offset + l.text.indexOf('@');
    const [tag, ...rest] = t.split(/\s+/);
    const bad = (msg: string, hint: string) => {
      const pos = lineColAt(text, tagOffset);
      diagnostics.push(diagnosticAt('LMC211', msg, file, text, { ...pos, width: t.length }, hint));
    };
    switch (tag) {
      case '@expect': {
        const e = parseExpect(rest);
        if (typeof e === 'string') {
          bad(`bad @expect tag: ${e}`, 'write `@expect holds all`, `@expect holds <rule-id> ...`, `@expect violates <rule-id>/<check-id> at <line>` (or just `<rule-id>`) or `@expect error LMCnnn`');
          break;
        }
        const clash = contradiction(header.expect, e);
        if (clash) bad(`contradictory @expect tags: ${clash}`, 'keep the expectations that the model is meant to show');
        else header.expect.push({ ...e, line: lineColAt(text, tagOffset).line });
        break;
      }
      case '@kernel':
        if (rest.length !== 1 || !KERNEL.test(rest[0]!)) bad(`bad @kernel tag: expected a version such as v6.12, got '${rest.join(' ')}'`, 'write `@kernel v6.12`');
        else header.kernel = rest[0]!;
        break;
      case '@kernel-config': {
        const names = splitKernelConfig(rest);
        const unknown = names.filter((n) => !isKernelConfig(n));
        if (names.length === 0) bad(`bad @kernel-config tag: expected a config name such as PREEMPT_RT`, 'write `@kernel-config PREEMPT_RT`');
        else if (unknown.length > 0) bad(`bad @kernel-config tag: unknown kernel config '${unknown[0]}' (known: ${KERNEL_CONFIGS.join(', ')})`, 'write `@kernel-config PREEMPT_RT`');
        else header.kernelConfig = normaliseKernelConfig([...(header.kernelConfig ?? []), ...names]);
        break;
      }
      case '@bound': {
        const n = rest.length === 1 && /^\d+$/.test(rest[0]!) ? Number(rest[0]) : NaN;
        if (!Number.isSafeInteger(n) || n <= 0) bad(`bad @bound tag: expected a positive integer, got '${rest.join(' ')}'`, 'write `@bound 40`');
        else header.bound = n;
        break;
      }
      case '@driver':
        if (rest.length !== 1) bad(`bad @driver tag: expected one path, got '${rest.join(' ')}'`, 'write `@driver drivers/gpu/drm/foo`');
        else header.driverPath = rest[0]!;
        break;
      case '@rule-option': {
        const m = rest.length === 1 ? OPTION.exec(rest[0]!) : null;
        if (!m) bad(`bad @rule-option tag: expected key=value, got '${rest.join(' ')}'`, 'write `@rule-option revoke.pfn-export=locked`');
        else {
          header.ruleOptions[m[1]!] = m[2]!;
          (header.ruleOptionAt ??= {})[m[1]!] = lineColAt(text, tagOffset);
        }
        break;
      }
      default:
        // Other JSDoc tags (@see, @remarks, ...) are documentation.
        break;
    }
  }
  header.description = desc.join(' ');
  return { header, diagnostics };
}

/** Why `e` cannot be expected together with `prior`, if it cannot. */
function contradiction(prior: Expectation[], e: Expectation): string | undefined {
  for (const p of prior) {
    if ((p.kind === 'error') !== (e.kind === 'error')) return 'a model expected to be rejected (error) has no verdicts';
    if (p.kind === 'error' && e.kind === 'error') return 'one model can expect only one error code';
    const holds = p.kind === 'holds' ? p : e.kind === 'holds' ? e : undefined;
    const violates = p.kind === 'violates' ? p : e.kind === 'violates' ? e : undefined;
    if (holds && violates && (holds.rules === 'all' || holds.rules.includes(violates.rule))) {
      return `'${violates.rule}' cannot both hold and be violated`;
    }
  }
  return undefined;
}

function parseExpect(words: string[]): Expectation | string {
  const [verb, ...args] = words;
  switch (verb) {
    case 'holds':
      if (args.length === 0) return "'holds' needs 'all' or rule ids";
      if (args.length === 1 && args[0] === 'all') return { kind: 'holds', rules: 'all' };
      for (const a of args) if (!RULE_ID.test(a) || a === 'all') return `'${a}' is not a rule id`;
      return { kind: 'holds', rules: args };
    case 'violates':
      return parseViolates(args);
    case 'error':
      if (args.length !== 1 || !CODE.test(args[0]!)) return "'error' takes one code LMCnnn";
      // A code lockmc never raises would be an expectation no model can meet.
      const code = args[0]!;
      if (!isDiagnosticCode(code)) return `'error ${code}': lockmc has no diagnostic ${code} (see \`lockmc explain\` or docs/diagnostics.md)`;
      return { kind: 'error', code };
    default:
      return verb === undefined ? 'missing holds/violates/error' : `unknown verdict '${verb}'`;
  }
}

/**
 * `violates <rule>` (any check, any line), `violates <rule>/<check>` (that
 * check, any line) or `violates <rule>/<check> at <line>`: that check with
 * its finding at that line of the model. One finding per tag; repeat the
 * tag for more. Whether the rule has such a check is the checker's to say
 * (the front end does not know the rules).
 */
function parseViolates(args: string[]): Expectation | string {
  const [target, ...tail] = args;
  const isAt = tail[0] === 'at';
  if (target === undefined || (tail.length > 0 && !isAt)) return "'violates' takes exactly one rule id (repeat the tag for more)";
  const slash = target.indexOf('/');
  const rule = slash < 0 ? target : target.slice(0, slash);
  const check = slash < 0 ? undefined : target.slice(slash + 1);
  if (!RULE_ID.test(rule)) return `'${rule}' is not a rule id`;
  if (check !== undefined && !CHECK_ID.test(check)) return `'${check}' is not a check id (write <rule-id>/<check-id>)`;
  if (!isAt) return check === undefined ? { kind: 'violates', rule } : { kind: 'violates', rule, check };
  if (tail.length !== 2) return `'at' takes one line number, got '${tail.slice(1).join(' ')}'`;
  const n = LINE.test(tail[1]!) ? Number(tail[1]) : NaN;
  if (!Number.isSafeInteger(n)) return `'at' takes a line number (1 or more), got '${tail[1]}'`;
  if (check === undefined) return `'at ${tail[1]}' needs a check: write '${rule}/<check-id> at ${tail[1]}'`;
  return { kind: 'violates', rule, check, findingLine: n };
}
