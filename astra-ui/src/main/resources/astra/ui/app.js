// astra ui: one page, routed by the URL's fragment (#/runs/3/graph), reading the JSON API under /api.
'use strict';

const STATES = ['done', 'running', 'pending', 'failed', 'missing'];
const view = document.getElementById('view');
let session = { actions_allowed: false };
let timer = null;
let generation = 0;

// The token: from the address astra ui printed (?token=...), kept for this tab only.
(function keepToken() {
  const t = new URLSearchParams(location.search).get('token');
  if (t) {
    sessionStorage.setItem('astra-token', t);
    history.replaceState(null, '', location.pathname + location.hash);
  }
})();

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
// Shows a page made of these parts, leaving out the null ones (the parts a page does not have).
const show = (...parts) => view.replaceChildren(...parts.flat(Infinity).filter(p => p !== null && p !== undefined));
const link = (href, text, attrs) => el('a', Object.assign({ href }, attrs || {}), text);
const state = s => el('span', { class: 'state ' + s, 'data-test': 'state' }, s);
const enc = encodeURIComponent;
const taskLink = id => link('#/tasks/' + enc(id), id, { 'data-test': 'task-link' });

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString();
}
function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  return s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}
function duration(ms) {
  if (ms === null || ms === undefined) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return (ms / 1000).toFixed(1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}
const num = n => (n || 0).toLocaleString('en');
// Label, value, label, value...: a two-column grid of facts.
const facts = (...pairs) => el('div', { class: 'grid' }, pairs.map(p => el('span', {}, p)));
const measure = document.createElement('canvas').getContext('2d');
function textWidth(text, bold) {
  measure.font = (bold ? 'bold ' : '') + '12px system-ui, sans-serif';
  return measure.measureText(text).width;
}

function bar(counts) {
  const total = counts.total || 0;
  return el('div', { class: 'bar', title: STATES.map(s => s + ' ' + num(counts[s])).join(', ') },
    STATES.filter(s => counts[s]).map(s => el('span', { class: s, style: 'width:' + (100 * counts[s] / total) + '%' })));
}
function countCells(counts) {
  return STATES.map(s => el('td', { class: 'num', 'data-test': 'count-' + s }, num(counts[s])));
}
const countHeads = () => STATES.map(s => el('th', { class: 'num' }, s));

async function api(path, options) {
  const r = await fetch('/api' + path, options);
  let body;
  try { body = await r.json(); } catch (e) { body = { error: r.status + ' ' + r.statusText }; }
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

function say(text, ok) {
  const m = document.getElementById('message');
  m.textContent = text;
  m.className = ok ? 'ok' : '';
  m.hidden = !text;
}

function crumbs(...parts) {
  const c = document.getElementById('crumbs');
  c.replaceChildren(...parts.map(p => typeof p === 'string' ? el('span', {}, p) : p));
}

// Calls fn once after ms, unless the page changed meanwhile.
function later(ms, fn) {
  const mine = generation;
  timer = setTimeout(async () => {
    if (mine !== generation) return;
    try { await fn(); } catch (e) { say(e.message); }
  }, ms);
}

// Calls fn every ms while the page stays.
function every(ms, fn) {
  const mine = generation;
  later(ms, async () => {
    try { await fn(); } finally { if (mine === generation) every(ms, fn); }
  });
}

// A confirmation with the token: resolves to the token, or null when cancelled.
function confirmAction(text) {
  const d = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  const token = document.getElementById('confirm-token');
  token.value = sessionStorage.getItem('astra-token') || '';
  return new Promise(resolve => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok' ? token.value.trim() : null), { once: true });
    d.returnValue = '';
    d.showModal();
  });
}

async function act(text, path, body) {
  const token = await confirmAction(text);
  if (token === null) return false;
  try {
    const r = await api(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Astra-Token': token },
      body: JSON.stringify(body || {}) });
    sessionStorage.setItem('astra-token', token);
    say(r.reset !== undefined ? 'Reset ' + r.reset + ' task(s); the next run that needs them runs them again.'
      : (r.disabled ? 'Disabled ' : 'Enabled ') + r.family + (r.changed ? '' : ' (it already was)'), true);
    return true;
  } catch (e) {
    say('Not done: ' + e.message);
    return false;
  }
}

