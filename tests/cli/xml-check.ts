/**
 * A small well-formedness checker for the XML we emit (junit, svg, html):
 * every tag closes in order, attributes are quoted, entities are known.
 * Not a full XML parser; enough to catch an unescaped `<` or `&`, a
 * forgotten close tag or a stray `]]>`.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decode(t: string): string {
  return t
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

export function parseXml(src: string): XmlElement {
  let s = src.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/^<!DOCTYPE html>\s*/i, '');
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const top = () => stack[stack.length - 1];
  const checkText = (t: string) => {
    const bad = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(t);
    if (bad) throw new Error(`bare & at ${i}: ${t.slice(bad.index, bad.index + 20)}`);
    if (t.includes('<') || t.includes('>')) throw new Error(`bare < or > in text near ${i}`);
  };
  while (i < s.length) {
    if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i);
      if (end < 0) throw new Error('unterminated CDATA');
      top().text += s.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    if (s[i] === '<') {
      const end = s.indexOf('>', i);
      if (end < 0) throw new Error('unterminated tag');
      const tag = s.slice(i + 1, end);
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}> at ${i}`);
      } else {
        const selfClose = tag.endsWith('/');
        const body = selfClose ? tag.slice(0, -1) : tag;
        const m = /^([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*$/.exec(body);
        if (!m) throw new Error(`malformed tag <${tag.slice(0, 60)}> at ${i}`);
        const attrs: Record<string, string> = {};
        for (const a of m[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) {
          if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
          checkText(a[2]);
          attrs[a[1]] = decode(a[2]);
        }
        const el: XmlElement = { name: m[1], attrs, children: [], text: '' };
        top().children.push(el);
        if (!selfClose) stack.push(el);
      }
      i = end + 1;
      continue;
    }
    const next = s.indexOf('<', i);
    const t = s.slice(i, next < 0 ? s.length : next);
    checkText(t);
    top().text += decode(t);
    i = next < 0 ? s.length : next;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${top().name}>`);
  if (root.children.length !== 1) throw new Error(`expected one root element, got ${root.children.length}`);
  return root.children[0];
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}
