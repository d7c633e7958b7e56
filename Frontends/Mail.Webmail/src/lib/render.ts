import DOMPurify from 'dompurify';

/** What rendering a message's HTML found: the document for the sandboxed frame, remote loads held back, cid: parts used. */
export interface Rendered {
  srcdoc: string;
  blockedRemote: number;
  cids: string[];
}

const remote = /^\s*(https?:)?\/\//i;
const cssUrl = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;

/**
 * Sanitizes mail HTML a second time in the page (the server's HtmlSanitizer ran first) and prepares it for a
 * `sandbox`ed srcdoc iframe without allow-scripts or allow-same-origin: no script, no form, no frame, no event handler.
 * Remote images and CSS url()s are held back (data-remote-src) unless `allowRemote`; `cid:` URLs are replaced by the
 * blob: URLs in `inline` (fetched by the caller through the API) or dropped.
 */
export function renderHtml(html: string, allowRemote: boolean, inline: Map<string, string>): Rendered {
  let blockedRemote = 0;
  const cids = new Set<string>();
  const rewriteUrl = (url: string): string | null => {
    if (/^\s*cid:/i.test(url)) {
      const cid = url.trim().slice(4);
      cids.add(cid);
      return inline.get(cid) ?? null;
    }
    if (remote.test(url) && !allowRemote) {
      blockedRemote++;
      return null;
    }
    return url;
  };

  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'A') {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
    for (const attr of ['src', 'background', 'poster']) {
      const value = el.getAttribute?.(attr);
      if (value == null) continue;
      const rewritten = rewriteUrl(value);
      if (rewritten === null) {
        el.removeAttribute(attr);
        if (attr === 'src') el.setAttribute('data-blocked', '');
      } else el.setAttribute(attr, rewritten);
    }
    if (el.hasAttribute?.('srcset')) {
      if (!allowRemote) {
        blockedRemote++;
        el.removeAttribute('srcset');
      }
    }
    const style = el.getAttribute?.('style');
    if (style && /url\(/i.test(style)) {
      el.setAttribute('style', style.replace(cssUrl, (_m, _q, url: string) => {
        const rewritten = rewriteUrl(url);
        return rewritten === null ? 'none' : `url("${rewritten.replace(/"/g, '%22')}")`;
      }));
    }
  });
  let clean: string;
  try {
    clean = DOMPurify.sanitize(html, {
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math'],
      FORBID_ATTR: ['action', 'formaction', 'ping'],
      ALLOW_DATA_ATTR: false,
      WHOLE_DOCUMENT: false,
    });
  } finally {
    DOMPurify.removeAllHooks();
  }
  const head =
    '<meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
    '<style>body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}' +
    'img{max-width:100%;height:auto}img[data-blocked]{display:none}pre{white-space:pre-wrap}</style>';
  return { srcdoc: `<!doctype html><html><head>${head}</head><body>${clean}</body></html>`, blockedRemote, cids: [...cids] };
}

/** Plain text for the frame, escaped, links left as text. */
export function renderText(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;padding:12px;color:#1b1b1b;background:#fff}' +
    'pre{white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;overflow-wrap:anywhere}</style></head><body><pre>' +
    escaped +
    '</pre></body></html>'
  );
}
