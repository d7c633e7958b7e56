/** Display helpers. */
export function senderName(from: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>/.exec(from);
  if (m) return m[1].trim() || m[2];
  return from.trim();
}

export function addressOf(text: string): string {
  const m = /<([^>]+)>/.exec(text);
  return (m ? m[1] : text).trim().toLowerCase();
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  return d.toLocaleDateString();
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function splitAddresses(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function folderLabel(name: string): string {
  return name === 'INBOX' ? 'Inbox' : name;
}

/** The search that lists a label's messages: `label:x`, quoted when the name has a space or a quote. */
export function labelQuery(name: string): string {
  return /[\s"()]/.test(name) ? `label:"${name.replace(/"/g, '')}"` : `label:${name}`;
}