// ---- pages

async function runsPage(params) {
  crumbs('Runs');
  const before = params.get('before');
  const load = async () => {
    const data = await api('/runs' + (before ? '?before=' + enc(before) : ''));
    const rows = data.runs.map(r => el('tr', { 'data-test': 'run-row', 'data-run': r.run_id },
      el('td', {}, link('#/runs/' + r.run_id, 'run ' + r.run_id)), el('td', {}, state(r.state)),
      el('td', {}, el('code', {}, r.command || '')), el('td', {}, r.host || ''), el('td', {}, when(r.started_at)),
      el('td', { class: 'num' }, duration(r.duration_ms)), el('td', {}, bar(r.counts)), ...countCells(r.counts)));
    show(el('h1', {}, 'Runs'),
      data.runs.length ? el('table', { 'data-test': 'runs' },
        el('tr', {}, el('th', {}, 'run'), el('th', {}, 'state'), el('th', {}, 'command'), el('th', {}, 'host'),
          el('th', {}, 'started'), el('th', { class: 'num' }, 'duration'), el('th', {}, 'progress'), ...countHeads()),
        rows) : el('p', { class: 'muted' }, 'No runs yet: start one with astra run.'),
      data.next_before ? el('p', {}, link('#/?before=' + data.next_before, 'Older runs →')) : null);
    return data.runs.some(r => r.live);
  };
  // every 3 s while a run is live, else every 15 s, to show runs started meanwhile
  const again = async () => {
    let live = true;
    try { live = await load(); } finally { later(live ? 3000 : 15000, again); }
  };
  later((await load()) ? 3000 : 15000, again);
}

async function runPage(runId) {
  crumbs(link('#/', 'Runs'), 'run ' + runId);
  let last = null;
  const load = async () => {
    const d = await api('/runs/' + runId);
    const r = d.run;
    let rate = d.rate.per_second + ' tasks/s on average';
    if (last && r.live) {
      const dt = (Date.now() - last.t) / 1000;
      rate = ((d.rate.done - last.done) / dt).toFixed(1) + ' tasks/s now, ' + rate;
    }
    last = { t: Date.now(), done: d.rate.done };
    const families = d.families.map(f => el('tr', { 'data-test': 'family-row', 'data-family': f.family },
      el('td', {}, link('#/runs/' + runId + '/tasks?family=' + enc(f.family), f.family),
        f.disabled ? el('span', { class: 'muted' }, ' (disabled)') : null),
      el('td', {}, bar(f.counts)), ...countCells(f.counts), el('td', { class: 'num' }, num(f.counts.total)),
      session.actions_allowed ? el('td', { class: 'actions' }, familyButton(f.family, f.disabled, () => load())) : null));
    const hosts = d.hosts.map(h => [el('tr', {}, el('th', { colspan: 7 }, h.host + ' (' + h.workers.length + ' worker(s))')),
      ...h.workers.map(w => el('tr', { 'data-test': 'worker-row' }, el('td', {}, w.worker_id), el('td', { class: 'num' }, w.pid),
        el('td', { class: 'num' }, w.ready_ms ? duration(w.ready_ms) : ''), el('td', {}, w.last_heartbeat ? ago(w.last_heartbeat) : ''),
        el('td', { class: 'num' }, num(w.tasks_run)), el('td', {}, w.stopped_at ? 'stopped: ' + (w.stop_reason || '') : 'alive'),
        el('td', {}, when(w.started_at))))]);
    show(
      el('h1', {}, 'Run ' + r.run_id + ' ', state(r.state)),
      facts('command', el('code', {}, r.command || ''), 'host', (r.host || '') + ' (pid ' + r.pid + ')',
        'started', when(r.started_at), 'duration', duration(r.duration_ms), 'rate', el('span', { 'data-test': 'rate' }, rate)),
      el('p', {}, link('#/runs/' + runId + '/graph', 'Graph'), ' · ', link('#/runs/' + runId + '/failures', 'Failures (' + num(r.counts.failed) + ')'),
        ' · ', link('#/runs/' + runId + '/tasks', 'All tasks')),
      el('h2', {}, 'Progress by family'),
      el('table', { 'data-test': 'families' }, el('tr', {}, el('th', {}, 'family'), el('th', {}, ''), ...countHeads(),
        el('th', { class: 'num' }, 'total'), session.actions_allowed ? el('th', {}, '') : null), families,
        el('tr', {}, el('th', {}, 'all'), el('th', {}, bar(r.counts)), ...countCells(r.counts), el('th', { class: 'num' }, num(r.counts.total)))),
      el('h2', {}, 'Workers'),
      d.hosts.length ? el('table', { 'data-test': 'workers' }, el('tr', {}, ['worker', 'pid', 'ready after', 'heartbeat', 'tasks run', 'state', 'started']
        .map(h => el('th', {}, h))), hosts) : el('p', { class: 'muted' }, 'No worker has registered.'),
      d.summary ? summary(d.summary) : null);
    return r.live;
  };
  if (await load()) every(2000, async () => { if (!(await load())) generation++; });
}

