// Tenants ranked by bounce then complaint rate over the last day (GET /v1/admin/reputation/tenants), the selected
// tenant's standing and events (GET /v1/admin/tenants/{t}/reputation), and lifting a throttle, pause or suspension.
import { seg } from './api.js';
import { eventRows } from './ip-panel.js';
import { fillFacts, fillRows, h, percent, setState, time } from './dom.js';

const $ = (id) => document.getElementById(id);

export class TenantsPanel {
  #api;
  #afterAction;
  #report;
  #tenant = null;

  constructor(api, afterAction, report) {
    this.#api = api;
    this.#afterAction = afterAction;
    this.#report = report;
    $('tenant-lookup').addEventListener('submit', (event) => {
      event.preventDefault();
      const name = $('tenant-name').value.trim().toLowerCase();
      if (name) this.select(name);
    });
    $('lift-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await this.#api.post(`/v1/admin/tenants/${seg(this.#tenant)}/reputation/lift`, { note: $('lift-note').value.trim() || null });
        $('lift-note').value = '';
        this.#report(null);
      } catch (error) {
        this.#report(error.message);
      }
      await this.#afterAction();
    });
  }

  get tenant() {
    return this.#tenant;
  }

  select(tenant) {
    this.#tenant = tenant;
    this.#afterAction();
  }

  showRanking(ranks) {
    fillRows($('tenants').tBodies[0], ranks.map((r) => {
      const state = h('span');
      setState(state, r.standing.state);
      const d = r.last_day;
      return h('tr', { className: r.tenant === this.#tenant ? 'selected' : '', dataset: { tenant: r.tenant } },
        h('td', {}, h('button', { type: 'button', className: 'link', dataset: { tenant: r.tenant }, onclick: () => this.select(r.tenant) }, r.tenant)),
        h('td', {}, state, r.standing.review ? h('span', { className: 'tag' }, 'review') : null),
        ...[d.sent, d.delivered, d.bounces].map((n) => h('td', {}, String(n))),
        h('td', { className: 'bounce-rate' }, percent(d.bounce_rate)),
        h('td', {}, String(d.complaints)),
        h('td', { className: 'complaint-rate' }, percent(d.complaint_rate)),
        h('td', {}, percent(d.deferral_rate)));
    }));
  }

  /** Shows GET /v1/admin/tenants/{t}/reputation. */
  showDetail(detail) {
    const s = detail.standing;
    $('tenant-panel').hidden = false;
    $('tenant-title').textContent = s.tenant;
    setState($('tenant-state'), s.state);
    const day = detail.counters.total.last_day;
    fillFacts($('tenant-facts'), [
      ['reason', s.reason],
      ['since', time(s.since)],
      ['until', time(s.until)],
      ['rate', s.rate],
      ['review', s.review ? 'flagged for review' : 'no'],
      ['last lift', time(s.lifted_at)],
      ['last 24 h', `${day.sent} sent, ${day.delivered} delivered, bounce rate ${percent(day.bounce_rate)}, complaint rate ${percent(day.complaint_rate)}`],
    ]);
    $('lift').disabled = s.state === 'ok' && !s.review;
    fillRows($('tenant-events').tBodies[0], eventRows(detail.events, true));
  }
}
