// The operator console: log in with the admin token, then poll the admin API every 3 seconds and render what it says.
import { AdminApi, ApiError, seg } from './api.js';
import { IpPanel } from './ip-panel.js';
import { renderPools } from './pools.js';
import { forgetToken, savedToken, saveToken } from './session.js';
import { TenantsPanel } from './tenants.js';

/** Milliseconds between two updates (README: "Operator console"). */
const pollMilliseconds = 3000;
const $ = (id) => document.getElementById(id);

const api = new AdminApi();
const ipPanel = new IpPanel(api, refreshNow, reportAction);
const tenantsPanel = new TenantsPanel(api, refreshNow, reportAction);
let loggedIn = false;
let selectedIp = null;
let timer = null;
let running = null;
let again = false;
/** When the admin pages' cookie session (the Orleans Dashboard link) ends, in ms since the epoch; renewed at half-time. */
let pageSessionEnds = 0;
let pageSessionLength = 0;

function reportAction(message) {
  $('action-error').hidden = !message;
  $('action-error').textContent = message ?? '';
}

function setStatus(text, failed = false) {
  $('status').textContent = text;
  $('status').classList.toggle('failed', failed);
}

async function renewPageSession() {
  const now = Date.now();
  if (pageSessionEnds - now > pageSessionLength / 2) return;
  const session = await api.pageSession(true);
  pageSessionEnds = Date.parse(session.expires_at);
  pageSessionLength = pageSessionEnds - now;
  $('dashboard').href = session.path + 'dashboard/';
  $('dashboard').hidden = false;
}

function showLogin(message) {
  clearTimeout(timer);
  timer = null;
  if (loggedIn) api.pageSession(false).catch(() => {});
  pageSessionEnds = 0;
  $('dashboard').hidden = true;
  loggedIn = false;
  api.token = null;
  forgetToken();
  $('console').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message ?? '';
  setStatus('');
  $('token').focus();
}

function allIps(pools) {
  return pools.flatMap((pool) => pool.ips.map((ip) => ip.ip));
}

async function update() {
  const [setup, ranks] = await Promise.all([api.get('/v1/admin/pools'), api.get('/v1/admin/reputation/tenants'), renewPageSession()]);
  const ips = allIps(setup.pools);
  if (!ips.includes(selectedIp)) selectedIp = ips[0] ?? null;
  const tenant = tenantsPanel.tenant;
  const [ipDetail, tenantDetail] = await Promise.all([
    selectedIp ? api.get(`/v1/admin/ips/${seg(selectedIp)}?hours=48`) : null,
    tenant ? api.get(`/v1/admin/tenants/${seg(tenant)}/reputation?hours=48`) : null,
  ]);
  $('reputation-off').hidden = setup.pools.length > 0;
  renderPools($('pools'), setup.pools, selectedIp, (ip) => {
    selectedIp = ip;
    refreshNow();
  });
  if (ipDetail) ipPanel.show(ipDetail, setup.pools);
  $('ip-panel').hidden = !ipDetail;
  tenantsPanel.showRanking(ranks);
  if (tenantDetail) tenantsPanel.showDetail(tenantDetail);
}

// One update at a time: a request for another while one runs is served right after it.
async function refreshNow() {
  if (!loggedIn) return;
  if (running) {
    again = true;
    return running;
  }
  clearTimeout(timer);
  running = (async () => {
    try {
      await update();
      setStatus(`updated ${new Date().toLocaleTimeString()}, every ${pollMilliseconds / 1000} s`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        showLogin('The server no longer accepts this token; log in again.');
        return;
      }
      setStatus(`update failed: ${error.message}`, true);
    }
  })();
  await running;
  running = null;
  if (!loggedIn) return;
  if (again) {
    again = false;
    return refreshNow();
  }
  timer = setTimeout(refreshNow, pollMilliseconds);
}

async function logIn(token) {
  api.token = token;
  try {
    await api.get('/v1/admin/pools');
  } catch (error) {
    showLogin(error instanceof ApiError && error.status === 401
      ? 'That is not the admin token.'
      : `Could not reach the server: ${error.message}`);
    return;
  }
  saveToken(token);
  loggedIn = true;
  $('login').hidden = true;
  $('login-error').hidden = true;
  $('console').hidden = false;
  $('logout').hidden = false;
  await refreshNow();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  $('token').value = '';
  if (token) logIn(token);
});
$('logout').addEventListener('click', () => showLogin(null));

const remembered = savedToken();
if (remembered) logIn(remembered);
else showLogin(null);
