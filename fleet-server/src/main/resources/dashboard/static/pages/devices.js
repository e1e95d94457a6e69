import { api, items, esc, when, statusBadge, labelBadges, onEvent } from '../app.js';

const SIZE = 50;

export async function render(main) {
  const params = new URLSearchParams(location.search);
  main.innerHTML = `<h1>Devices <span class="muted" id="total"></span></h1>
  <form class="toolbar" id="filters">
    <input type="search" id="q" name="q" placeholder="Search name, id or serial" value="${esc(params.get('q') || '')}">
    <input id="selector" name="selector" placeholder="Label selector, e.g. env=prod,site in (a,b)" size="34" value="${esc(params.get('selector') || '')}">
    <select id="status" name="status">
      <option value="">any status</option><option value="online">online</option>
      <option value="offline">offline</option><option value="decommissioned">decommissioned</option>
    </select>
    <button class="primary" id="apply">Filter</button>
  </form>
  <p class="error" id="filter-error"></p>
  <div class="table-wrap"><table id="devices"><thead><tr><th>Name</th><th>Status</th><th>Labels</th>
    <th class="hide-narrow">Release</th><th class="hide-narrow">Last seen</th></tr></thead><tbody></tbody></table></div>
  <div class="pager"><button id="prev">‹ Previous</button><span id="pageinfo"></span><button id="next">Next ›</button></div>`;
  document.getElementById('status').value = params.get('status') || '';
  let page = Number(params.get('page') || 0);
  const form = document.getElementById('filters');
  form.addEventListener('submit', e => { e.preventDefault(); page = 0; load(); });
  document.getElementById('prev').onclick = () => { if (page > 0) { page--; load(); } };
  document.getElementById('next').onclick = () => { page++; load(); };

  async function load() {
    const q = document.getElementById('q').value.trim();
    const selector = document.getElementById('selector').value.trim();
    const status = document.getElementById('status').value;
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (selector) p.set('selector', selector);
    if (status) p.set('status', status);
    if (page) p.set('page', page);
    history.replaceState(null, '', '/ui/devices' + (p.toString() ? '?' + p : ''));
    p.set('page', page); p.set('size', SIZE);
    const err = document.getElementById('filter-error');
    let r;
    try { r = await api('GET', '/ui/api/devices?' + p); err.textContent = ''; } catch (e) { err.textContent = e.message; return; }
    document.getElementById('total').textContent = `(${r.total})`;
    const pages = Math.max(1, Math.ceil(r.total / SIZE));
    document.getElementById('pageinfo').textContent = `page ${page + 1} of ${pages}`;
    document.getElementById('prev').disabled = page === 0;
    document.getElementById('next').disabled = page + 1 >= pages;
    document.querySelector('#devices tbody').innerHTML = items(r).length === 0
      ? '<tr><td colspan="5" class="muted">No device matches.</td></tr>'
      : items(r).map(d => `<tr data-device="${esc(d.id)}"><td><a href="/ui/devices/${encodeURIComponent(d.id)}">${esc(d.name)}</a>
        <div class="muted">${esc(d.id)}</div></td><td class="status">${statusBadge(d.status)}</td><td>${labelBadges(d.labels)}</td>
        <td class="hide-narrow">${esc(d.releaseId || '—')}</td><td class="hide-narrow">${when(d.lastSeen)}</td></tr>`).join('');
  }
  await load();
  onEvent((type, e) => {
    if (type !== 'device.online' && type !== 'device.offline') return;
    const cell = document.querySelector(`tr[data-device="${CSS.escape(e.deviceId)}"] td.status`);
    if (cell) cell.innerHTML = statusBadge(type === 'device.online' ? 'online' : 'offline');
  });
}
