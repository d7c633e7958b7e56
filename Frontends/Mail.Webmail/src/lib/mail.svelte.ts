import { api, ApiError } from './api';
import type { Change, EmailDetail, EmailItem, Folder, Quota } from './types';
import { addressOf } from './format';

/** Rows per listing request; the list asks only for the pages it shows. */
export const PAGE = 100;

/**
 * The page's view of the mailbox: folders, the open listing (a sparse window over the folder, loaded page by page as
 * the list scrolls), the selection, the open message. Changes from the hub replace what they touch.
 */
export class Mail {
  folders = $state<Folder[]>([]);
  folder = $state('INBOX');
  query = $state('');
  total = $state(0);
  rows = $state<(EmailItem | undefined)[]>([]);
  cursor = $state(0);
  selected = $state<Set<string>>(new Set());
  open = $state<EmailDetail | null>(null);
  quota = $state<Quota | null>(null);
  searchAvailable = $state(true);
  status = $state('');
  correspondents = $state<Set<string>>(new Set());
  private loading = new Set<number>();
  private generation = 0;

  get current(): EmailItem | undefined {
    return this.rows[this.cursor];
  }

  async loadFolders() {
    this.folders = await api.folders();
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
    await this.ensure(0, PAGE);
  }

  /** Makes sure rows [from, to) are loaded, one request per missing page. */
  async ensure(from: number, to: number) {
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
      const rows = this.rows.slice(0, page.total);
      rows.length = page.total;
      page.items.forEach((item, i) => (rows[p * PAGE + i] = item));
      this.total = page.total;
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

  /** Reloads the pages that hold rows now (after a change): the list keeps its scroll position. */
  async refresh(visibleFrom: number, visibleTo: number) {
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
    this.open = await api.email(item.id);
    if (item.unread) {
      await api.patch(item.id, { unread: false });
      this.replace({ ...item, unread: false, flags: [...item.flags, '\\Seen'] });
      const folder = this.folders.find((f) => f.name === item.folder);
      if (folder && folder.unread > 0) folder.unread--;
    }
  }

  replace(item: EmailItem) {
    const i = this.rows.findIndex((r) => r?.id === item.id);
    if (i >= 0) this.rows[i] = item;
  }

  /** The messages an action applies to: the selection, or else the open or highlighted one. */
  targets(): EmailItem[] {
    if (this.selected.size > 0) return this.rows.filter((r): r is EmailItem => !!r && this.selected.has(r.id));
    if (this.open) return [this.open.summary];
    return this.current ? [this.current] : [];
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
      if (this.open && gone.has(this.open.summary.id)) this.open = null;
      this.selected = new Set();
      this.status = `${items.length} message${items.length === 1 ? '' : 's'} ${kind === 'delete' ? 'deleted' : 'moved'}.`;
    }
  }
}
