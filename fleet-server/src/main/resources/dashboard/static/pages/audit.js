import { api, items, esc, when } from '../app.js';

// Audit log: the rollout engine's decisions, operators' rollout commands and rollout creations, newest first,
// filtered by rollout id and actor (kept in the URL), 50 per page, paged server-side.
const SIZE = 50;

export async function render(main) {
  const params = new URLSearchParams(location.search);
  main.innerHTML = `<h1>Audit log</h1>
    <form class="toolbar" id="audit-filter">
      <input id="audit-rollout" placeholder="rollout id" value="${esc(params.get('rollout') || '')}" aria-label="rollout id">
      <input id="audit-actor" placeholder="actor (user, token or engine)" value="${esc(params.get('actor') || '')}" aria-label="actor">
      <button class="primary" id="audit-apply">Filter</button> <span class="muted" id="audit-total"></span>
    </form>
    <div class="table-wrap"><table id="audit"><thead><tr><th>When</th><th>Rollout</th><th>Actor</th><th>Entry</th>
      <th>What happened</th></tr></thead><tbody></tbody></table></div>
    <div class="pager"><button id="audit-prev">Previous</button><span id="audit-page"></span><button id="audit-next">Next</button></div>`;
  let page = Number(params.get('page') || 0);
  const load = async () => {
    const rollout = document.getElementById('audit-rollout').value.trim();
    const actor = document.getElementById('audit-actor').value.trim();
    const q = new URLSearchParams({ page: String(page), size: String(SIZE) });
    if (rollout) q.set('rollout', rollout);
    if (actor) q.set('actor', actor);
    history.replaceState(null, '', '/ui/audit?' + q);
    const r = await api('GET', '/ui/api/audit?' + q);
    const list = items(r);
    const table = document.getElementById('audit');
    table.dataset.total = String(r.total);
    table.querySelector('tbody').innerHTML = list.length === 0 ? '<tr><td colspan="5" class="muted">No entries.</td></tr>'
      : list.map(a => `<tr data-entry="${esc(a.entry)}"><td>${when(a.at)}</td>
        <td><a href="/ui/rollouts/${encodeURIComponent(a.rolloutId)}">${esc(a.rolloutId)}</a></td>
        <td>${esc(a.actor)}</td><td><span class="badge">${esc(a.entry)}</span></td><td>${esc(a.text)}</td></tr>`).join('');
    const pages = Math.max(1, Math.ceil(r.total / SIZE));
    document.getElementById('audit-total').textContent = `${r.total} entries`;
    document.getElementById('audit-page').textContent = `page ${page + 1} of ${pages}`;
    document.getElementById('audit-prev').disabled = page === 0;
    document.getElementById('audit-next').disabled = page + 1 >= pages;
  };
  document.getElementById('audit-filter').addEventListener('submit', e => { e.preventDefault(); page = 0; load(); });
  document.getElementById('audit-prev').onclick = () => { page = Math.max(0, page - 1); load(); };
  document.getElementById('audit-next').onclick = () => { page += 1; load(); };
  await load();
}
