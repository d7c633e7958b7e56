import { api, ApiError } from './api';
import type { Change, EmailDetail, EmailItem, EmailPage, Folder, Label, Quota, SearchPage, ThreadRow } from './types';
import { addressOf } from './format';

/** Rows per listing request; the list asks only for the pages it shows. */
export const PAGE = 100;

/**
 * How many rows the listing has as far as page `p` tells: a folder's total; for a search (which counts nothing) the
 * rows through this page, plus one placeholder row while more follow, so the list grows as it is scrolled.
 */
function extent(page: EmailPage | SearchPage, p: number, current: number): number {
  if (!('has_more' in page)) return page.total;
  const through = p * PAGE + page.items.length;
  return page.has_more ? Math.max(current, through + 1) : through;
}

/**
 * The page's view of the mailbox: folders, the open listing (a sparse window over the folder, loaded page by page as
 * the list scrolls), the selection, the open message. Changes from the hub replace what they touch.
 */
export class Mail {
  folders = $state<Folder[]>([]);
  folder = $state('INBOX');
  query = $state('');
  total = $state(0);
  /** A search listing whose last row is a placeholder for results not loaded yet (the count shows as "n+"). */
  more = $state(false);
  rows = $state<(EmailItem | undefined)[]>([]);
  cursor = $state(0);
  selected = $state<Set<string>>(new Set());
  open = $state<EmailDetail | null>(null);
  quota = $state<Quota | null>(null);
  searchAvailable = $state(true);
  status = $state('');
  correspondents = $state<Set<string>>(new Set());
  labels = $state<Label[]>([]);
  /** Conversation view: one row per thread (the newest message of it in the listing), grouped in the page. */
  conversations = $state(false);
  /** The open conversation, oldest first (every folder), when the reader shows a thread; null for a single message. */
  thread = $state<EmailItem[] | null>(null);
  /** The listing's messages behind the open conversation's row: what archive, delete and label act on. */
  private threadMembers: EmailItem[] = [];
  private loading = new Set<number>();
  private generation = 0;
  /** Conversation view: the flat listing loaded so far (newest first), grouped into `rows`. */
  private raw: EmailItem[] = [];
  private rawTotal = 0;
  private rawLoading: Promise<void> | null = null;

  get current(): EmailItem | undefined {
    return this.rows[this.cursor];
  }

  async loadFolders() {
    const [folders] = await Promise.all([api.folders(), this.loadLabels()]);
    this.folders = folders;
  }

  async loadLabels() {
    try {
      this.labels = (await api.labels()).labels;
    } catch {
      this.labels = [];
    }
  }

  async loadQuota() {
    try {
      this.quota = await api.quota();
    } catch {
      this.quota = null;
    }
  }

  /** Opens a folder (or a search when `query` is set) at the top. */
  async show(folder: string, query = '') {
    this.folder = folder;
    this.query = query;
    this.cursor = 0;
    this.selected = new Set();
    this.generation++;
    this.loading.clear();
    this.rows = [];
    this.total = 0;
    this.more = false;
    this.raw = [];
    this.rawTotal = 0;
    this.rawLoading = null;
    await this.ensure(0, PAGE);
  }

