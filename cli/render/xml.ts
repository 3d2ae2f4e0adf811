/** XML escaping shared by junit, svg and html. */

/**
 * Characters XML 1.0 forbids even when escaped: most C0 controls, U+FFFE,
 * U+FFFF and unpaired surrogates (a model file with stray bytes can put
 * any of them into a message). A CI parser rejects the whole report over
 * one of them, so each becomes `?`.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(NOT_XML, '?')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** CDATA cannot contain `]]>`; split it across two sections. */
export function cdata(s: string): string {
  return `<![CDATA[${s.replace(NOT_XML, '?').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
