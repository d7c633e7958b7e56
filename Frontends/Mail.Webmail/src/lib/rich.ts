import DOMPurify from 'dompurify';

/** What the rich editor may send: formatting, lists, links, quotes; no script, style element, form, frame or event handler. */
const ALLOWED_TAGS = ['p', 'div', 'br', 'span', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'a', 'blockquote', 'pre', 'code',
  'h1', 'h2', 'h3', 'h4', 'hr', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'img', 'font', 'sub', 'sup', 's'];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'type', 'style', 'colspan', 'rowspan', 'width', 'height'];

/** Sanitizes the editor's HTML with DOMPurify before it is saved or sent; links keep only http(s) and mailto. */
export function cleanHtml(html: string): string {
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    const href = el.getAttribute?.('href');
    if (href != null && !/^(https?:|mailto:)/i.test(href.trim())) el.removeAttribute('href');
  });
  try {
    return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false });
  } finally {
    DOMPurify.removeAllHooks();
  }
}

/** Plain text as editor HTML: escaped, one line a line. */
export function textToHtml(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : '<br>'))
    .map((line) => `<div>${line}</div>`)
    .join('');
}

const BLOCK = new Set(['P', 'DIV', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'PRE', 'H1', 'H2', 'H3', 'H4', 'HR', 'TABLE', 'TR']);

/** The text version of the editor's HTML, sent beside it: lists as "- " / "1. ", quotes as "> ", links as "text <url>". */
export function htmlToText(html: string): string {
  const root = new DOMParser().parseFromString(`<body>${cleanHtml(html)}</body>`, 'text/html').body;
  const lines: string[] = [];
  let line = '';
  const flush = (prefix: string) => {
    if (line.length > 0 || lines.length === 0 || lines[lines.length - 1] !== prefix.trimEnd()) lines.push(prefix + line);
    line = '';
  };
  const walk = (node: Node, prefix: string) => {
    if (node.nodeType === Node.TEXT_NODE) {
      line += (node.textContent ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node as Element;
    const tag = el.tagName;
    if (tag === 'BR') return flush(prefix);
    const inner = tag === 'BLOCKQUOTE' ? `${prefix}> ` : prefix;
    if (BLOCK.has(tag) && line) flush(prefix);
    if (tag === 'LI') {
      const list = el.parentElement;
      line += list?.tagName === 'OL' ? `${[...list.children].indexOf(el) + 1}. ` : '- ';
    }
    for (const child of el.childNodes) walk(child, inner);
    if (tag === 'A') {
      const href = el.getAttribute('href');
      if (href && href !== el.textContent && !href.startsWith('mailto:')) line += ` <${href}>`;
    }
    if (BLOCK.has(tag) && line) flush(inner);
  };
  for (const child of root.childNodes) walk(child, '');
  if (line) flush('');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
