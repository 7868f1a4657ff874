// revloop dashboard: reads everything through the admin API with the session cookie; every change
// carries the CSRF token. Text from the API is always inserted as text, never as HTML.

const state = { scope: 'read', csrf: '', connections: [], current: '', charts: {}, timer: 0 };
/** Settles once the session and the connections are loaded. */
let started = Promise.resolve();
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function say(message, isError = false) {
  const s = $('#status');
  s.textContent = message;
  s.className = `status${isError ? ' error' : ''}`;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
  }
}

async function api(path, options = {}) {
  const headers = { accept: 'application/json' };
  const init = { method: options.method ?? 'GET', headers, credentials: 'same-origin' };
  if (init.method !== 'GET') headers['x-csrf-token'] = state.csrf;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) {
    location.assign('/login');
    throw new ApiError(401, { message: 'signed out' });
  }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

const conn = () => `/api/connections/${encodeURIComponent(state.current)}`;
const fmtNum = (n) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : n ?? '—');
const fmtTime = (ms) => (typeof ms === 'number' && ms > 0 ? new Date(ms).toLocaleString() : '—');
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function cell(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function table(rows, { caption, columns } = {}) {
  if (!rows || rows.length === 0) return el('p', { class: 'help' }, caption ? `${caption}: nothing yet.` : 'Nothing yet.');
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))].map((k) => ({ key: k, label: k }));
  return el('table', {},
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', class: typeof rows[0]?.[c.key] === 'number' ? 'num' : undefined }, c.label)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, cols.map((c) => {
      const v = c.render ? c.render(r) : r[c.key];
      return el('td', { class: typeof r[c.key] === 'number' ? 'num' : undefined }, v instanceof Node ? v : cell(v));
    })))));
}

/** Any JSON report as readable tables: scalars in a key/value table, arrays of objects as tables. */
function renderJson(container, data, depth = 0) {
  container.replaceChildren();
  if (Array.isArray(data)) {
    container.append(table(data.filter(isObj)));
    return;
  }
  if (!isObj(data)) {
    container.append(el('p', {}, cell(data)));
    return;
  }
  const scalars = Object.entries(data).filter(([, v]) => !isObj(v) && !Array.isArray(v));
  if (scalars.length > 0) container.append(table(scalars.map(([k, v]) => ({ measure: k, value: v })), { columns: [{ key: 'measure', label: 'Measure' }, { key: 'value', label: 'Value' }] }));
  for (const [k, v] of Object.entries(data)) {
    if (Array.isArray(v) && v.some(isObj)) container.append(table(v.filter(isObj).slice(0, 200), { caption: k }));
    else if (isObj(v) && depth < 2) {
      const sub = el('div');
      container.append(el('h3', {}, k), sub);
      renderJson(sub, v, depth + 1);
    }
  }
}

const COLORS = ['#0b57b0', '#c2410c', '#1e6b34', '#6d28d9'];

function drawChart(id, type, labels, datasets, options = {}) {
  if (!window.Chart) return;
  state.charts[id]?.destroy();
  const canvas = document.getElementById(id);
  state.charts[id] = new window.Chart(canvas, {
    type,
    data: { labels, datasets: datasets.map((d, i) => ({ borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], ...d })) },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { labels: { color: '#1b2430' } } }, ...options },
  });
}

// ---------- tabs ----------

