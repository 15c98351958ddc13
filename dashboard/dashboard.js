// The onecard dashboard: plain ES module, no build step, no inline script (CSP: script-src 'self').
// It reads the admin API with the bearer token kept in sessionStorage and draws with ECharts
// (served locally from the echarts package, like the Noto Sans SC font).

const TOKEN_KEY = 'onecard.adminToken';
const REFRESH_MS = 5000;
const VERIFY_EVERY = 6; // verification reads the whole ledger: every sixth refresh
const REGIONS = ['11', '12', '13'];
const REGION_NAMES = { 11: '京 Beijing', 12: '津 Tianjin', 13: '冀 Hebei' };
const STATIONS = { BJN: '北京南', YZH: '亦庄', YLE: '永乐', WQI: '武清', TJN: '天津', JLB: '军粮城北', TGU: '塘沽', BHI: '滨海' };
const FONT = "'Noto Sans SC', sans-serif";

const $ = (id) => document.getElementById(id);
const yuan = (fen) => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const state = { token: null, session: null, day: null, charts: {}, timer: null, ticks: 0 };

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const res = await fetch(path, {
    ...options,
    headers: { accept: 'application/json', authorization: `Bearer ${state.token}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, body?.detail ?? body?.title ?? `HTTP ${res.status}`);
  return body;
}

function chart(id) {
  if (!state.charts[id]) {
    state.charts[id] = window.echarts.init($(id), null, { renderer: 'canvas' });
    window.addEventListener('resize', () => state.charts[id].resize());
  }
  return state.charts[id];
}

const baseOption = () => ({
  textStyle: { fontFamily: FONT },
  animation: false,
  grid: { left: 48, right: 12, top: 28, bottom: 28, containLabel: true },
  tooltip: { trigger: 'axis' },
});

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      tr.append(...cells);
      return tr;
    }),
  );
}

// ——— panels ———

async function drawTaps(day) {
  const page = await api(`/v1/admin/transit/reports/taps-per-hour?from=${day}&to=${day}&limit=1000`);
  const hours = [...new Set(page.rows.map((r) => r.hour))].sort((a, b) => a - b);
  const stations = [...new Set(page.rows.map((r) => r.station))].sort();
  const taps = page.rows.reduce((s, r) => s + r.taps, 0);
  $('total-taps').textContent = taps.toLocaleString('zh-CN');
  $('total-taps').dataset.value = String(taps);
  chart('taps-chart').setOption(
    {
      ...baseOption(),
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      xAxis: { type: 'category', data: hours.map((h) => `${String(h).padStart(2, '0')}:00`), name: '时 Hour' },
      yAxis: { type: 'value', name: '次 Taps' },
      series: stations.map((s) => ({
        name: `${STATIONS[s] ?? s} ${s}`,
        type: 'bar',
        stack: 'taps',
        data: hours.map((h) => page.rows.find((r) => r.hour === h && r.station === s)?.taps ?? 0),
      })),
    },
    true,
  );
}

async function drawRevenue(day) {
  const [stations, accounts] = await Promise.all([
    api(`/v1/admin/transit/reports/station-revenue?from=${day}&to=${day}&limit=1000`),
    api(`/v1/admin/ledger/revenue?from=${day}&to=${day}&limit=1000`),
  ]);
  const venues = accounts.rows.filter((r) => r.accountCode !== 'operator:rail:revenue');
  const bars = [
    ...stations.rows.map((r) => ({ name: `${STATIONS[r.station] ?? r.station} ${r.station}`, fen: r.revenueFen })),
    ...venues.map((r) => ({ name: r.accountCode.replace(/^venue:/, '').replace(/:revenue$/, ''), fen: r.netFen })),
  ].sort((a, b) => a.fen - b.fen);
  const total = stations.rows.reduce((s, r) => s + r.revenueFen, 0) + venues.reduce((s, r) => s + r.netFen, 0);
  $('total-revenue').textContent = yuan(total);
  chart('revenue-chart').setOption(
    {
      ...baseOption(),
      tooltip: { trigger: 'axis', valueFormatter: (v) => `¥${Number(v).toFixed(2)}` },
      xAxis: { type: 'value', name: '元 Yuan' },
      yAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { fontSize: 10 } },
      series: [{ type: 'bar', data: bars.map((b) => b.fen / 100), itemStyle: { color: '#16324f' } }],
    },
    true,
  );
}

async function drawMedical(day) {
  const outflow = await api(`/v1/admin/medical/fund-outflow?from=${day}&to=${day}`);
  const by = REGIONS.map((r) => outflow.byHomeRegion.find((h) => h.homeRegion === r) ?? { homeRegion: r, settlements: 0, fundFen: 0, personalAccountFen: 0 });
  $('total-settlements').textContent = String(by.reduce((s, h) => s + h.settlements, 0));
  chart('medical-chart').setOption(
    {
      ...baseOption(),
      grid: { left: 48, right: 12, top: 36, bottom: 58, containLabel: true },
      legend: { bottom: 0, textStyle: { fontFamily: FONT, fontSize: 10 } },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: by.map((h) => REGION_NAMES[h.homeRegion]) },
      yAxis: [
        { type: 'value', name: '元 Yuan' },
        { type: 'value', name: '笔 Count', splitLine: { show: false } },
      ],
      series: [
        { name: '统筹基金 Pooled fund', type: 'bar', stack: 'paid', data: by.map((h) => h.fundFen / 100) },
        { name: '个人账户 Personal account', type: 'bar', stack: 'paid', data: by.map((h) => h.personalAccountFen / 100) },
        { name: '结算笔数 Settlements', type: 'line', yAxisIndex: 1, data: by.map((h) => h.settlements) },
      ],
    },
    true,
  );
}

async function drawClearing(day) {
  const statement = await api(`/v1/admin/clearing/days/${day}`);
  const max = Math.max(1, ...statement.matrix.map((c) => Math.abs(c.netFen)));
  const tbody = $('clearing-matrix').querySelector('tbody');
  fillRows(
    tbody,
    REGIONS.map((payer) => {
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = REGION_NAMES[payer];
      const cells = REGIONS.map((payee) => {
        if (payer === payee) return cell('—', 'self');
        const fen = statement.matrix.find((c) => c.payer === payer && c.payee === payee)?.netFen ?? 0;
        const td = cell(yuan(fen), `level-${fen === 0 ? 0 : Math.min(3, 1 + Math.floor((Math.abs(fen) / max) * 2.99))}`);
        td.dataset.payer = payer;
        td.dataset.payee = payee;
        td.dataset.fen = String(fen);
        return td;
      });
      return [th, ...cells];
    }),
  );
  const status = statement.status === 'CLOSED' ? `已日终 Closed · ${statement.statementId}` : '未日终 Open (so far)';
  $('clearing-status').textContent = `${day} · ${status} · ${statement.figures.totals.count} 笔跨区 cross-region legs`;
  const positions = statement.figures.all.positions;
  chart('positions-chart').setOption(
    {
      ...baseOption(),
      tooltip: { trigger: 'axis', valueFormatter: (v) => `¥${Number(v).toFixed(2)}` },
      xAxis: { type: 'category', data: positions.map((p) => REGION_NAMES[p.region]) },
      yAxis: { type: 'value', name: '净头寸 Net' },
      series: [
        {
          type: 'bar',
          data: positions.map((p) => ({ value: p.netFen / 100, itemStyle: { color: p.netFen < 0 ? '#b3261e' : '#1b7f3b' } })),
          label: { show: true, position: 'top', formatter: (p) => `¥${Number(p.value).toFixed(2)}`, fontFamily: FONT },
        },
      ],
    },
    true,
  );
}

async function drawPrepayments(day) {
  const month = await api(`/v1/admin/clearing/months/${day.slice(0, 7)}`);
  fillRows(
    $('prepayments').querySelector('tbody'),
    month.prepayments
      .filter((p) => p.prepaymentFen > 0 || p.drawnFen !== 0)
      .map((p) => [
        cell(`${REGION_NAMES[p.home]} → ${REGION_NAMES[p.treatment]}`),
        cell(yuan(p.prepaymentFen), 'num'),
        cell(yuan(p.drawnFen), 'num'),
        cell(yuan(p.remainderFen), `num ${p.remainderFen < p.thresholdFen ? 'bad' : ''}`),
      ]),
  );
  if (month.days.length === 0) {
    fillRows($('prepayments').querySelector('tbody'), [[Object.assign(cell(`${month.month}: 本月尚无日终 No day of this month closed yet`), { colSpan: 4 })]]);
  }
  const calls = month.topUpCalls;
  $('top-up-calls').replaceChildren(
    ...(calls.length === 0
      ? [Object.assign(document.createElement('li'), { textContent: `${month.month}: 无补缴通知 No top-up calls` })]
      : calls.map((c) =>
          Object.assign(document.createElement('li'), {
            className: c.paidAt ? '' : 'flag',
            textContent: `${c.paidAt ? '已缴 Paid' : '⚠ 待补缴 Top-up called'}: ${REGION_NAMES[c.home]} → ${REGION_NAMES[c.treatment]} ${yuan(c.amountFen)} (${c.callId})`,
          }),
        )),
  );
}

async function drawDenials(day) {
  const page = await api(`/v1/admin/ledger/denials?from=${day}&to=${day}&limit=200`);
  $('total-denials').textContent = page.rows.length === 200 ? '200+' : String(page.rows.length);
  const byReason = new Map();
  for (const r of page.rows) byReason.set(r.reasonCode, (byReason.get(r.reasonCode) ?? 0) + 1);
  chart('denials-chart').setOption(
    {
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: { trigger: 'item' },
      title:
        byReason.size === 0
          ? { text: '暂无拒绝 No refusals', left: 'center', top: 'middle', textStyle: { fontFamily: FONT, fontSize: 13, color: '#5b6775' } }
          : undefined,
      series: [{ type: 'pie', radius: ['35%', '70%'], data: [...byReason].map(([name, value]) => ({ name, value })), label: { fontSize: 10 } }],
    },
    true,
  );
  fillRows(
    $('denials').querySelector('tbody'),
    page.rows.slice(0, 10).map((r) => [cell(r.eventTime.slice(11, 19)), cell(r.context), cell(r.reasonCode), cell(r.terminalId ?? '—')]),
  );
}

async function drawLedger(verify) {
  const digest = await api('/v1/admin/ledger/digest');
  fillRows(
    $('chain-heads').querySelector('tbody'),
    digest.map((d) => [cell(String(d.chain)), cell(String(d.seq), 'num'), cell(`${d.hash.slice(0, 16)}…`)]),
  );
  if (!verify) return;
  const v = await api('/v1/admin/ledger/verification');
  $('ledger-status').textContent = v.ok ? '✓ 已验证 Verified' : '✗ 有断点 Broken';
  $('ledger-status').className = `value ${v.ok ? 'ok' : 'bad'}`;
  $('verification').textContent = v.ok
    ? `校验通过 Verified: ${v.checkedJournal} 条记录 records, ${v.checkedEntries} 条分录 entries, ${v.statementChain.statements} 份清算单 statements`
    : `断点 Break: ${JSON.stringify(v.firstBreak ?? v.statementChain.firstBreak)}`;
}

async function refresh() {
  const day = state.day;
  const verify = state.ticks++ % VERIFY_EVERY === 0;
  try {
    const session = await api('/v1/admin/session');
    $('session-clock').textContent = `业务时间 Business time ${session.now.slice(0, 16).replace('T', ' ')}`;
    await Promise.all([drawTaps(day), drawRevenue(day), drawMedical(day), drawClearing(day), drawPrepayments(day), drawDenials(day), drawLedger(verify)]);
    $('updated-at').textContent = new Date().toLocaleTimeString('zh-CN');
    $('board').dataset.refreshes = String(state.ticks);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('令牌已失效 The token is no longer valid.');
    $('updated-at').textContent = `⚠ ${error.message}`;
  }
}

// ——— session ———

async function signIn(token) {
  state.token = token;
  let session;
  try {
    session = await api('/v1/admin/session');
  } catch (error) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    const message = error instanceof ApiError && error.status === 401 ? '令牌无效 Unknown admin token.' : `无法登录 Cannot sign in: ${error.message}`;
    $('signin-error').textContent = message;
    $('signin-error').hidden = false;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  state.session = session;
  state.day = session.businessDate;
  $('signin-error').hidden = true;
  $('signin').hidden = true;
  $('board').hidden = false;
  $('session').hidden = false;
  $('session-role').textContent =
    `${session.role === 'operator' ? '运营 Operator' : '审计 Auditor'}${session.region ? ` · ${REGION_NAMES[session.region]}` : ''}`;
  $('day').value = state.day;
  $('operator-panel').hidden = session.role !== 'operator';
  const yesterday = new Date(Date.parse(`${session.businessDate}T00:00:00+08:00`) - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  $('close-date').value = yesterday;
  await refresh();
  state.timer = setInterval(refresh, REFRESH_MS);
}

function signOut(message) {
  clearInterval(state.timer);
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  $('board').hidden = true;
  $('session').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message ?? '';
  $('signin-error').hidden = !message;
}

async function closeDay(event) {
  event.preventDefault();
  const date = $('close-date').value;
  $('close-result').textContent = `${date} 日终中 closing…`;
  try {
    const closed = await api(`/v1/admin/clearing/days/${date}/close`, { method: 'POST', body: '{}' });
    const body = closed.body;
    $('close-result').textContent =
      `✓ ${closed.statementId} · #${closed.seq} · ${body.transfers.length} 笔划转 transfers · ${body.topUpCalls.length} 补缴 top-up calls · ${closed.hash.slice(0, 12)}…`;
    $('close-result').className = 'note ok';
  } catch (error) {
    $('close-result').textContent = `✗ ${error.message}`;
    $('close-result').className = 'note bad';
  }
  await refresh();
}

$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn($('token').value.trim());
});
$('sign-out').addEventListener('click', () => signOut());
$('close-form').addEventListener('submit', (event) => void closeDay(event));
$('day').addEventListener('change', () => {
  state.day = $('day').value || state.session.businessDate;
  void refresh();
});

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
