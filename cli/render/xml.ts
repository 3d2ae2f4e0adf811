/** XML escaping shared by junit, svg and html. */

export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?');
}

/** CDATA cannot contain `]]>`; split it across two sections. */
export function cdata(s: string): string {
  return `<![CDATA[${s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
