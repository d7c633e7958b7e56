// The pools panel: each pool's schedule and its IPs (from GET /v1/admin/pools); a click on an IP selects it.
import { h, orDash, setState, time } from './dom.js';

export function scheduleText(schedule) {
  if (schedule.table && schedule.table.length > 0) return `table of ${schedule.table.length} days`;
  return `${schedule.start_per_hour}/h on day 1, ×${schedule.daily_growth} a day, ${schedule.daily_cap_hours} h a day, warm after ${schedule.full_after_days} days`;
}

function sum(ip, pick) {
  return ip.providers.reduce((total, p) => total + pick(p), 0);
}

function ipRow(ip, selected, onSelect) {
  const state = h('span');
  setState(state, ip.state);
  return h('tr', { className: ip.ip === selected ? 'selected' : '', dataset: { ip: ip.ip } },
    h('td', {}, h('button', { type: 'button', className: 'link', dataset: { ip: ip.ip }, onclick: () => onSelect(ip.ip) }, ip.ip)),
    h('td', {}, state),
    h('td', {}, ip.warmup_day === null ? 'warmed' : `day ${ip.warmup_day}`),
    h('td', {}, orDash(ip.hourly_cap)),
    h('td', {}, orDash(ip.daily_cap)),
    h('td', {}, String(sum(ip, (p) => p.sent_this_hour))),
    h('td', {}, String(sum(ip, (p) => p.sent_today))),
    h('td', {}, time(ip.last_used_at)));
}

/** Renders every pool into <paramref name="container"/>. */
export function renderPools(container, pools, selected, onSelect) {
  const cards = pools.map((pool) => h('article', { className: 'pool', dataset: { pool: pool.name } },
    h('h3', {}, pool.name, ' ', h('small', {}, scheduleText(pool.schedule), pool.schedule_changed ? ' (changed by an operator)' : '')),
    pool.ips.length === 0
      ? h('p', { className: 'hint' }, 'No IPs.')
      : h('table', { className: 'grid' },
        h('thead', {}, h('tr', {}, ...['ip', 'state', 'warm-up', 'hourly cap', 'daily cap', 'this hour', 'today', 'last used'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...pool.ips.map((ip) => ipRow(ip, selected, onSelect))))));
  container.replaceChildren(...cards);
}