function showTab() {
  const tab = (location.hash || '#kpis').slice(1).split('?')[0];
  const known = ['kpis', 'health', 'timeline', 'setup'].includes(tab) ? tab : 'kpis';
  for (const panel of document.querySelectorAll('[data-panel]')) panel.hidden = panel.dataset.panel !== known;
  for (const link of document.querySelectorAll('[data-tab]')) {
    if (link.dataset.tab === known) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  refresh(known).catch(report);
}

function report(err) {
  if (err instanceof ApiError && err.status === 401) return;
  say(err.message ?? String(err), true);
}

async function refresh(tab) {
  if (!state.current && tab !== 'setup') {
    say('No connection yet: connect a HubSpot portal and a Salesforce org under Set-up.');
    if (tab !== 'setup') return;
  }
  if (tab === 'kpis') await loadKpis();
  if (tab === 'health') await loadHealth();
  if (tab === 'setup') await loadSetup();
}

// ---------- KPIs ----------

function periodRange() {
  const preset = $('#preset').value;
  if (preset === 'custom') {
    const from = $('#from').value ? Date.parse(`${$('#from').value}T00:00:00`) : undefined;
    const to = $('#to').value ? Date.parse(`${$('#to').value}T23:59:59`) : undefined;
    return { from, to };
  }
  return { from: Date.now() - Number(preset) * 86_400_000, to: Date.now() };
}

async function reportOf(kind) {
  const { from, to } = periodRange();
  const q = new URLSearchParams();
  if (from !== undefined) q.set('from', String(Math.floor(from)));
  if (to !== undefined) q.set('to', String(Math.floor(to)));
  try {
    return { data: await api(`${conn()}/reports/${kind}?${q}`) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 501) return { unavailable: err.message };
    throw err;
  }
}

/** A report's tables (the reports module answers {title, period, tables: [{name, rows}]}). */
function renderReport(container, data) {
  if (!isObj(data) || !Array.isArray(data.tables)) {
    renderJson(container, data);
    return;
  }
  container.replaceChildren(...data.tables.map((t) => table(t.rows, { caption: t.name.replace(/_/g, ' ') })));
}

function chartFrom(data, labelKeys, valueKeys) {
  const rows = isObj(data) && Array.isArray(data.tables) ? data.tables[0]?.rows ?? [] : [];
  if (rows.length === 0) return undefined;
  const labelKey = labelKeys.find((k) => rows.some((r) => typeof r[k] === 'string'));
  const keys = valueKeys.filter((k) => rows.some((r) => typeof r[k] === 'number'));
  if (!labelKey || keys.length === 0) return undefined;
  return { labels: rows.map((r) => r[labelKey]), datasets: keys.map((k) => ({ label: k.replace(/_/g, ' '), data: rows.map((r) => (typeof r[k] === 'number' ? r[k] : 0)) })) };
}

async function loadKpis() {
  const targets = { funnel: '#funnel-table', campaigns: '#campaigns-table', sla: '#sla-report', velocity: '#velocity-table', reasons: '#reasons-table' };
  for (const [kind, sel] of Object.entries(targets)) {
    const { data, unavailable } = await reportOf(kind);
    const box = $(sel);
    if (unavailable) {
      box.replaceChildren(el('p', { class: 'help' }, unavailable));
      continue;
    }
    renderReport(box, data);
    if (kind === 'funnel') {
      const c = chartFrom(data, ['label', 'stage'], ['reached', 'entries']);
      if (c) drawChart('funnel-chart', 'bar', c.labels, c.datasets, { indexAxis: 'y' });
    }
    if (kind === 'campaigns') {
      const c = chartFrom(data, ['campaign', 'source'], ['won_first_touch', 'cost']);
      if (c) drawChart('campaigns-chart', 'bar', c.labels.slice(0, 20), c.datasets.map((d) => ({ ...d, data: d.data.slice(0, 20) })));
    }
  }
  const breaches = await api(`${conn()}/events?action=sla-breach&limit=20`);
  $('#sla-breaches').replaceChildren(table(breaches.events.map((e) => ({ when: fmtTime(e.at), records: e.records.join(', '), what: e.message })), { caption: 'SLA breaches, newest first' }));
}

// ---------- sync health ----------

function tile(label, value, extra) {
  return el('div', { class: 'tile' }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, value), extra ? el('span', { class: 'help' }, extra) : null);
}