function summary(s) {
  return el('section', { 'data-test': 'summary' }, el('h2', {}, 'Execution summary'),
    el('p', {}, 'Outcome ', state(s.outcome), ': ', STATES.filter(k => s.counts[k])
      .map(k => num(s.counts[k]) + ' ' + (k === 'pending' ? 'not run (blocked by a failure, or the run stopped)' : k)).join(', ')),
    el('p', { class: 'muted' }, 'Counts are of the tasks the run holds now: a task reset since (astra reset, or here) has left it.'),
    s.failed.length ? [el('p', {}, 'Failed (first ' + s.listed_at_most + '):'),
      el('ul', {}, s.failed.map(t => el('li', {}, taskLink(t.task_id), ' ', el('span', { class: 'error' }, t.error || ''))))] : null,
    s.missing.length ? [el('p', {}, 'Missing data:'), el('ul', {}, s.missing.map(t => el('li', {}, taskLink(t.task_id))))] : null);
}

function familyButton(family, disabled, after) {
  return el('button', { 'data-test': disabled ? 'action-enable' : 'action-disable', onclick: async () => {
    if (await act((disabled ? 'Enable' : 'Disable') + ' the family ' + family + '? '
      + (disabled ? 'Workers claim its tasks again.' : 'No worker claims its tasks until it is enabled.'),
      '/families/' + enc(family) + '/' + (disabled ? 'enable' : 'disable'))) after();
  } }, disabled ? 'Enable' : 'Disable');
}

async function graphPage(runId) {
  crumbs(link('#/', 'Runs'), link('#/runs/' + runId, 'run ' + runId), 'graph');
  const t0 = performance.now();
  const g = await api('/runs/' + runId + '/graph');
  const nodes = g.families.map(f => ({ id: f.family, label: [f.family, STATES.filter(s => f.counts[s]).map(s => num(f.counts[s]) + ' ' + s).join(', ') || (f.in_run ? '' : 'outside this run')],
    cls: f.counts.failed ? 'failed' : '', href: f.in_run ? '#/runs/' + runId + '/tasks?family=' + enc(f.family) : null, test: 'family-node', counts: f.counts }));
  const svg = drawGraph(nodes, g.edges);
  show(el('h1', {}, 'Run ' + runId + ': graph of task families'),
    el('p', { class: 'muted' }, 'An arrow points from a family to one it requires (as recorded for up to '
      + g.edges_from_tasks_per_family + ' tasks of each family). Click a family for its tasks.'),
    svg, el('p', { class: 'muted', 'data-test': 'graph-time' }, 'Drawn in ' + Math.round(performance.now() - t0) + ' ms.'));
}

