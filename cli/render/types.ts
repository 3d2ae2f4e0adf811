/**
 * What every renderer receives besides the Report: presentation choices
 * (colour, width, how the command is spelled) and documentation that is
 * not run data. Everything the run found or checked, the rules' metadata
 * included (`report.rules`), is in the Report, so a renderer is a pure
 * function of the Report and these settings.
 */

import type { Report } from '../../checker/report.js';

export const FORMATS = ['text', 'pretty', 'json', 'itf', 'sarif', 'junit', 'svg', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderContext {
  /** Diagnostic-code titles (`LMC201` -> "unknown identifier"), when known. */
  diagnosticTitle?: (code: string) => string | undefined;
  /** Colour for `pretty`. Other formats never colour. */
  color: boolean;
  /** Wrap width for `pretty` (text is always 72). */
  width?: number;
  /** How the replay command is spelled (`lockmc`, `npx lockmc`). */
  command?: string;
  /**
   * A rule's documentation (docs/rules/<id>.md), for SARIF `help` and
   * `helpUri`. It stays here rather than in the Report: it is the
   * installed package's documentation, not something the run found, and
   * a report should not carry whole Markdown pages. The CLI reads the
   * files; renderers stay pure functions of the Report and this context.
   */
  ruleHelp?: (id: string) => RuleHelp | undefined;
  /** What a diagnostic code means (`lockmc explain`), for SARIF `help`. */
  diagnosticHelp?: (code: string) => string | undefined;
  /**
   * text/pretty: print every model's report and every verdict. Without it
   * a run of several models prints only the reports of models not as
   * expected, and each report lists only the verdicts worth reading.
   */
  verbose?: boolean;
}

export interface RuleHelp {
  /** The rule's page as Markdown. */
  markdown: string;
  /** An absolute URI of that page (SARIF requires helpUri to be absolute). */
  uri: string;
}

export interface RenderedFile {
  /** A file name, relative to the `--output` directory. */
  name: string;
  content: string;
}

/** A renderer yields one document, or (itf) several named files. */
export type RenderOutput = string | RenderedFile[];

export type Renderer = (report: Report, ctx: RenderContext) => RenderOutput;
