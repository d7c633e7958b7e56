import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import { api, ApiError, csrfToken } from './api';
import type { Change } from './types';

/** Which way changes reach the page: the hub (push), polling the change log (hub missing or down), or not yet. */
export type LiveMode = 'push' | 'poll' | 'off';

/**
 * Keeps the page in step with the mailbox. The hub's messages are hints; the change log (/v1/changes) is the truth: on
 * every hint, on reconnect and on each poll the page asks for the changes after the last MODSEQ it has applied, so a
 * dropped connection or a lost hint never loses a change. A 410 (the log no longer reaches back that far) asks the page
 * to reload everything.
 */
export class LiveUpdates {
  private hub: HubConnection | null = null;
  private since = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private apply: (changes: Change[]) => void,
    private reloadAll: () => void,
    private mode: (mode: LiveMode) => void,
  ) {}

  async start() {
    this.since = (await api.highestModseq()).highest_modseq;
    const hub = new HubConnectionBuilder()
      .withUrl('/v1/hub', { headers: { 'X-CSRF-Token': csrfToken() }, withCredentials: true })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(30_000, 500 * 2 ** c.previousRetryCount) })
      .configureLogging(LogLevel.None)
      .build();
    // An event only says "the log moved": read the log. A reload means the log no longer reaches back to us.
    hub.on('mailboxChanged', () => void this.sync());
    hub.on('mailboxReload', (modseq: number) => {
      this.since = modseq;
      this.reloadAll();
    });
    hub.onreconnecting(() => this.mode('poll'));
    hub.onreconnected(() => {
      this.mode('push');
      void this.sync();
    });
    hub.onclose(() => {
      if (!this.stopped) this.poll();
    });
    this.hub = hub;
    try {
      await hub.start();
      this.mode('push');
      void this.sync();
      // A safety net: a hint lost between a frontend and the stream is caught within half a minute.
      this.timer = setInterval(() => void this.sync(), 30_000);
    } catch {
      this.hub = null;
      this.poll();
    }
  }

  /** Falls back to reading the change log every few seconds (no hub on this server, or the hub gave up). */
  private poll() {
    this.mode('poll');
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = setInterval(() => void this.sync(), 5_000);
  }

  /** Applies the changes after the last MODSEQ, one request at a time (a hint during a sync asks for one more pass). */
  async sync() {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        let more = true;
        while (more) {
          const page = await api.changes(this.since);
          if (page.changes.length > 0) this.apply(page.changes);
          this.since = page.highest_modseq;
          more = page.more;
        }
      } while (this.again);
    } catch (e) {
      if (e instanceof ApiError && e.status === 410) {
        this.since = ((e.body as { highest_modseq?: number }) ?? {}).highest_modseq ?? 0;
        this.reloadAll();
      }
    } finally {
      this.running = false;
    }
  }

  get connected() {
    return this.hub?.state === HubConnectionState.Connected;
  }

  async stop() {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.hub?.stop();
  }
}