// Lays nodes out with dagre (top to bottom, requirements below) and draws them as SVG.
function drawGraph(nodes, edges) {
  const NS = 'http://www.w3.org/2000/svg';
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 50, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    const width = Math.max(...n.label.map((l, i) => textWidth(l, i === 0))) + 24;
    g.setNode(n.id, { width, height: 16 * n.label.length + 12, data: n });
  }
  for (const e of edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const svg = document.createElementNS(NS, 'svg');
  const w = g.graph().width || 100, h = g.graph().height || 100;
  svg.setAttribute('class', 'graph');
  svg.setAttribute('width', Math.min(w, 1400));
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
  svg.setAttribute('data-test', 'graph');
  const defs = document.createElementNS(NS, 'defs');
  defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#90a4ae"/></marker>';
  svg.append(defs);
  for (const e of g.edges()) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('class', 'edge');
    p.setAttribute('d', g.edge(e).points.map((pt, i) => (i ? 'L' : 'M') + pt.x + ',' + pt.y).join(' '));
    p.setAttribute('marker-end', 'url(#arrow)');
    p.setAttribute('data-test', 'edge');
    svg.append(p);
  }
  for (const id of g.nodes()) {
    const n = g.node(id);
    const grp = document.createElementNS(NS, 'g');
    grp.setAttribute('class', 'node ' + (n.data.cls || ''));
    grp.setAttribute('data-test', n.data.test);
    grp.setAttribute('data-id', id);
    grp.setAttribute('transform', 'translate(' + (n.x - n.width / 2) + ',' + (n.y - n.height / 2) + ')');
    const rect = document.createElementNS(NS, 'rect');
    rect.setAttribute('width', n.width);
    rect.setAttribute('height', n.height);
    grp.append(rect);
    n.data.label.forEach((line, i) => {
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', 10);
      t.setAttribute('y', 20 + 16 * i);
      if (i === 0) t.setAttribute('font-weight', 'bold');
      t.textContent = line;
      grp.append(t);
    });
    if (n.data.href) grp.addEventListener('click', () => { location.hash = n.data.href; });
    svg.append(grp);
  }
  return svg;
}

async function tasksPage(runId, params) {
  crumbs(link('#/', 'Runs'), link('#/runs/' + runId, 'run ' + runId), 'tasks');
  const q = new URLSearchParams();
  for (const k of ['family', 'state', 'param', 'after']) if (params.get(k)) q.set(k, params.get(k));
  const d = await api('/runs/' + runId + '/tasks?' + q);
  const input = (name, placeholder) => el('label', {}, name, el('br'), el('input', { name, value: params.get(name) || '', placeholder }));
  const form = el('form', { class: 'filter', 'data-test': 'filter', onsubmit: ev => {
    ev.preventDefault();
    const f = new URLSearchParams();
    for (const [k, v] of new FormData(ev.target)) if (v) f.set(k, v);
    location.hash = '#/runs/' + runId + '/tasks?' + f;
  } }, input('family', 'ProcessField'),
  el('label', {}, 'state', el('br'), el('select', { name: 'state' }, ['', ...STATES].map(s => el('option', { value: s, selected: (params.get('state') || '') === s }, s || 'any')))),
  input('param', 'field=42'), el('button', {}, 'Filter'));
  const next = new URLSearchParams(q);
  if (d.next_after) next.set('after', d.next_after);
  show(el('h1', {}, 'Run ' + runId + ': tasks' + (params.get('family') ? ' of ' + params.get('family') : '')), form,
    el('table', { 'data-test': 'tasks' }, el('tr', {}, ['task', 'state', 'parameters', 'attempts', 'worker', 'error'].map(h => el('th', {}, h))),
      d.tasks.map(t => el('tr', { 'data-test': 'task-row' }, el('td', {}, taskLink(t.task_id)), el('td', {}, state(t.state)),
        el('td', {}, el('code', {}, JSON.stringify(t.params))), el('td', { class: 'num' }, t.attempts), el('td', {}, t.worker || ''),
        el('td', { class: 'error' }, t.error || '')))),
    d.tasks.length ? null : el('p', { class: 'muted' }, d.searched_to ? 'No task matches so far.' : 'No task matches.'),
    el('p', {}, params.get('after') ? link('#/runs/' + runId + '/tasks?' + (() => { const f = new URLSearchParams(q); f.delete('after'); return f; })(), '← first page') : null, ' ',
      d.next_after ? link('#/runs/' + runId + '/tasks?' + next, d.searched_to ? 'Search on →' : 'Next page →', { 'data-test': 'next-page' }) : null),
    d.searched_to ? el('p', { class: 'muted', 'data-test': 'searched-to' }, 'Searched the tasks up to ' + d.searched_to
      + ' (a search by parameter looks at ' + num(d.search_window) + ' tasks at a time).') : null);
}