async function loadHealth() {
  const [status, throughput, errors] = await Promise.all([api(conn()), api(`${conn()}/throughput?minutes=60`), api(`${conn()}/errors`)]);
  const t = status.totals ?? {};
  $('#health-tiles').replaceChildren(
    tile('People linked', fmtNum(status.links.contacts)),
    tile('Companies linked', fmtNum(status.links.companies)),
    tile('Records written', fmtNum(t['records:written'] ?? 0)),
    tile('API calls', fmtNum((t['api:hubspot:ok'] ?? 0) + (t['api:salesforce:ok'] ?? 0)), `${fmtNum((t['api:hubspot:error'] ?? 0) + (t['api:salesforce:error'] ?? 0))} failed`),
    tile('Lag of last batch', status.lag ? `${(status.lag.lagMs / 1000).toFixed(1)} s` : '—'),
    tile('Salesforce changes', status.changeListener?.atWork ? 'read as they come' : 'listener away', status.changeListener?.seenUntil ? `read up to ${fmtTime(status.changeListener.seenUntil)}` : 'none read yet'),
    tile('Changes waiting', fmtNum(status.pending.contacts + status.pending.companies)),
    tile('Parked errors', fmtNum(status.deadLetters)),
  );
  $('#pause-state').replaceChildren(status.paused
    ? el('p', { class: 'error' }, `Paused since ${fmtTime(status.paused.since)}: ${status.paused.reason}${status.paused.until ? ` (resumes ${fmtTime(status.paused.until)})` : ''}`)
    : el('p', { class: 'ok' }, 'Syncing'));
  const b = status.budget;
  $('#budgets').replaceChildren(b
    ? table([
      { system: 'HubSpot', used: b.hubspot.dailyUsed, limit: b.hubspot.dailyLimit ?? 'no daily limit', window: `${b.hubspot.tenSecondLimit} per 10 s` },
      { system: 'Salesforce', used: b.salesforce.used, limit: b.salesforce.budget ?? 'learning', window: b.salesforce.orgLimit ? `org ${fmtNum(b.salesforce.orgUsed)} / ${fmtNum(b.salesforce.orgLimit)}` : '—' },
    ], { caption: 'API calls today' })
    : el('p', { class: 'error' }, status.problem ?? 'Budget not available'));
  $('#queues').replaceChildren(table(Object.entries(status.queues).map(([queue, c]) => ({ queue, ...c })), { caption: 'Jobs by state' }));
  const minutes = throughput.minutes;
  drawChart('throughput-chart', 'line', minutes.map((m) => new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })), [
    { label: 'Records written', data: minutes.map((m) => m.counts['records:written'] ?? 0) },
    { label: 'HubSpot calls', data: minutes.map((m) => (m.counts['api:hubspot:ok'] ?? 0) + (m.counts['api:hubspot:error'] ?? 0)) },
    { label: 'Salesforce calls', data: minutes.map((m) => (m.counts['api:salesforce:ok'] ?? 0) + (m.counts['api:salesforce:error'] ?? 0)) },
  ]);
  renderErrors(errors);
  applyScope();
}

function renderErrors(errors) {
  const box = $('#errors');
  if (errors.total === 0) {
    box.replaceChildren(el('p', { class: 'ok' }, 'No parked errors.'));
    return;
  }
  box.replaceChildren(...errors.groups.map((g) => el('details', { open: true },
    el('summary', {}, `${g.title} (${g.count})`),
    el('p', { class: 'fix' }, g.fix),
    el('button', { type: 'button', class: 'secondary', 'data-admin': true, onclick: () => retry({ category: g.category }, `${g.count} records of "${g.title}"`) }, `Resync all ${g.count}`),
    table(g.entries.slice(0, 50), {
      columns: [
        { key: 'record', label: 'Record' },
        { key: 'code', label: 'Vendor code' },
        { key: 'message', label: 'Vendor message' },
        { key: 'fix', label: 'Suggested fix' },
        { key: 'attempts', label: 'Attempts' },
        { key: 'lastAt', label: 'Last failed', render: (r) => fmtTime(r.lastAt) },
        { key: 'id', label: 'Action', render: (r) => el('button', { type: 'button', class: 'secondary', 'data-admin': true, 'aria-label': `Retry ${r.record}`, onclick: () => retry({ ids: [r.id] }, r.record) }, 'Retry') },
      ],
    }),
  )));
}

async function retry(selection, what) {
  try {
    const result = await api(`${conn()}/errors/retry`, { method: 'POST', body: selection });
    say(`Queued ${result.entries} parked record${result.entries === 1 ? '' : 's'} again (${what}).`);
    setTimeout(() => loadHealth().catch(report), 1500);
  } catch (err) {
    report(err);
  }
}

// ---------- timeline ----------

