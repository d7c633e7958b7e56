/**
 * The vacation reply of Settings, kept as a Sieve `vacation` rule (RFC 5230) in a delimited block of the account's
 * active script, so the user's other rules stay as they are (only one script runs at delivery, so a separate script
 * would switch them off). The block goes right after the script's leading `require` commands (RFC 5228 §3.2 wants
 * them first) and carries its own `require`; start and end dates are `currentdate` tests (RFC 5260 §5) with
 * `:value "ge"` / `"le"` (RFC 5231) in the browser's time zone.
 */
export interface Vacation {
  on: boolean;
  subject: string;
  body: string;
  /** yyyy-mm-dd or '' */
  start: string;
  end: string;
}

export const BEGIN = '# BEGIN webmail vacation (Settings > Vacation reply rewrites this block)';
export const END = '# END webmail vacation';

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const unquote = (s: string) => s.replace(/\\(.)/gs, '$1');
const STRING = '"((?:[^"\\\\]|\\\\.)*)"';

function zone(): string {
  const minutes = -new Date().getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The block for these settings. */
export function vacationBlock(v: Vacation): string {
  const tests: string[] = [];
  if (v.start) tests.push(`currentdate :zone "${zone()}" :value "ge" "date" ${quote(v.start)}`);
  if (v.end) tests.push(`currentdate :zone "${zone()}" :value "le" "date" ${quote(v.end)}`);
  const action = `vacation${v.subject ? ` :subject ${quote(v.subject)}` : ''} ${quote(v.body)};`;
  const require = tests.length > 0 ? 'require ["vacation", "date", "relational"];' : 'require "vacation";';
  const rule = tests.length > 0 ? `if allof (${tests.join(', ')}) {\n  ${action}\n}` : action;
  return `${BEGIN}\n${require}\n${rule}\n${END}\n`;
}

/** Where the leading require commands (and comments around them) end: the block goes there. */
function afterRequires(script: string): number {
  let i = 0;
  let end = 0;
  for (;;) {
    while (i < script.length && /\s/.test(script[i])) i++;
    if (script.startsWith('#', i)) {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? script.length : nl + 1;
    } else if (script.startsWith('/*', i)) {
      const close = script.indexOf('*/', i + 2);
      i = close < 0 ? script.length : close + 2;
    } else if (/^require\b/i.test(script.slice(i, i + 8))) {
      // Up to the ';' that ends it, outside strings.
      let inString = false;
      for (i += 7; i < script.length; i++) {
        const c = script[i];
        if (inString && c === '\\') i++;
        else if (c === '"') inString = !inString;
        else if (!inString && c === ';') break;
      }
      i++;
      const nl = script.indexOf('\n', i);
      end = i = nl < 0 ? script.length : nl + 1;
      continue;
    } else return end;
  }
}

/** The script without the block. */
export function withoutVacation(script: string): string {
  const from = script.indexOf(BEGIN);
  if (from < 0) return script;
  const to = script.indexOf(END, from);
  if (to < 0) return script;
  const after = to + END.length + (script[to + END.length] === '\n' ? 1 : 0);
  return script.slice(0, from) + script.slice(after);
}

/** The script with the block for these settings (or without any when the reply is off). */
export function withVacation(script: string, v: Vacation): string {
  const rest = withoutVacation(script);
  if (!v.on) return rest;
  const at = afterRequires(rest);
  const before = rest.slice(0, at);
  return before + (before && !before.endsWith('\n') ? '\n' : '') + vacationBlock(v) + rest.slice(at);
}

/** The settings in a script's block, or off with empty fields. */
export function readVacation(script: string): Vacation {
  const from = script.indexOf(BEGIN);
  const to = from < 0 ? -1 : script.indexOf(END, from);
  if (from < 0 || to < 0) return { on: false, subject: '', body: '', start: '', end: '' };
  const block = script.slice(from, to);
  const action = new RegExp(`vacation(?:\\s+:subject\\s+${STRING})?\\s+${STRING}\\s*;`, 's').exec(block);
  const date = (rel: string) => new RegExp(`:value\\s+"${rel}"\\s+"date"\\s+${STRING}`).exec(block)?.[1] ?? '';
  return {
    on: true,
    subject: action?.[1] !== undefined ? unquote(action[1]) : '',
    body: action ? unquote(action[2]) : '',
    start: date('ge'),
    end: date('le'),
  };
}