async function failuresPage(runId) {
  crumbs(link('#/', 'Runs'), link('#/runs/' + runId, 'run ' + runId), 'failures');
  const d = await api('/runs/' + runId + '/failures');
  show(el('h1', {}, 'Run ' + runId + ': failures by error'),
    d.groups.length ? el('table', { 'data-test': 'failures' }, el('tr', {}, ['error', 'tasks', 'first of them', 'blocks'].map(h => el('th', {}, h))),
      d.groups.map(g => el('tr', { 'data-test': 'error-group' }, el('td', { class: 'error' }, g.error || '(no message)'),
        el('td', { class: 'num' }, num(g.count)), el('td', {}, g.task_ids.slice(0, 5).map(id => el('div', {}, taskLink(id)))),
        el('td', {}, num(g.blocks) + ' task(s)' + (g.count > g.blocks_counted_from ? ' (from the first ' + g.blocks_counted_from + ')' : ''),
          g.blocks_first.map(id => el('div', {}, taskLink(id)))))))
      : el('p', { class: 'muted' }, 'Nothing failed in this run.'));
}

async function taskPage(taskId) {
  const d = await api('/tasks/' + enc(taskId));
  const t = d.task;
  crumbs(link('#/', 'Runs'), t.run_id ? link('#/runs/' + t.run_id, 'run ' + t.run_id) : '', t.family, taskId);
  const params = el('table', { 'data-test': 'params' }, Object.entries(t.params || {}).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, el('code', {}, JSON.stringify(v))))));
  const logBox = el('pre', { class: 'log', 'data-test': 'log' }, '');
  const logNote = el('p', { class: 'muted', 'data-test': 'log-note' });
  const attempts = el('table', { 'data-test': 'attempts' }, el('tr', {}, ['#', 'run', 'worker', 'host', 'started', 'took', 'outcome', 'error', ''].map(h => el('th', {}, h))),
    d.attempts.map(a => el('tr', { 'data-test': 'attempt-row' }, el('td', {}, a.number), el('td', {}, link('#/runs/' + a.run_id, a.run_id)),
      el('td', {}, a.worker || ''), el('td', {}, a.host || ''), el('td', {}, when(a.started_at)), el('td', { class: 'num' }, duration(a.duration_ms)),
      el('td', {}, a.outcome), el('td', { class: 'error' }, a.error || ''),
      el('td', {}, el('button', { onclick: () => showLog(taskId, a.index, logBox, logNote) }, 'log')))));
  const actions = session.actions_allowed ? el('p', { class: 'actions' },
    el('button', { 'data-test': 'action-reset', onclick: async () => {
      if (await act('Reset ' + taskId + '? It becomes pending, and the next run that needs it runs it again.', '/tasks/' + enc(taskId) + '/reset', { downstream: false })) route();
    } }, 'Reset'),
    el('button', { 'data-test': 'action-reset-downstream', onclick: async () => {
      if (await act('Reset ' + taskId + ' and every recorded task that needs it (' + num(d.dependents.count) + (d.dependents.more ? '+' : '') + ' directly)?', '/tasks/' + enc(taskId) + '/reset', { downstream: true })) route();
    } }, 'Reset with downstream'),
    familyButton(t.family, d.family_disabled, () => route())) : null;
  const edgeList = (title, e) => [el('h2', {}, title + ' (' + num(e.count) + (e.more ? '+' : '') + ')'), el('ul', {}, e.first.map(x => el('li', {}, taskLink(x.task_id), ' ', state(x.state)))),
    e.count > e.first.length ? el('p', { class: 'muted' }, 'and ' + (e.more ? 'more than ' : '') + num(e.count - e.first.length) + ' more') : null];
  const hood = el('div', { 'data-test': 'neighbourhood' }, el('p', { class: 'muted' }, 'Loading the neighbourhood…'));
  show(el('h1', {}, taskId + ' ', state(t.state)),
    facts('family', t.family, 'class', el('code', {}, t.class_name), 'attempts', t.attempts, 'run', t.run_id ?? '',
      'worker', t.worker || '', 'error', el('span', { class: 'error', 'data-test': 'task-error' }, t.error || '')),
    actions, el('h2', {}, 'Parameters'), params,
    el('h2', {}, 'Attempts'), d.attempts.length ? attempts : el('p', { class: 'muted' }, 'It has not run yet.'),
    el('h2', {}, 'Log'), logNote, logBox,
    el('h2', {}, 'Neighbourhood'), hood, ...edgeList('Requires', d.requirements), ...edgeList('Required by', d.dependents),
    el('h2', {}, 'Events'), el('table', { 'data-test': 'events' }, el('tr', {}, ['at', 'run', 'state', 'worker', 'message'].map(h => el('th', {}, h))),
      d.events.map(e => el('tr', {}, el('td', {}, when(e.at)), el('td', {}, e.run_id ?? ''), el('td', {}, e.state ? state(e.state) : ''),
        el('td', {}, e.worker || ''), el('td', {}, e.message || '')))));
  if (d.attempts.length) showLog(taskId, d.attempts.length - 1, logBox, logNote);
  else logNote.textContent = 'It has not run yet: it has no log.';
  api('/tasks/' + enc(taskId) + '/neighbours?depth=2').then(n => {
    const nodes = n.nodes.map(x => ({ id: x.task_id, label: [x.task_id, x.state], cls: (x.task_id === taskId ? 'root ' : '') + (x.state === 'FAILED' ? 'failed' : ''),
      href: '#/tasks/' + enc(x.task_id), test: 'task-node' }));
    hood.replaceChildren(drawGraph(nodes, n.edges), n.truncated ? el('p', { class: 'muted' }, 'Only the first ' + n.nodes.length + ' tasks are drawn.') : '');
  }).catch(e => hood.replaceChildren(el('p', { class: 'error' }, e.message)));
}

