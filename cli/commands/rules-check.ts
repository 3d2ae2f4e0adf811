/**
 * `lockmc rules check [--rules f.json...] [paths...]`: audit a rule set
 * (checker/gate/audit.ts). With rule files, their rules are audited against
 * the fixtures given as paths (default: ./fixtures); without, the selected
 * built-in rules against their bundled fixtures (fixtures/rules/<id>/).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditRuleSet, type Fixture } from '../../checker/gate/audit.js';
import { loadUserRuleFiles } from '../../checker/rule-files/index.js';
import type { Rule } from '../../rules/types.js';
import type { CliOptions, GateFormat } from '../args.js';
import { collectModels, displayPath, packageRoot, readRegularFile } from '../files.js';
import type { CliIo } from '../io.js';
import { renderAuditJson, renderAuditText } from '../render/gate-check.js';
import { refuseOutputOverInput, resolveCheckOptions, UsageError, writeRendered } from '../shared.js';
import { loadCheckerModule, modelFiles } from './check.js';

/** Where each user rule comes from: its file, as the user named it. */
function sourcesOf(files: string[], cwd: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) for (const r of loadUserRuleFiles([f]).rules) out.set(r.meta.id, displayPath(f, cwd));
  return out;
}

/** The bundled fixtures of built-in rules: fixtures/rules/<id>/ of each that has them. */
function bundledFixtures(rules: Rule[], cwd: string): string[] {
  const dirs = rules.map((r) => join(packageRoot(), 'fixtures', 'rules', r.meta.id)).filter((d) => existsSync(d));
  if (dirs.length === 0) return [];
  const c = collectModels(dirs, cwd);
  return 'files' in c ? c.files : [];
}

export async function runRulesCheck(paths: string[], format: GateFormat | undefined, cli: CliOptions, io: CliIo): Promise<number> {
  if (format !== undefined && format !== 'text' && format !== 'json') throw new UsageError(`rules check prints text or json, not ${format}`);
  const { options, config } = resolveCheckOptions(cli, io.cwd);
  const checker = await loadCheckerModule();
  const rules = checker.resolveRules(options);
  const user = rules.userRules.length > 0;
  const sources = user ? sourcesOf(options.rules.files ?? [], io.cwd) : new Map<string, string>();
  const audited = (user ? rules.userRules : rules.rules).map((rule) => ({ rule, source: sources.get(rule.meta.id) ?? 'built-in' }));
  // A rule file's fixtures default to ./fixtures, the corpus `rules diff` reads too.
  const local = join(io.cwd, 'fixtures');
  // Besides ./fixtures, the config's `models` belong to a rule file's corpus (as in `rules diff`).
  const configured = (config.models ?? []).filter((m) => existsSync(m)).map((m) => displayPath(m, io.cwd));
  const files =
    paths.length > 0 ? modelFiles(paths, io)
    : !user ? bundledFixtures(rules.rules, io.cwd)
    : [...(existsSync(local) ? ['fixtures'] : []), ...configured].length > 0 ? modelFiles([...(existsSync(local) ? ['fixtures'] : []), ...configured], io)
    : [];
  refuseOutputOverInput(cli, [...files, ...cli.rules], io);
  const fixtures: Fixture[] = files.map((file) => ({ file, text: readRegularFile(resolve(io.cwd, file)) ?? '' }));
  // Bundled fixtures declare verdicts of rules outside any one preset (deadlock, lockdep-*): like the
  // fixture suite, they run with every built-in rule. A rule file's fixtures run with the user's selection.
  const runOptions = user ? options : { ...options, rules: { ...(options.rules.options ? { options: options.rules.options } : {}), preset: 'all' } };
  const runRules = user ? rules : checker.resolveRules(runOptions);
  const audit = await auditRuleSet({
    rules: rules.rules,
    orders: rules.orders,
    audited,
    fixtures,
    options: runOptions,
    check: (inputs, opts) => checker.check(inputs.map((f) => ({ file: f.file, ...(f.text !== '' ? { text: f.text } : {}) })), opts, undefined, { rules: runRules }),
    diagnostics: [...config.diagnostics, ...rules.diagnostics],
  });
  writeRendered(format === 'json' ? renderAuditJson(audit) : renderAuditText(audit), cli, io);
  return audit.exitCode;
}