  /** Makes sure rows [from, to) are loaded, one request per missing page. */
  async ensure(from: number, to: number) {
    if (this.conversations) return this.ensureThreads(to);
    const first = Math.floor(Math.max(0, from) / PAGE);
    const last = Math.floor(Math.max(0, to - 1) / PAGE);
    const work: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (this.loading.has(p)) continue;
      if (p > 0 && p * PAGE >= this.total) continue;
      const have = this.rows.slice(p * PAGE, Math.min((p + 1) * PAGE, this.total));
      if (p * PAGE < this.total && have.length === Math.min(PAGE, this.total - p * PAGE) && have.every((r) => r)) continue;
      work.push(this.loadPage(p));
    }
    await Promise.all(work);
  }

  private async loadPage(p: number) {
    const generation = this.generation;
    this.loading.add(p);
    try {
      const page = this.query ? await api.search(this.query, p + 1, PAGE) : await api.list(this.folder, p + 1, PAGE);
      if (generation !== this.generation) return;
      const total = extent(page, p, this.total);
      const rows = this.rows.slice(0, total);
      rows.length = total;
      page.items.forEach((item, i) => (rows[p * PAGE + i] = item));
      if ('has_more' in page) this.more = page.has_more && (this.more || total === p * PAGE + page.items.length + 1);
      this.total = total;
      this.rows = rows;
      for (const item of page.items) this.correspondents.add(addressOf(item.from));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && this.query) {
        this.searchAvailable = false;
        this.status = 'Search is not available on this server.';
      } else if (!(e instanceof ApiError && e.status === 401)) {
        this.status = e instanceof Error ? e.message : String(e);
      }
    } finally {
      if (generation === this.generation) this.loading.delete(p);
    }
  }

  /**
   * Conversation view: loads the flat listing page after page (in order, since a thread's messages may lie on any
   * of them) until the grouped rows reach `to` with a margin, or the folder ends.
   */
  private async ensureThreads(to: number) {
    const generation = this.generation;
    while (generation === this.generation && (this.raw.length === 0 || this.raw.length < this.rawTotal) && this.rows.length < to + PAGE / 2) {
      if (!this.rawLoading) this.rawLoading = this.loadRawPage(generation).finally(() => (this.rawLoading = null));
      const before = this.raw.length;
      await this.rawLoading;
      if (this.raw.length === before) return;
    }
  }

  private async loadRawPage(generation: number) {
    const p = Math.floor(this.raw.length / PAGE);
    try {
      const page = this.query ? await api.search(this.query, p + 1, PAGE) : await api.list(this.folder, p + 1, PAGE);
      if (generation !== this.generation) return;
      this.raw = [...this.raw.slice(0, p * PAGE), ...page.items];
      this.rawTotal = extent(page, p, this.rawTotal);
      this.group();
      for (const item of page.items) this.correspondents.add(addressOf(item.from));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) this.status = e instanceof Error ? e.message : String(e);
    }
  }

  /** Groups the loaded listing by thread_id: a row per thread at its newest message, unread if any is, with every label and star. */
  private group() {
    const byThread = new Map<string, ThreadRow>();
    const rows: ThreadRow[] = [];
    for (const item of this.raw) {
      const row = byThread.get(item.thread_id);
      if (!row) {
        const fresh: ThreadRow = { ...item, members: [item] };
        byThread.set(item.thread_id, fresh);
        rows.push(fresh);
        continue;
      }
      row.members.push(item);
      row.unread ||= item.unread;
      row.has_attachments ||= item.has_attachments;
      for (const l of item.labels) if (!row.labels.includes(l)) row.labels = [...row.labels, l];
      if (item.flags.includes('\\Flagged') && !row.flags.includes('\\Flagged')) row.flags = [...row.flags, '\\Flagged'];
    }
    this.rows = rows;
    this.total = rows.length;
  }

  /** Reloads the pages that hold rows now (after a change): the list keeps its scroll position. */
  async refresh(visibleFrom: number, visibleTo: number) {
    if (this.conversations) {
      this.generation++;
      const generation = this.generation;
      const loaded = Math.max(PAGE, this.raw.length);
      this.raw = [];
      this.rawLoading = null;
      while (generation === this.generation && this.raw.length < loaded) {
        const before = this.raw.length;
        await this.loadRawPage(generation);
        if (this.raw.length === before || this.raw.length >= this.rawTotal) break;
      }
      if (this.rows.length < visibleTo) await this.ensureThreads(visibleTo);
      return;
    }
    this.generation++;
    this.loading.clear();
    const keep = this.rows.map(() => undefined as EmailItem | undefined);
    const previous = this.rows;
    this.rows = keep.map((_, i) => (i >= visibleFrom && i < visibleTo ? previous[i] : undefined));
    const generation = this.generation;
    const first = Math.floor(visibleFrom / PAGE);
    const last = Math.floor(Math.max(visibleFrom, visibleTo - 1) / PAGE);
    for (let p = first; p <= last; p++) {
      await this.loadPage(p);
      if (generation !== this.generation) return;
    }
  }

  /** Applies a batch of changes from the log: folder counters, the listing if it is touched, the open message's flags. */
  async applyChanges(changes: Change[], visibleFrom: number, visibleTo: number) {
    const folders = new Set(changes.map((c) => c.folder));
    const structural = changes.some((c) => c.kind.startsWith('folder'));
    await this.loadFolders();
    void this.loadQuota();
    if (structural && !this.folders.some((f) => f.name === this.folder)) {
      await this.show('INBOX');
      return;
    }
    if (this.query || folders.has(this.folder) || folders.has(null)) await this.refresh(visibleFrom, visibleTo);
    if (this.open && changes.some((c) => String(c.message_id) === this.open!.summary.id)) {
      try {
        const detail = await api.email(this.open.summary.id);
        this.open = { ...this.open, summary: detail.summary };
      } catch {
        this.open = null;
      }
    }
  }

  async openMessage(item: EmailItem) {
    if (this.conversations && 'members' in item) return this.openThread(item as ThreadRow);
    this.thread = null;
    this.threadMembers = [];
    this.open = await api.email(item.id);
    if (item.unread) {
      await api.patch(item.id, { unread: false });
      this.replace({ ...item, unread: false, flags: [...item.flags, '\\Seen'] });
      const folder = this.folders.find((f) => f.name === item.folder);
      if (folder && folder.unread > 0) folder.unread--;
    }
  }

  /** Opens a conversation: its messages oldest first, the newest one expanded; every unread one is marked read. */
  async openThread(row: ThreadRow) {
    const thread = await api.thread(row.thread_id);
    const last = thread.messages[thread.messages.length - 1] ?? row;
    this.open = await api.email(last.id);
    this.thread = thread.messages;
    this.threadMembers = row.members;
    const unread = thread.messages.filter((m) => m.unread);
    if (unread.length > 0) {
      await Promise.all(unread.map((m) => api.patch(m.id, { unread: false })));
      this.thread = thread.messages.map((m) => ({ ...m, unread: false }));
      this.replace({ ...row, unread: false });
      void this.loadFolders();
    }
  }

  /** Shows another message of the open conversation in full (the one shown before folds up). */
  async expand(item: EmailItem) {
    this.open = await api.email(item.id);
  }

  /** Adds or removes a label on the messages an action applies to (labels are IMAP keywords on the server). */
  async label(name: string, add: boolean) {
    const items = this.targets();
    await Promise.all(items.map((m) => api.patch(m.id, add ? { add_labels: [name] } : { remove_labels: [name] })));
    if (this.open && items.some((m) => m.id === this.open!.summary.id)) {
      const labels = this.open.summary.labels.filter((l) => l !== name);
      this.open = { ...this.open, summary: { ...this.open.summary, labels: add ? [...labels, name] : labels } };
    }
    this.status = `Label “${name}” ${add ? 'added to' : 'removed from'} ${items.length} message${items.length === 1 ? '' : 's'}.`;
  }

  replace(item: EmailItem) {
    const i = this.rows.findIndex((r) => r?.id === item.id);
    if (i >= 0) this.rows[i] = item;
  }

  /** The messages an action applies to: the selection, or else the open or highlighted one. */
  targets(): EmailItem[] {
    const expand = (r: EmailItem) => ('members' in r ? (r as ThreadRow).members : [r]);
    if (this.selected.size > 0) return this.rows.filter((r): r is EmailItem => !!r && this.selected.has(r.id)).flatMap(expand);
    if (this.open) return this.thread && this.threadMembers.length > 0 ? this.threadMembers : [this.open.summary];
    return this.current ? expand(this.current) : [];
  }

  /** Closes the reader (a message or a conversation). */
  close() {
    this.open = null;
    this.thread = null;
    this.threadMembers = [];
  }

  async act(kind: 'read' | 'unread' | 'star' | 'unstar' | 'delete' | 'archive' | 'move', folder?: string) {
    const items = this.targets();
    if (items.length === 0) return;
    const removing = kind === 'delete' || kind === 'archive' || kind === 'move';
    await Promise.all(
      items.map((m) => {
        switch (kind) {
          case 'read':
            return api.patch(m.id, { unread: false });
          case 'unread':
            return api.patch(m.id, { unread: true });
          case 'star':
            return api.patch(m.id, { flagged: true });
          case 'unstar':
            return api.patch(m.id, { flagged: false });
          case 'delete':
            return api.remove(m.id);
          case 'archive':
            return api.patch(m.id, { folder: 'Archive' });
          case 'move':
            return api.patch(m.id, { folder });
        }
      }),
    );
    if (removing) {
      const gone = new Set(items.map((m) => m.id));
      if (this.open && gone.has(this.open.summary.id)) this.close();
      this.selected = new Set();
      this.status = `${items.length} message${items.length === 1 ? '' : 's'} ${kind === 'delete' ? 'deleted' : 'moved'}.`;
    }
  }
}