// Shows one attempt's log, and tails it while the attempt runs.
function showLog(taskId, attempt, box, note) {
  generation++;
  const mine = generation;
  let offset = 0;
  box.textContent = '';
  const load = async () => {
    const l = await api('/tasks/' + enc(taskId) + '/log?attempt=' + attempt + '&offset=' + offset);
    if (mine !== generation) return false;
    if (!l.found) {
      note.textContent = l.message;
      return l.running;
    }
    note.textContent = 'Attempt ' + l.number + ' of run ' + l.run_id + ' (' + l.outcome + '): ' + l.file
      + (l.running ? ' — tailing while it runs' : '');
    if (l.text) box.append(l.text);
    const more = l.next_offset < l.size;
    offset = l.next_offset;
    if (more) return load();
    return l.running;
  };
  // while the attempt runs, every second; when it ends, the task's page again (its state, its attempts)
  const tail = async () => {
    let running = true;
    try { running = await load(); } finally { if (running) later(1000, tail); else if (mine === generation) route(); }
  };
  load().then(running => { if (running) later(1000, tail); }).catch(e => { note.textContent = e.message; });
}

// ---- routing

async function route() {
  generation++;
  clearTimeout(timer);
  const hash = location.hash.slice(1) || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  let m;
  try {
    document.getElementById('live').textContent = session.actions_allowed ? 'actions allowed' : 'read-only';
    if ((m = path.match(/^\/runs\/(\d+)\/graph$/))) await graphPage(m[1]);
    else if ((m = path.match(/^\/runs\/(\d+)\/tasks$/))) await tasksPage(m[1], params);
    else if ((m = path.match(/^\/runs\/(\d+)\/failures$/))) await failuresPage(m[1]);
    else if ((m = path.match(/^\/runs\/(\d+)$/))) await runPage(m[1]);
    else if ((m = path.match(/^\/tasks\/(.+)$/))) await taskPage(decodeURIComponent(m[1]));
    else await runsPage(params);
  } catch (e) {
    show(el('p', { class: 'error', 'data-test': 'page-error' }, e.message));
  }
}

window.addEventListener('hashchange', () => { say(''); route(); });
api('/session').then(s => { session = s; }).catch(() => {}).finally(route);
