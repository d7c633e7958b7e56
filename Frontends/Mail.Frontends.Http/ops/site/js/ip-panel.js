// The selected IP: facts, the two charts, providers with their overrides, the pool's schedule, events with the replies
// that caused them, and the operator's actions on it.
import { seg } from './api.js';
import { providerChart, providerChartData, rateChart, rateChartData } from './charts.js';
import { fillFacts, fillRows, h, orDash, row, setState, time } from './dom.js';

const $ = (id) => document.getElementById(id);

function overrideText(o) {
  const what = o.kind === 'throttle' ? `throttle ${o.rate}` : 'suspend';
  return `${what} until ${time(o.until)} (${o.rule})`;
}

export function eventRows(events, includeIp) {
  return events.map((e) => row([
    time(e.at), e.source, e.action, includeIp ? orDash(e.ip) : orDash(e.provider), orDash(e.rule), time(e.until), e.detail,
    e.reply ? h('code', { className: 'reply' }, e.reply) : '—',
  ], { dataset: { eventId: String(e.id) } }));
}

export class IpPanel {
  #api;
  #afterAction;
  #report;
  #providers = providerChart($('provider-chart'));
  #rates = rateChart($('rate-chart'));
  #ip = null;
  #pool = null;
  #poolNames = '';

  /** afterAction: refresh now; report: show an action's error (or clear it with null). */
  constructor(api, afterAction, report) {
    this.#api = api;
    this.#afterAction = afterAction;
    this.#report = report;
    $('pause-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#act(() => this.#api.post(`/v1/admin/ips/${seg(this.#ip)}/pause`, { reason: $('pause-reason').value.trim() || null }));
    });
    $('resume').addEventListener('click', () => this.#act(() => this.#api.post(`/v1/admin/ips/${seg(this.#ip)}/resume`)));
    $('move-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const pool = $('move-pool').value;
      if (pool) this.#act(() => this.#api.post(`/v1/admin/ips/${seg(this.#ip)}/move`, { pool }));
    });
    $('warmup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = $('warmup-day').value.trim();
      this.#act(() => this.#api.put(`/v1/admin/ips/${seg(this.#ip)}/warmup`, { day: text === '' ? null : Number(text) }));
    });
    $('schedule-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const number = (id) => ($(id).value.trim() === '' ? null : Number($(id).value));
      this.#act(() => this.#api.put(`/v1/admin/pools/${seg(this.#pool)}/schedule`, {
        start_per_hour: number('schedule-start'),
        daily_growth: number('schedule-growth'),
        daily_cap_hours: number('schedule-cap-hours'),
        full_after_days: number('schedule-full'),
      }), true);
    });
    $('reset-schedule').addEventListener('click', () => this.#act(() => this.#api.delete(`/v1/admin/pools/${seg(this.#pool)}/schedule`), true));
  }

  get ip() {
    return this.#ip;
  }

  async #act(call, scheduleChanged = false) {
    try {
      await call();
      this.#report(null);
      if (scheduleChanged) this.#pool = null;
    } catch (error) {
      this.#report(error.message);
    }
    await this.#afterAction();
  }

  /** Shows GET /v1/admin/ips/{ip} (detail) with the pools from GET /v1/admin/pools. */
  show(detail, pools) {
    const status = detail.status;
    const changedIp = status.ip !== this.#ip;
    this.#ip = status.ip;
    $('ip-panel').hidden = false;
    $('ip-name').textContent = status.ip;
    setState($('ip-state'), status.state);
    fillFacts($('ip-facts'), [
      ['pool', status.pool],
      ['warm-up', status.warmup_day === null ? 'warmed' : `day ${status.warmup_day} (since ${time(status.warmup_started_at)})`],
      ['caps per provider', status.hourly_cap === null ? 'none (warmed)' : `${status.hourly_cap} an hour, ${status.daily_cap} a day`],
      ['paused', status.paused ? (status.paused_reason || 'yes') : 'no'],
      ['unavailable', status.unavailable],
      ['last used', time(status.last_used_at)],
    ]);
    this.#providers.show(providerChartData(status));
    this.#rates.show(rateChartData(detail.counters.hourly));
    fillRows($('provider-table').tBodies[0], status.providers.map((p) => row([
      p.provider, String(p.sent_this_hour), orDash(p.hourly_cap), String(p.sent_today), orDash(p.daily_cap), orDash(p.message_rate),
      p.overrides.length === 0 ? '—' : p.overrides.map(overrideText).join('; '),
    ], { dataset: { provider: p.provider } })));
    fillRows($('ip-events').tBodies[0], eventRows(detail.events, false));
    this.#showMoveTargets(status.pool, pools);
    this.#showSchedule(pools.find((p) => p.name === status.pool));
    const day = $('warmup-day');
    if (changedIp && document.activeElement !== day) day.value = status.warmup_day ?? '';
  }

  // The form controls are filled only when what they edit changes, so a poll never overwrites what an operator is typing.
  #showMoveTargets(current, pools) {
    const names = pools.map((p) => p.name).filter((name) => name !== current);
    const key = `${current}|${names.join(',')}`;
    if (key === this.#poolNames) return;
    this.#poolNames = key;
    $('move-pool').replaceChildren(...names.map((name) => h('option', { value: name }, name)));
    $('move').disabled = names.length === 0;
  }

  #showSchedule(pool) {
    if (!pool) return;
    $('schedule-changed').hidden = !pool.schedule_changed;
    if (pool.name === this.#pool) return;
    this.#pool = pool.name;
    $('schedule-pool').textContent = pool.name;
    $('schedule-start').value = pool.schedule.start_per_hour;
    $('schedule-growth').value = pool.schedule.daily_growth;
    $('schedule-cap-hours').value = pool.schedule.daily_cap_hours;
    $('schedule-full').value = pool.schedule.full_after_days;
  }
}
