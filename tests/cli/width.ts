/**
 * The width rule of the text and pretty reports: a line fits the width,
 * unless it is a diagnostic headline (`file:line:col: error LMCnnn: ...`,
 * never wrapped) or ends in one word too long for any line (a path, which
 * is never cut).
 */
export function fitsWidth(line: string, width: number): boolean {
  if (line.length <= width) return true;
  if (/^(\S+: )?(error|warning) [A-Z]+\d+: /.test(line)) return true;
  const body = line.endsWith(' \\') ? line.slice(0, -2) : line;
  const cut = body.lastIndexOf(' ');
  const word = body.slice(cut + 1);
  return body.slice(0, Math.max(0, cut)).trimEnd().length <= width && word.length > width / 2 - 2;
}
