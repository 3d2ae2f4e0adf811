/** The renderer registry: one file per format, looked up by name. */

import type { Format, Renderer } from './types.js';
import { renderText } from './text.js';
import { renderPretty } from './pretty.js';
import { renderJson } from './json.js';
import { renderItf } from './itf.js';
import { renderSarif } from './sarif.js';
import { renderJunit } from './junit.js';
import { renderSvg } from './svg.js';
import { renderHtml } from './html.js';

export const RENDERERS: Record<Format, Renderer> = {
  text: renderText,
  pretty: renderPretty,
  json: renderJson,
  itf: renderItf,
  sarif: renderSarif,
  junit: renderJunit,
  svg: renderSvg,
  html: renderHtml,
};

export { FORMATS } from './types.js';
export type { Format, RenderContext, RenderOutput, RenderedFile, Renderer } from './types.js';