async function loadTimeline(q) {
  const box = $('#timeline-result');
  box.replaceChildren(el('p', { class: 'help' }, 'Loading…'));
  try {
    const t = await api(`${conn()}/timeline?q=${encodeURIComponent(q)}`);
    const prov = (side) => Object.entries(t.provenance[side]).map(([field, p]) => ({ field, value: p.value, previous: p.previous, by: p.actor, source: p.source, when: fmtTime(p.at) }));
    box.replaceChildren(
      el('article', { class: 'card', 'aria-labelledby': 'tl-ids' },
        el('h2', { id: 'tl-ids' }, 'Records'),
        table([{ system: 'HubSpot contact', id: t.hubspotId ?? 'not linked' }, { system: `Salesforce ${t.salesforce?.object ?? ''}`.trim(), id: t.salesforce?.id ?? 'not linked' }]),
        el('p', {}, 'Stage now: ', el('strong', {}, t.stage?.current ?? 'not evaluated yet')),
      ),
      el('article', { class: 'card', 'aria-labelledby': 'tl-stages' },
        el('h2', { id: 'tl-stages' }, 'Stage history'),
        table(t.transitions.map((x) => ({ when: fmtTime(x.at), from: x.from ?? '—', to: x.to, cause: x.cause, by: x.actor, reason: x.reason ?? '' })))),
      el('article', { class: 'card', 'aria-labelledby': 'tl-prov' },
        el('h2', { id: 'tl-prov' }, 'Who wrote each field'),
        table(prov('hubspot'), { caption: 'HubSpot' }),
        table(prov('salesforce'), { caption: 'Salesforce' })),
      el('article', { class: 'card', 'aria-labelledby': 'tl-events' },
        el('h2', { id: 'tl-events' }, 'Sync events'),
        table(t.events.map((e) => ({ when: fmtTime(e.at), action: e.action, what: e.message })))),
      el('article', { class: 'card', 'aria-labelledby': 'tl-errors' },
        el('h2', { id: 'tl-errors' }, 'Errors'),
        table(t.errors.map((e) => ({ side: e.side, code: e.code, message: e.message, fix: e.fix, when: fmtTime(e.lastAt) })))),
    );
    box.querySelector('h2')?.setAttribute('tabindex', '-1');
    box.querySelector('h2')?.focus();
  } catch (err) {
    box.replaceChildren(el('p', { class: 'error', role: 'alert' }, err.message));
  }
}

// ---------- set-up ----------

