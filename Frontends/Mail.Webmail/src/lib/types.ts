/** The API's shapes (snake_case, as /v1 answers). */
export interface Folder {
  name: string;
  special_use: string | null;
  total: number;
  unread: number;
  size: number;
}

export interface EmailItem {
  id: string;
  folder: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  date: string;
  preview: string;
  unread: boolean;
  flags: string[];
  labels: string[];
  has_attachments: boolean;
  size: number;
  thread_id: string;
}

export interface EmailPage {
  items: EmailItem[];
  page: number;
  page_size: number;
  total: number;
}

/** A page of /v1/search: whether a later page has more; no total unless asked for (count=true), which the list never does. */
export interface SearchPage {
  items: EmailItem[];
  page: number;
  page_size: number;
  has_more: boolean;
  total: number | null;
}

export interface Attachment {
  index: number;
  filename: string;
  content_type: string;
  size: number;
}

export interface EmailDetail {
  summary: EmailItem;
  message_id: string | null;
  in_reply_to: string | null;
  headers: { name: string; value: string }[];
  text: string | null;
  html: string | null;
  attachments: Attachment[];
  auth: { spf: string | null; dkim: string | null; dmarc: string | null } | null;
}

export interface Session {
  address: string;
  csrf_token: string;
  expires_at: string;
}

export interface Quota {
  used_bytes: number;
  limit_bytes: number;
  message_count: number;
}

export interface Change {
  modseq: number;
  kind: string;
  folder_id: number;
  folder: string | null;
  message_id: number | null;
  uid: number | null;
}

export interface ChangePage {
  changes: Change[];
  highest_modseq: number;
  more: boolean;
}

export interface OutgoingAttachment {
  filename: string;
  content_type: string;
  content_base64: string;
}

export interface OutgoingMessage {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  /** Set when written in the rich editor: sent as multipart/alternative with `text` as the plain version. */
  html?: string;
  attachments: OutgoingAttachment[];
  in_reply_to?: string;
  references?: string[];
}

export interface Label {
  name: string;
  total: number;
  unread: number;
}

export interface Thread {
  id: string;
  messages: EmailItem[];
}

/** A row of the conversation view: the newest message of a thread in the folder, and every message of it listed there. */
export interface ThreadRow extends EmailItem {
  members: EmailItem[];
}

export interface SieveScriptInfo {
  name: string;
  active: boolean;
  size: number;
  updated_at: string;
}
