import type { ChangePage, EmailDetail, EmailPage, Folder, Label, OutgoingMessage, Quota, SearchPage, Session, SieveScriptInfo, Thread } from './types';

/** Raised for an answer that is not 2xx; `status` is the HTTP status, `detail` the problem+json detail when there is one. */
export class ApiError extends Error {
  constructor(public status: number, public detail: string, public body: unknown = null) {
    super(detail);
  }
}

let csrf = '';
let onExpired: () => void = () => {};

/** The CSRF token of the session, repeated in X-CSRF-Token on every state-changing call (the cookie itself is HttpOnly). */
export function setCsrf(token: string) {
  csrf = token;
}

export function csrfToken() {
  return csrf;
}

/** What to do when a call answers 401: the session cookie expired or was revoked. */
export function onSessionExpired(handler: () => void) {
  onExpired = handler;
}

async function problem(response: Response): Promise<ApiError> {
  let detail = response.statusText;
  let body: unknown = null;
  try {
    body = await response.json();
    detail = (body as { detail?: string; title?: string }).detail ?? (body as { title?: string }).title ?? detail;
  } catch {
    /* not JSON */
  }
  return new ApiError(response.status, detail, body);
}

/** Calls /v1 with the session cookie; JSON in and out. A 401 outside the login itself means the session is over. */
export async function call<T>(method: string, path: string, body?: unknown, quiet401 = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 401 && !quiet401) onExpired();
  if (!response.ok) throw await problem(response);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? await response.json() : undefined) as T;
}

/** Fetches binary content (an attachment, an inline image) with the session cookie. */
export async function blob(path: string): Promise<Blob> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (response.status === 401) onExpired();
  if (!response.ok) throw await problem(response);
  return await response.blob();
}

const enc = encodeURIComponent;

export const api = {
  login: (username: string, password: string) => call<Session>('POST', '/v1/auth/session', { username, password }, true),
  session: () => call<Session>('GET', '/v1/auth/session', undefined, true),
  refresh: () => call<Session>('POST', '/v1/auth/session/refresh'),
  logout: () => call<void>('DELETE', '/v1/auth/session', undefined, true),
  folders: () => call<Folder[]>('GET', '/v1/folders'),
  createFolder: (name: string) => call<Folder>('POST', '/v1/folders', { name }),
  renameFolder: (name: string, to: string) => call<Folder>('PATCH', `/v1/folders/${enc(name)}`, { name: to }),
  deleteFolder: (name: string) => call<void>('DELETE', `/v1/folders/${enc(name)}`),
  list: (folder: string, page: number, pageSize: number) =>
    call<EmailPage>('GET', `/v1/emails?folder=${enc(folder)}&page=${page}&page_size=${pageSize}`),
  search: (q: string, page: number, pageSize: number) => call<SearchPage>('GET', `/v1/search?q=${enc(q)}&page=${page}&page_size=${pageSize}`),
  email: (id: string) => call<EmailDetail>('GET', `/v1/emails/${id}`),
  patch: (id: string, patch: { unread?: boolean; flagged?: boolean; folder?: string; add_labels?: string[]; remove_labels?: string[] }) =>
    call('PATCH', `/v1/emails/${id}`, patch),
  thread: (id: string) => call<Thread>('GET', `/v1/threads/${enc(id)}`),
  labels: () => call<{ labels: Label[] }>('GET', '/v1/labels'),
  sieveScripts: () => call<{ scripts: SieveScriptInfo[] }>('GET', '/v1/sieve/scripts'),
  sieveScript: (name: string) => call<{ name: string; active: boolean; content: string }>('GET', `/v1/sieve/scripts/${enc(name)}`),
  putSieveScript: (name: string, content: string, active: boolean) => call('PUT', `/v1/sieve/scripts/${enc(name)}`, { content, active }),
  remove: (id: string) => call('DELETE', `/v1/emails/${id}`),
  attachmentUrl: (id: string, index: number) => `/v1/emails/${id}/attachments/${index}`,
  inlineUrl: (id: string, cid: string) => `/v1/emails/${id}/inline/${enc(cid)}`,
  saveDraft: (message: OutgoingMessage, replaces: string | null) =>
    call<{ id: string }>('POST', `/v1/drafts${replaces ? `?replaces=${replaces}` : ''}`, message),
  deleteDraft: (id: string) => call<void>('DELETE', `/v1/drafts/${id}`),
  quota: () => call<Quota>('GET', '/v1/quota'),
  changes: (since: number) => call<ChangePage>('GET', `/v1/changes?since=${since}`),
  highestModseq: () => call<ChangePage>('GET', '/v1/changes'),
  createAppPassword: (name: string) => call<{ id: string; name: string; secret: string }>('POST', '/v1/account/app-passwords', { name }),
  createApiKey: (name: string, scope: string) => call<{ id: string; name: string; secret: string }>('POST', '/v1/account/api-keys', { name, scope }),
  revokeSecret: (id: string) => call<void>('DELETE', `/v1/account/secrets/${enc(id)}`),
  secrets: () =>
    call<{ items: { id: string; name: string; kind: string; created_at: string; scope: string | null; expires_at: string | null }[] }>(
      'GET',
      '/v1/account/secrets',
    ),
};

/**
 * POST /v1/send through XMLHttpRequest, the one browser API that reports upload progress (fetch does not), so large
 * attachments show a moving bar.
 */
export function send(message: OutgoingMessage, progress: (fraction: number) => void): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/send');
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Idempotency-Key', crypto.randomUUID());
    xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status === 401) onExpired();
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else {
        let detail = xhr.statusText;
        try {
          detail = JSON.parse(xhr.responseText).detail ?? detail;
        } catch {
          /* not JSON */
        }
        reject(new ApiError(xhr.status, detail));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'The network failed while sending.'));
    xhr.send(JSON.stringify(message));
  });
}