async function loadSetup() {
  const list = await api('/api/connections');
  const rows = [];
  for (const c of list.connections) {
    const detail = await api(`/api/connections/${encodeURIComponent(c.id)}`);
    const install = detail.install;
    const sf = install?.salesforceFields;
    rows.push(el('details', { open: true },
      el('summary', {}, `${c.id}${c.label ? ` — ${c.label}` : ''}`),
      table([
        { side: 'HubSpot', where: `portal ${c.hubspot.portalId ?? '?'} at ${c.hubspot.baseUrl}`, auth: c.hubspot.auth },
        { side: 'Salesforce', where: `org ${c.salesforce.orgId ?? '?'} at ${c.salesforce.instanceUrl}`, auth: c.salesforce.auth },
      ]),
      install?.problem ? el('p', { class: 'error' }, `Install check could not run: ${install.problem}`) : null,
      install?.hubspotSchema ? el('p', {}, `HubSpot properties created: ${Object.values(install.hubspotSchema.created).flat().length || 'none needed'}.`) : null,
      sf ? (sf.ok ? el('p', { class: 'ok' }, 'Every Salesforce field revloop needs is there.') : el('div', {}, el('p', { class: 'error' }, `Salesforce fields to fix (${sf.problems.length}):`), table(sf.problems, { columns: [{ key: 'object', label: 'Object' }, { key: 'field', label: 'Field' }, { key: 'problem', label: 'Problem' }, { key: 'fix', label: 'How to fix' }] }))) : null,
      el('div', { class: 'actions' },
        el('button', { type: 'button', 'data-admin': true, onclick: () => backfill(c.id) }, 'Run initial sync'),
        el('a', { href: `/install/hubspot?connection=${encodeURIComponent(c.id)}` }, 'Reconnect HubSpot'),
        el('a', { href: `/install/salesforce?connection=${encodeURIComponent(c.id)}` }, 'Reconnect Salesforce')),
    ));
  }
  for (const d of list.drafts) {
    rows.push(el('p', { class: 'notice' }, `${d.id}: ${d.hubspot ? 'HubSpot connected' : 'HubSpot not connected yet'}, ${d.salesforce ? 'Salesforce connected' : 'Salesforce not connected yet'}.`));
  }
  $('#connections').replaceChildren(...(rows.length > 0 ? rows : [el('p', { class: 'help' }, 'No connection yet.')]));
  if (state.scope === 'admin') {
    const tokens = await api('/api/tokens');
    $('#tokens').replaceChildren(table(tokens.tokens.map((t) => ({ ...t, createdAt: fmtTime(t.createdAt) })), {
      columns: [{ key: 'label', label: 'Label' }, { key: 'scope', label: 'Access' }, { key: 'createdAt', label: 'Created' },
        { key: 'id', label: 'Action', render: (t) => el('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke ${t.label}`, onclick: () => revokeToken(t.id) }, 'Revoke') }],
    }));
  }
  applyScope();
}

async function backfill(id) {
  try {
    const r = await api(`/api/connections/${encodeURIComponent(id)}/backfill`, { method: 'POST', body: {} });
    say(`Initial sync queued (${r.queued.length} jobs). Watch it under Sync health.`);
  } catch (err) {
    report(err);
  }
}

async function revokeToken(id) {
  try {
    await api(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await loadSetup();
  } catch (err) {
    report(err);
  }
}

// ---------- start ----------

function applyScope() {
  const admin = state.scope === 'admin';
  for (const b of document.querySelectorAll('[data-admin]')) {
    b.disabled = !admin;
    if (!admin) b.title = 'Needs an admin sign-in';
  }
  for (const s of document.querySelectorAll('[data-admin-only]')) s.hidden = !admin;
}

async function loadConnections() {
  const list = await api('/api/connections');
  state.connections = list.connections;
  const select = $('#connection');
  const wanted = new URLSearchParams(location.search).get('connection') ?? localStorage.getItem('revloop.connection') ?? '';
  select.replaceChildren(...list.connections.map((c) => el('option', { value: c.id }, c.label ? `${c.label} (${c.id})` : c.id)));
  state.current = list.connections.some((c) => c.id === wanted) ? wanted : (list.connections[0]?.id ?? '');
  select.value = state.current;
  select.disabled = list.connections.length === 0;
}

function wire() {
  window.addEventListener('hashchange', showTab);
  $('#connection').addEventListener('change', (e) => {
    state.current = e.target.value;
    localStorage.setItem('revloop.connection', state.current);
    showTab();
  });
  $('#preset').addEventListener('change', () => {
    const custom = $('#preset').value === 'custom';
    $('#from').disabled = !custom;
    $('#to').disabled = !custom;
  });
  $('#from').disabled = true;
  $('#to').disabled = true;
  $('#period').addEventListener('submit', (e) => {
    e.preventDefault();
    loadKpis().catch(report);
  });
  $('#timeline-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('#timeline-q').value.trim();
    // A search sent before the connections have loaded waits for them (it would name no connection).
    started.then(() => (state.current ? loadTimeline(q) : say('No connection yet: connect a HubSpot portal and a Salesforce org under Set-up.'))).catch(report);
  });
  $('#install-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const provider = e.submitter?.value ?? 'hubspot';
    const q = new URLSearchParams({ connection: $('#install-id').value.trim(), label: $('#install-label').value.trim() });
    location.assign(`/install/${provider}?${q}`);
  });
  $('#token-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const t = await api('/api/tokens', { method: 'POST', body: { label: $('#token-label').value.trim(), scope: $('#token-scope').value } });
      $('#token-created').textContent = `New token (shown once, copy it now): ${t.token}`;
      await loadSetup();
    } catch (err) {
      report(err);
    }
  });
  $('#pause').addEventListener('click', async () => {
    await api(`${conn()}/pause`, { method: 'POST', body: { reason: 'paused from the dashboard' } }).then(() => say('Syncing paused.'), report);
    loadHealth().catch(report);
  });
  $('#resume').addEventListener('click', async () => {
    await api(`${conn()}/resume`, { method: 'POST', body: {} }).then(() => say('Syncing resumed.'), report);
    loadHealth().catch(report);
  });
  $('#retry-all').addEventListener('click', () => retry({ all: true }, 'all parked records'));
  $('#logout').addEventListener('click', async () => {
    await fetch('/logout', { method: 'POST', headers: { 'x-csrf-token': state.csrf }, credentials: 'same-origin' });
    location.assign('/login');
  });
}

async function start() {
  wire();
  const session = await api('/api/session');
  state.scope = session.scope;
  state.csrf = session.csrfToken;
  $('#scope').textContent = session.scope === 'admin' ? 'admin' : 'read-only';
  await loadConnections();
  const params = new URLSearchParams(location.search);
  if (params.get('installed')) say(`${params.get('installed') === 'hubspot' ? 'HubSpot' : 'Salesforce'} connected for "${params.get('connection')}".`);
  showTab();
  // Live: the visible tab refreshes itself (sync health often, KPIs now and then).
  state.timer = window.setInterval(() => {
    const tab = (location.hash || '#kpis').slice(1);
    if (document.hidden || !state.current) return;
    if (tab === 'health') loadHealth().catch(report);
  }, 4000);
  window.setInterval(() => {
    const tab = (location.hash || '#kpis').slice(1);
    if (!document.hidden && state.current && (tab === 'kpis' || tab === '')) loadKpis().catch(report);
  }, 30000);
}

started = start();
started.catch(report);
