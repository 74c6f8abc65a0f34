// Eco-hub catalog portal: browse, search and read the catalog, and look at monitoring data, through
// the hub's GraphQL API with the viewer's token (none: the public). Everything shown comes from
// the API's answer to this viewer, so the page never shows more than the API would. Plain ES2020
// served as is (src/portal/portal.ts); DOM built with textContent only, never from HTML strings.

const settings = JSON.parse(document.getElementById('portal-settings').textContent);
const app = document.getElementById('app');
const signinBox = document.getElementById('signin');

// ---------------------------------------------------------------------------------------------
// Session: the pasted token and declared purpose live in this tab only (sessionStorage).

const STORE = { token: 'eco-hub.portal.token', purpose: 'eco-hub.portal.purpose' };
function stored(key) {
  try { return sessionStorage.getItem(key) || ''; } catch { return ''; }
}
function store(key, value) {
  try { if (value) sessionStorage.setItem(key, value); else sessionStorage.removeItem(key); } catch { /* private mode: memory only */ }
}
const session = { token: stored(STORE.token), purpose: stored(STORE.purpose), me: null, error: '' };

/** Purposes a conditional resource may be read for (catalog/dimensions/purposes.yaml), named for people. */
const PURPOSES = {
  ENFORCEMENT: ['环境执法', 'Law enforcement'],
  EMERGENCY: ['应急处置', 'Emergency response'],
  CREDIT_ASSESSMENT: ['信用评价', 'Credit assessment'],
  PERMITTING: ['行政许可审查', 'Permitting'],
  RESEARCH: ['科研与决策分析', 'Research'],
};
const SHARING = {
  UNCONDITIONAL: ['无条件共享', 'Shared unconditionally'],
  CONDITIONAL: ['有条件共享', 'Shared on conditions'],
  NOT_SHARED: ['不予共享', 'Not shared'],
};
const ITEM_TYPES = { C: '字符', N: '数值', Y: '货币', D: '日期', T: '日期时间', L: '逻辑', M: '备注', G: '通用', B: '双精度', I: '整数', F: '浮点' };
const STATION_KINDS = { AIR: ['空气站', 'Air'], SURFACE_WATER: ['地表水断面', 'Surface water'], POLLUTION_SOURCE: ['污染源排口', 'Outlet'] };
const PARAMETERS = {
  a21026: 'SO₂ 二氧化硫', a21004: 'NO₂ 二氧化氮', a21005: 'CO 一氧化碳', a05024: 'O₃ 臭氧', a34002: 'PM₁₀', a34004: 'PM₂.₅',
  a21002: 'NOx 氮氧化物', a34013: '颗粒物', a24088: '非甲烷总烃',
  w01010: '水温', w01001: 'pH', w01009: '溶解氧', w01019: '高锰酸盐指数', w01018: '化学需氧量', w21003: '氨氮', w21011: '总磷', w21001: '总氮',
};
const MONITORING_ENTRY_POINTS = new Set(['monitoringStations', 'monitoringStation', 'waterQuality', 'airQuality']);

/**
 * Record resources the page lists (joint enforcement): the entry point's query and the columns
 * shown, each a field of the node with its heading. The list is the API's answer to the signed-in
 * viewer, newest first: what the policy lets that viewer read, nothing more.
 */
const RECORD_LISTS = {
  enforcementCases: {
    key: 'caseNo',
    columns: [['caseNo', '案件编号', 'Case'], ['ownerJurisdiction', '办案辖区', 'District'], ['partyName', '当事人', 'Party'], ['state', '状态', 'State'],
      ['leadReceivedOn', '线索日期', 'Lead'], ['nextDueOn', '下一期限', 'Next due'], ['decisionKind', '决定', 'Decision']],
  },
  caseTransfers: {
    key: 'transferNo',
    columns: [['transferNo', '移送编号', 'Transfer'], ['caseNo', '案件编号', 'Case'], ['ownerJurisdiction', '移送方', 'Sender'], ['receiver', '接收方', 'Receiver'],
      ['receiverAgency', '接收机关', 'Agency'], ['sentOn', '移送日期', 'Sent'], ['status', '状态', 'Status']],
  },
  positiveList: {
    key: 'entryNo',
    columns: [['entryNo', '清单编号', 'Entry'], ['ownerJurisdiction', '辖区', 'District'], ['creditLevel', '信用等级', 'Credit'], ['status', '状态', 'Status'],
      ['includedOn', '纳入日期', 'Included'], ['validUntil', '有效期至', 'Valid until'], ['removalCause', '移出原因', 'Removed for']],
  },
};

// ---------------------------------------------------------------------------------------------
// DOM and API helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}
/** Chinese, then English in the muted style. */
const bi = (zh, en) => [zh, en && en !== zh ? h('span', { class: 'en' }, ' ', en) : null];
const named = (c) => bi(c.name, c.nameEn);
const resourceHref = (code) => `/catalog/resources/${encodeURIComponent(code)}`;
const note = (kind, ...children) => h('div', { class: `note ${kind || ''}` }, ...children);

async function gql(query, variables) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (session.purpose) headers['x-purpose'] = session.purpose;
  let res;
  try {
    res = await fetch(settings.endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    return { data: null, errors: [{ message: '无法连接数据平台 (cannot reach the hub)', extensions: { code: 'NETWORK' } }] };
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!body || typeof body !== 'object') return { data: null, errors: [{ message: `HTTP ${res.status}`, extensions: { code: `HTTP_${res.status}` } }] };
  if (res.status === 401) {
    // The token was refused: say so, and fall back to the public view.
    session.error = '令牌无效或已过期，已退回公众访问 (token refused: showing the public view)';
    signOut(false);
  }
  return body;
}
const errorText = (errors) => (errors || []).map((e) => `${e.message}${e.extensions && e.extensions.code ? ` [${e.extensions.code}]` : ''}`).join('; ');
const codeOf = (errors) => (errors && errors[0] && errors[0].extensions && errors[0].extensions.code) || '';

function navigate(url, replace) {
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  route();
}
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', () => route());

// ---------------------------------------------------------------------------------------------
// Sign-in: paste a token (as in the playground); without one the portal is the public view.

async function loadMe() {
  session.me = null;
  if (!session.token) return;
  const r = await gql('query PortalMe { me { kind sub org jurisdiction roles purpose } }');
  if (r.data && r.data.me) session.me = r.data.me;
}

function signOut(rerender = true) {
  session.token = '';
  session.me = null;
  store(STORE.token, '');
  if (rerender) {
    session.error = '';
    renderSignin();
    route();
  }
}

function renderSignin() {
  signinBox.replaceChildren();
  if (session.token && session.me) {
    const me = session.me;
    const purpose = h('select', { 'aria-label': '用途 X-Purpose', onchange: (e) => setPurpose(e.target.value) },
      h('option', { value: '' }, '不声明用途 (no purpose)'),
      Object.entries(PURPOSES).map(([code, [zh]]) => h('option', { value: code, selected: session.purpose === code }, `${zh} ${code}`)));
    signinBox.append(
      h('div', { class: 'who', 'data-signed-in': me.org || me.sub },
        h('span', {}, `${me.org || me.sub} · ${me.jurisdiction || ''}`),
        h('span', { class: 'roles', title: (me.roles || []).join(', ') }, (me.roles || []).join(' · ') || '无角色 (no roles)')),
      purpose,
      h('button', { type: 'button', class: 'secondary', onclick: () => signOut() }, '退出'));
    return;
  }
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: '粘贴访问令牌 Paste a token', 'aria-label': '访问令牌 access token' });
  const form = h('form', { class: 'signin-form', onsubmit: async (e) => {
    e.preventDefault();
    session.token = input.value.trim().replace(/^Bearer\s+/i, '');
    session.error = '';
    await loadMe();
    if (!session.me) {
      session.error = session.error || '令牌无效 (token refused)';
      session.token = '';
    } else {
      store(STORE.token, session.token);
    }
    renderSignin();
    route();
  } }, input, ' ', h('button', { type: 'submit' }, '登录'));
  signinBox.append(h('span', { class: 'who', 'data-public': '' }, '公众访问', h('span', { class: 'roles' }, 'Public view')), form);
  if (session.error) signinBox.append(h('span', { class: 'error', role: 'alert' }, session.error));
}

function setPurpose(code) {
  session.purpose = code;
  store(STORE.purpose, code);
  renderSignin();
  route();
}

// ---------------------------------------------------------------------------------------------
// Browse: the three dimensions and the sharing type as facets, full-text search, the result list.

const FILTER_KEYS = ['function', 'businessLine', 'element', 'sharingType'];
const FACETS = [
  ['functions', 'function', '职能', 'Function'],
  ['businessLines', 'businessLine', '业务', 'Business line'],
  ['elements', 'element', '环境要素', 'Environmental element'],
  ['sharingTypes', 'sharingType', '共享类型', 'Sharing type'],
];
const PAGE = 30;

const BROWSE = `query PortalBrowse($filter: CatalogFilter, $first: Int, $after: String) {
  catalogFacets(filter: $filter) {
    total
    functions { code name nameEn count selected }
    businessLines { code name nameEn count selected }
    elements { code name nameEn count selected }
    sharingTypes { code name nameEn count selected }
  }
  catalogResources(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      code name nameEn abstract sharingType openToPublic
      provider { code name nameEn }
      updateCycle { name nameEn }
      function { code name nameEn } businessLine { code name nameEn } elements { code name nameEn }
    } }
  }
}`;

const MORE = `query PortalMore($filter: CatalogFilter, $first: Int, $after: String) {
  catalogResources(filter: $filter, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      code name nameEn abstract sharingType openToPublic
      provider { code name nameEn }
      updateCycle { name nameEn }
      function { code name nameEn } businessLine { code name nameEn } elements { code name nameEn }
    } }
  }
}`;

function filterFromUrl(params) {
  const f = {};
  for (const k of FILTER_KEYS) if (params.get(k)) f[k] = params.get(k);
  if (params.get('q')) f.search = params.get('q');
  return f;
}
function urlOf(filter) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filter[k]) p.set(k, filter[k]);
  if (filter.search) p.set('q', filter.search);
  const s = p.toString();
  return s ? `/?${s}` : '/';
}

function sharingBadge(type) {
  const [zh] = SHARING[type] || [type];
  return h('span', { class: `badge ${type}` }, zh);
}

function resourceCard(r) {
  const abstract = r.abstract.length > 150 ? `${r.abstract.slice(0, 150)}…` : r.abstract;
  return h('article', { class: 'card', 'data-code': r.code },
    h('div', { class: 'code' }, r.code, ' · ', r.provider.name),
    h('h2', {}, h('a', { href: resourceHref(r.code), 'data-nav': '' }, r.name)),
    h('div', { class: 'en' }, r.nameEn),
    h('p', {}, abstract),
    h('div', { class: 'tags' },
      sharingBadge(r.sharingType),
      r.openToPublic ? h('span', { class: 'badge open' }, '向社会开放') : null,
      h('span', { class: 'tag' }, '更新：', r.updateCycle.name),
      h('span', { class: 'tag' }, r.function.name),
      h('span', { class: 'tag' }, r.businessLine.name),
      r.elements.map((e) => h('span', { class: 'tag' }, e.name))));
}

async function showBrowse(params) {
  const filter = filterFromUrl(params);
  const search = h('input', { type: 'search', name: 'q', value: filter.search || '', placeholder: '搜索资源名称、关键词、摘要、信息项 Search the catalog', 'aria-label': '搜索 search' });
  const form = h('form', { class: 'search', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    navigate(urlOf({ ...filter, search: search.value.trim() || undefined }));
  } }, search, h('button', { type: 'submit', class: 'btn' }, '搜索'));

  const r = await gql(BROWSE, { filter, first: PAGE });
  if (!r.data) {
    app.replaceChildren(form, note('error', '目录加载失败：', errorText(r.errors)));
    return;
  }
  const { catalogFacets: facets, catalogResources: list } = r.data;

  const facetColumn = h('aside', { class: 'facets', 'aria-label': '分面 facets' },
    FACETS.map(([field, key, zh, en]) => h('section', { class: 'facet', 'data-facet': key },
      h('h3', {}, bi(zh, en)),
      h('ul', {}, facets[field].map((v) => h('li', {},
        h('button', {
          type: 'button', 'aria-pressed': String(v.selected), 'data-value': v.code,
          onclick: () => navigate(urlOf({ ...filter, [key]: v.selected ? undefined : v.code })),
        }, h('span', {}, v.name, h('span', { class: 'en' }, ' ', v.nameEn)), h('span', { class: 'count' }, v.count))))))));

  const chosen = FACETS.filter(([, key]) => filter[key]).map(([field, key, zh]) => {
    const v = facets[field].find((x) => x.code === filter[key]);
    return h('button', { type: 'button', class: 'chip', onclick: () => navigate(urlOf({ ...filter, [key]: undefined })) }, `${zh}：${v ? v.name : filter[key]} ✕`);
  });
  if (filter.search) chosen.push(h('button', { type: 'button', class: 'chip', onclick: () => navigate(urlOf({ ...filter, search: undefined })) }, `搜索：${filter.search} ✕`));

  const results = h('div', { class: 'results' }, list.edges.map((e) => resourceCard(e.node)));
  let cursor = list.pageInfo.endCursor;
  const more = h('button', { type: 'button', class: 'btn secondary more', onclick: async () => {
    more.disabled = true;
    const next = await gql(MORE, { filter, first: PAGE, after: cursor });
    if (!next.data) { more.replaceWith(note('error', errorText(next.errors))); return; }
    const page = next.data.catalogResources;
    results.append(...page.edges.map((e) => resourceCard(e.node)));
    cursor = page.pageInfo.endCursor;
    more.disabled = false;
    if (!page.pageInfo.hasNextPage) more.remove();
  } }, '加载更多 (more)');

  const summary = h('p', { class: 'summary', 'data-total': list.totalCount },
    `共 ${list.totalCount} 个资源`, h('span', { class: 'en' }, ` ${list.totalCount} resources`),
    filter.search ? '，按相关度排序' : '',
    session.me ? '' : h('span', {}, '。公众只能看到向社会开放的资源，登录后可见全部目录。'));

  app.replaceChildren(h('div', { class: 'browse', 'data-view': 'browse' },
    facetColumn,
    h('section', { 'aria-label': '资源 resources' },
      form,
      chosen.length ? h('div', { class: 'chosen' }, '已选 ', chosen) : null,
      summary,
      list.edges.length ? results : note('', '没有符合条件的资源 (nothing matches)'),
      list.pageInfo.hasNextPage ? more : null)));
  document.title = '示范区生态环境数据资源目录 · Eco-hub';
}

// ---------------------------------------------------------------------------------------------
// A resource: what it is, its terms in plain words, what the viewer may read now, and its data.

const RESOURCE = `query PortalResource($code: String!) {
  catalogResource(code: $code) {
    code name nameEn abstract keywords publishedAt status entryPoint exampleQuery related jurisdictions
    provider { code name nameEn uscc jurisdiction }
    function { code name nameEn } businessLine { code name nameEn } elements { code name nameEn }
    sharingType sharingConditions { purposes legalBasis } openToPublic openConditions
    updateCycle { code name nameEn }
    format { class { code name nameEn } type { code name nameEn } }
    dataItems { name field type length scale }
  }
  myAccess { recordType catalogCode ownerJurisdiction canRead rule applyFor grantId purposesThatWouldAllow { purpose roles } rolesNeeded maskedFields }
  jurisdictions { code name nameZh divisionCode }
}`;

const RULE_WORDS = {
  owner: ['本辖区（或上级、示范区）的数据，可完整读取', 'your own jurisdiction'],
  'sharing.unconditional': ['无条件共享，可以读取', 'shared unconditionally'],
  'sharing.conditional': ['有条件共享：须申请共享并获提供方批准', 'shared on conditions: apply for a grant'],
  'sharing.grant': ['有条件共享：经批准的共享申请', 'through your agency\'s sharing grant'],
  'sharing.grant.role': ['本机构持有共享授权，但您缺少其用途所需的角色', 'your agency holds a grant; its purpose needs a role you lack'],
  'sharing.emergency': ['已声明应急用途（事后报数据所属方审查）', 'declared emergency, reviewed by the owner afterwards'],
  'sharing.conditional.role': ['有条件共享：所声明的用途需要相应角色', 'the purpose needs a role you lack'],
  'sharing.notShared': ['不予共享', 'not shared'],
  'role.required': ['缺少读取所需的角色', 'a role is missing'],
  'public.notOpen': ['不向公众开放', 'not open to the public'],
  'public.publicised': ['公众只能读取公示期内的记录', 'the public reads publicised records only'],
  'public.open': ['向社会开放，公众可以读取', 'open to the public'],
  creditPlatform: ['信用长三角平台可读取信用记录', 'the credit platform reads credit records'],
  'creditPlatform.creditOnly': ['信用长三角平台只能读取信用记录', 'the credit platform reads credit records only'],
  system: ['系统', 'system'],
};

function purposeLabel(code) {
  const p = PURPOSES[code];
  return p ? `${p[0]} ${code}` : code;
}

function accessRows(lines, names) {
  return h('table', { class: 'access', 'data-access': 'lines' },
    h('thead', {}, h('tr', {}, h('th', {}, '数据所属辖区'), h('th', {}, '现在'), h('th', {}, '原因'), h('th', {}, '怎样才能读取'))),
    h('tbody', {}, lines.map((l) => {
      const [zh, en] = RULE_WORDS[l.rule] || [l.rule, ''];
      const allow = [];
      if (!l.canRead) {
        // The resource to apply for (applyForSharing), as the policy names it.
        if (l.applyFor) {
          allow.push(h('div', { 'data-apply-for': l.applyFor }, '申请共享资源 ', h('a', { href: resourceHref(l.applyFor), 'data-nav': '' }, h('code', {}, l.applyFor)),
            h('span', { class: 'en' }, ` apply for resource ${l.applyFor} (applyForSharing)`)));
        }
        if (l.rule === 'public.notOpen') allow.push(h('div', {}, '使用示范区机构的令牌登录', h('span', { class: 'en' }, ' sign in with a token of a zone agency')));
        for (const p of l.purposesThatWouldAllow) {
          allow.push(h('div', {}, '声明用途 ', h('button', { type: 'button', class: 'btn secondary', 'data-purpose': p.purpose, onclick: () => setPurpose(p.purpose) }, purposeLabel(p.purpose)),
            p.roles.length ? h('span', { class: 'en' }, ` 需角色之一 ${p.roles.join(' / ')}`) : null));
        }
        if (l.rolesNeeded.length) allow.push(h('div', {}, `需要角色之一：${l.rolesNeeded.join('、')}`));
        if (l.rule === 'sharing.notShared') allow.push(h('div', { class: 'muted' }, '任何用途都不能读取 (no purpose opens it)'));
      } else if (l.maskedFields.length) {
        allow.push(h('div', { class: 'muted' }, `部分字段脱敏：${l.maskedFields.join('、')}`));
      }
      return h('tr', { 'data-owner': l.ownerJurisdiction, 'data-can-read': String(l.canRead) },
        h('td', {}, names.get(l.ownerJurisdiction) || l.ownerJurisdiction),
        h('td', {}, l.canRead ? h('span', { class: 'yes' }, '✓ 可以读取') : h('span', { class: 'no' }, '✗ 不能读取')),
        h('td', {}, zh, en ? h('span', { class: 'en' }, ` ${en}`) : null),
        h('td', {}, allow.length ? allow : '—'));
    })));
}

function sharingWords(r) {
  const out = [];
  if (r.sharingType === 'UNCONDITIONAL') {
    out.push(h('p', {}, '无条件共享：示范区各机构凭有效令牌即可读取。', h('span', { class: 'en' }, ' Any agency of the zone reads it with a valid token.')));
  } else if (r.sharingType === 'CONDITIONAL') {
    out.push(h('p', {}, '有条件共享：本辖区以外的机构须提出共享申请（applyForSharing），经提供方批准后在批准的范围、信息项和期限内读取，并只为所申请的用途使用。',
      h('span', { class: 'en' }, ' Agencies outside the owner district apply for it; an approved grant opens its scope, items and period, for the stated purpose alone.')));
    const purposes = (r.sharingConditions && r.sharingConditions.purposes) || [];
    out.push(h('p', {}, '允许的用途：', purposes.map((p, i) => [i ? '、' : '', h('code', {}, purposeLabel(p))])));
  } else {
    out.push(h('p', {}, '不予共享：任何机构都不能通过本平台读取该资源的数据。', h('span', { class: 'en' }, ' Not shared with anyone through the hub.')));
  }
  if (r.sharingConditions && r.sharingConditions.legalBasis) out.push(h('p', { class: 'muted' }, '依据：', r.sharingConditions.legalBasis));
  out.push(h('p', {}, r.openToPublic
    ? ['向社会开放：公众无需令牌即可在目录中看到该资源', r.openConditions ? `，开放条件：${r.openConditions}` : '', '。']
    : '不向社会开放：登录后才能在目录中看到该资源。'));
  return out;
}

async function showResource(code) {
  const r = await gql(RESOURCE, { code });
  const res = r.data && r.data.catalogResource;
  if (!res) {
    const forbidden = codeOf(r.errors) === 'FORBIDDEN';
    app.replaceChildren(h('div', { class: 'resource', 'data-view': 'resource-missing' },
      h('p', { class: 'crumbs' }, h('a', { href: '/', 'data-nav': '' }, '目录'), ' › ', code),
      forbidden
        ? note('warn', '该资源不向社会开放，请使用示范区机构的令牌登录后查看。', h('span', { class: 'en' }, ' Not open to the public: sign in with a zone agency token.'))
        : r.data ? note('', `目录中没有代码为 ${code} 的资源。`) : note('error', '加载失败：', errorText(r.errors))));
    return;
  }
  document.title = `${res.name} · 示范区生态环境数据资源目录`;
  const names = new Map((r.data.jurisdictions || []).map((j) => [j.code, j.nameZh]));
  const me = session.me;

  const facts = h('dl', { class: 'facts' },
    h('dt', {}, '资源代码'), h('dd', {}, h('code', {}, res.code)),
    h('dt', {}, '提供方'), h('dd', {}, res.provider.name, h('div', { class: 'en' }, res.provider.nameEn), h('div', { class: 'muted' }, '统一社会信用代码 ', res.provider.uscc)),
    h('dt', {}, '职能'), h('dd', {}, named(res.function)),
    h('dt', {}, '业务'), h('dd', {}, named(res.businessLine)),
    h('dt', {}, '环境要素'), h('dd', {}, res.elements.map((e, i) => [i ? '、' : '', named(e)])),
    h('dt', {}, '数据所属辖区'), h('dd', {}, res.jurisdictions.map((j) => names.get(j) || j).join('、')),
    h('dt', {}, '更新周期'), h('dd', { 'data-field': 'updateCycle' }, named(res.updateCycle)),
    h('dt', {}, '资源格式'), h('dd', {}, res.format.class.name, ' / ', res.format.type.name),
    h('dt', {}, '发布日期'), h('dd', {}, res.publishedAt),
    res.related.length ? [h('dt', {}, '关联资源'), h('dd', {}, res.related.map((c, i) => [i ? '、' : '', h('a', { href: resourceHref(c), 'data-nav': '' }, c)]))] : null);

  const items = res.dataItems.length
    ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '信息项'), h('th', {}, '接口字段'), h('th', {}, '类型'), h('th', {}, '长度'))),
      h('tbody', {}, res.dataItems.map((d) => h('tr', {}, h('td', {}, d.name), h('td', {}, d.field ? h('code', {}, d.field) : '—'),
        h('td', {}, ITEM_TYPES[d.type] || d.type), h('td', { class: 'num' }, d.scale != null ? `${d.length},${d.scale}` : d.length)))))
    : h('p', { class: 'muted' }, '该资源不列信息项（文件、影像类资源）。');

  const planned = res.status === 'PLANNED';
  const playgroundHref = planned ? '' : `${settings.playground}?query=${encodeURIComponent(res.exampleQuery)}`;
  const entry = planned
    ? note('', '该资源已编入目录，本平台尚未提供其数据（规划中，', h('span', { 'data-field': 'status' }, 'PLANNED'), '）；请按共享条件向提供方（', res.provider.name, '）索取。')
    : h('div', {},
    h('p', {}, 'GraphQL 入口字段：', h('code', { 'data-field': 'entryPoint' }, res.entryPoint), '，接口地址 ', h('code', {}, new URL(settings.endpoint, location.href).href)),
    h('pre', { class: 'query', 'data-field': 'exampleQuery' }, res.exampleQuery),
    h('a', { class: 'btn', href: playgroundHref, 'data-open-playground': '' }, '在接口调试中打开 Open in playground'),
    h('span', { class: 'muted' }, '  调试页需要同样粘贴令牌。'));

  const accessBox = h('div', { 'data-access': 'pending' }, h('p', { class: 'loading' }, '正在查询您的权限…'));
  const monitoring = !planned && MONITORING_ENTRY_POINTS.has(res.entryPoint);
  const recordList = !planned && RECORD_LISTS[res.entryPoint];
  const dataBox = monitoring ? h('section', { class: 'section', 'data-section': 'monitoring' }, h('h2', {}, bi('监测站点与数据', 'Stations and data')), h('p', { class: 'loading' }, '正在加载站点…'))
    : recordList ? h('section', { class: 'section', 'data-section': 'records', 'data-records': 'pending' }, h('h2', {}, bi('记录', 'Records')), h('p', { class: 'loading' }, '正在加载记录…'))
      : null;

  app.replaceChildren(h('div', { class: 'resource', 'data-view': 'resource', 'data-code': res.code },
    h('p', { class: 'crumbs' }, h('a', { href: '/', 'data-nav': '' }, '目录'), ' › ',
      h('a', { href: urlOf({ businessLine: res.businessLine.code }), 'data-nav': '' }, res.businessLine.name), ' › ', res.code),
    h('h1', {}, res.name),
    h('p', { class: 'subtitle' }, res.nameEn),
    h('div', { class: 'tags' }, sharingBadge(res.sharingType), res.openToPublic ? h('span', { class: 'badge open' }, '向社会开放') : null,
      res.keywords.map((k) => h('span', { class: 'tag' }, k))),
    h('div', { class: 'grid2' },
      h('div', {},
        h('section', { class: 'section' }, h('h2', {}, bi('摘要', 'Description')), h('p', { 'data-field': 'abstract' }, res.abstract)),
        h('section', { class: 'section', 'data-section': 'terms' }, h('h2', {}, bi('共享类型与条件', 'Sharing terms')), sharingBadge(res.sharingType), sharingWords(res)),
        h('section', { class: 'section', 'data-section': 'access' }, h('h2', {}, bi('您现在能否读取', 'Your access now')), accessBox),
        h('section', { class: 'section' }, h('h2', {}, bi('获取方式', 'How to ask for it')), entry)),
      h('div', {},
        h('section', { class: 'section' }, h('h2', {}, bi('概况', 'Facts')), facts),
        h('section', { class: 'section' }, h('h2', {}, bi('信息项', 'Data items')), h('div', { class: 'scroll' }, items)))),
    dataBox));

  // Access: the policy's own explanation (myAccess) for the record type the resource is read as.
  const who = me ? `${me.org || me.sub}（${names.get(me.jurisdiction) || me.jurisdiction || ''}）` : '公众';
  const purposeNote = session.purpose ? `，已声明用途 ${purposeLabel(session.purpose)}` : '';
  if (res.sharingType === 'NOT_SHARED') {
    accessBox.replaceChildren(note('warn', recordList
      ? '不予共享：只有数据所属辖区（及其上级、示范区）的执法机构能读取；移送案件的接收方在移送范围内读取。'
      : '不予共享：任何机构都不能通过本平台读取该资源的数据，只能看到这条目录信息。'));
  } else if (planned) {
    accessBox.replaceChildren(note('', '本平台只提供该资源的目录信息，尚不经接口提供数据；请按上面的共享条件向提供方（', res.provider.name, '）索取。'));
  } else {
    // The policy explains each resource by its catalog code: a dossier record type, or a part of the monitoring data.
    const lines = (r.data.myAccess || []).filter((l) => l.catalogCode === res.code && res.jurisdictions.includes(l.ownerJurisdiction));
    if (!lines.length) {
      accessBox.replaceChildren(note('', '接口没有给出该资源的访问说明。'));
    } else {
      const readable = lines.filter((l) => l.canRead).length;
      accessBox.replaceChildren(
        h('p', { 'data-readable': readable }, `${who}${purposeNote}：现在可以读取 ${readable}/${lines.length} 个辖区的数据`,
          h('span', { class: 'en' }, ` (${readable} of ${lines.length} districts now)`)),
        accessRows(lines, names));
    }
    accessBox.setAttribute('data-access', 'ready');
  }

  if (monitoring) await showStations(res, dataBox, new Set((r.data.myAccess || []).filter((l) => l.catalogCode === res.code && l.canRead).map((l) => l.ownerJurisdiction)), names);
  if (recordList) await showRecords(res.entryPoint, recordList, dataBox, names);
}

// ---------------------------------------------------------------------------------------------
// Record resources (cases, transfers, the positive list): the viewer's first page of records.

async function showRecords(entryPoint, list, box, names) {
  const title = h('h2', {}, bi('记录', 'Records'));
  const done = (...children) => {
    box.replaceChildren(title, ...children);
    box.setAttribute('data-records', 'ready');
  };
  if (!session.token) {
    done(note('', '登录后显示您可以读取的记录。', h('span', { class: 'en' }, ' Sign in to see the records you may read.')));
    return;
  }
  const fields = list.columns.map(([f]) => f).join(' ');
  const r = await gql(`query PortalRecords { ${entryPoint}(first: 20) { totalCount edges { node { ${fields} } } } }`);
  const page = r.data && r.data[entryPoint];
  if (!page) {
    done(note(codeOf(r.errors) === 'FORBIDDEN' ? 'warn' : 'error', '无法读取记录：', errorText(r.errors)));
    return;
  }
  const nodes = page.edges.map((e) => e.node);
  const cell = (f, v) => (v === null || v === undefined ? '—' : f === 'ownerJurisdiction' ? names.get(v) || v : String(v));
  done(
    h('p', { 'data-records-total': page.totalCount }, `共 ${page.totalCount} 条，显示最新 ${nodes.length} 条`, h('span', { class: 'en' }, ` (${page.totalCount} in all, newest ${nodes.length} shown)`)),
    nodes.length
      ? h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, list.columns.map(([, zh, en]) => h('th', {}, zh, h('span', { class: 'en' }, ' ', en))))),
        h('tbody', {}, nodes.map((n) => h('tr', { 'data-key': n[list.key] }, list.columns.map(([f]) => h('td', { 'data-field': f }, cell(f, n[f]))))))))
      : h('p', { class: 'muted' }, '没有您可以读取的记录。'));
}

// ---------------------------------------------------------------------------------------------
// Monitoring: the resource's stations, and a chart of one: water class by day, AQI by day, or an
// outlet's latest values.

const STATIONS = `query PortalStations {
  monitoringStations(first: 500) {
    totalCount
    edges { node { code name kind ownerJurisdiction controlLevel waterbody waterName targetClass drinkingWaterSource catalogResourceCode longitude latitude } }
  }
}`;
const LATEST = `query PortalLatest($code: String!) { monitoringStation(code: $code) { observations(first: 1) { edges { node { observedAt } } } } }`;
const WATER = `query PortalWater($code: String!, $from: Date!, $to: Date!) {
  waterQuality(stationCode: $code, from: $from, to: $to, period: DAY) { periodStart waterClass grade validShare mainPollutants { parameter waterClass } }
}`;
const AIR = `query PortalAir($code: String!, $from: Date!, $to: Date!) {
  airQuality(stationCode: $code, from: $from, to: $to, report: DAILY) { date aqi level category primaryPollutants }
}`;
const OUTLET = `query PortalOutlet($code: String!, $from: DateTime!) {
  monitoringStation(code: $code) { observations(first: 500, from: $from) { edges { node { parameter observedAt value unit flag } } } }
}`;

const WATER_CLASSES = { I: [1, 'Ⅰ类'], II: [2, 'Ⅱ类'], III: [3, 'Ⅲ类'], IV: [4, 'Ⅳ类'], V: [5, 'Ⅴ类'], WORSE_THAN_V: [6, '劣Ⅴ类'] };
const WATER_COLOURS = ['', '#1565c0', '#42a5f5', '#43a047', '#fbc02d', '#fb8c00', '#d32f2f'];
const AQI_COLOURS = ['', '#00e400', '#ffff00', '#ff7e00', '#ff0000', '#99004c', '#7e0023'];
const AQI_LEVELS = ['', '优', '良', '轻度污染', '中度污染', '重度污染', '严重污染'];

/** The calendar day (China Standard Time) of an instant. */
const cstDay = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10);
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

let chartsModule;
function charts() {
  chartsModule = chartsModule || import(settings.charts);
  return chartsModule;
}

async function showStations(res, box, readableOwners, names) {
  const r = await gql(STATIONS);
  const all = r.data ? r.data.monitoringStations.edges.map((e) => e.node) : [];
  const quoted = new Set((res.exampleQuery.match(/"([A-Z]+-[A-Z]+-\d+)"/g) || []).map((s) => s.slice(1, -1)));
  const codes = new Set([res.code, ...res.related]);
  const stations = all.filter((s) => codes.has(s.catalogResourceCode) || quoted.has(s.code));
  if (!r.data) {
    box.replaceChildren(h('h2', {}, bi('监测站点与数据', 'Stations and data')), note('error', errorText(r.errors)));
    return;
  }
  if (all.length === 0) {
    box.replaceChildren(h('h2', {}, bi('监测站点与数据', 'Stations and data')), note('warn', '您当前的身份读不到监测站点（见上方“您现在能否读取”）。',
      h('span', { class: 'en' }, ' You may read no station (see "Your access now").')));
    return;
  }
  box.setAttribute('data-stations', String(stations.length));
  if (stations.length === 0) {
    box.replaceChildren(h('h2', {}, bi('监测站点与数据', 'Stations and data')), note('', '演示数据中没有属于该资源的站点。', h('span', { class: 'en' }, ' No station of this resource in the data.')));
    return;
  }

  const chartEl = h('div', { class: 'chart', role: 'img', 'aria-label': '图表 chart' });
  const caption = h('div', { class: 'legend' });
  const status = h('div', {});
  const periodSeg = h('span', { class: 'seg', role: 'group', 'aria-label': '时段 period' });
  const select = h('select', { 'aria-label': '站点 station', onchange: (e) => pick(e.target.value) }, stations.map((s) => h('option', { value: s.code }, `${s.code} ${s.name}`)));
  // Open on a station whose data the viewer may read (the example's, if so).
  const readable = (s) => readableOwners.has(s.ownerJurisdiction);
  let current = stations.find((s) => quoted.has(s.code) && readable(s)) || stations.find(readable) || stations[0];
  let days = 90;
  for (const d of [30, 90, 365]) {
    periodSeg.append(h('button', { type: 'button', 'data-days': d, 'aria-pressed': String(d === days), onclick: () => {
      days = d;
      for (const b of periodSeg.children) b.setAttribute('aria-pressed', String(Number(b.dataset.days) === d));
      draw();
    } }, `${d} 天`));
  }
  const rows = stations.map((s) => h('tr', { class: 'selectable', 'data-station': s.code, onclick: () => pick(s.code) },
    h('td', {}, h('code', {}, s.code)), h('td', {}, s.name), h('td', {}, (STATION_KINDS[s.kind] || [s.kind])[0]),
    h('td', {}, names.get(s.ownerJurisdiction) || s.ownerJurisdiction),
    h('td', {}, s.waterName ? `${s.waterName}${s.targetClass ? ` · 目标 ${WATER_CLASSES[s.targetClass][1]}` : ''}` : s.controlLevel || ''),
    h('td', { class: 'num' }, s.longitude && s.latitude ? `${Number(s.longitude).toFixed(3)}, ${Number(s.latitude).toFixed(3)}` : '')));
  const table = h('table', { 'data-stations': stations.length },
    h('thead', {}, h('tr', {}, h('th', {}, '代码'), h('th', {}, '名称'), h('th', {}, '类型'), h('th', {}, '辖区'), h('th', {}, '水体 / 级别'), h('th', {}, '经度, 纬度'))),
    h('tbody', {}, rows));

  box.replaceChildren(h('h2', {}, bi('监测站点与数据', 'Stations and data')),
    h('div', { class: 'grid2' },
      h('div', {}, h('div', { class: 'toolbar' }, '站点', select, periodSeg), status, chartEl, caption),
      h('div', { class: 'scroll' }, table)));

  select.value = current.code;
  let parameter = null; // the outlet parameter drawn; the first one until a row of the latest values is chosen

  function pick(code) {
    current = stations.find((s) => s.code === code) || current;
    select.value = current.code;
    parameter = null;
    draw();
  }

  async function draw() {
    for (const row of rows) row.classList.toggle('selected', row.dataset.station === current.code);
    delete chartEl.dataset.points; // set again once this drawing is done
    periodSeg.classList.toggle('hidden', current.kind === 'POLLUTION_SOURCE');
    status.replaceChildren(h('p', { class: 'loading' }, '正在加载数据…'));
    const station = current;
    const latest = await gql(LATEST, { code: station.code });
    const edge = latest.data && latest.data.monitoringStation && latest.data.monitoringStation.observations.edges[0];
    if (station !== current) return;
    if (!edge) {
      status.replaceChildren(note(latest.data ? '' : 'error', latest.data ? '该站点还没有监测数据。' : errorText(latest.errors)));
      return;
    }
    const to = cstDay(edge.node.observedAt);
    const echarts = await charts();
    const chart = echarts.getInstanceByDom(chartEl) || echarts.init(chartEl, null, { renderer: 'canvas' });
    let drawn;
    if (station.kind === 'SURFACE_WATER') drawn = await drawWater(chart, station, addDays(to, -(days - 1)), to);
    else if (station.kind === 'AIR') drawn = await drawAir(chart, station, addDays(to, -(days - 1)), to);
    else drawn = await drawOutlet(chart, station, edge.node.observedAt, parameter, (p) => { parameter = p; draw(); });
    if (station !== current) return;
    status.replaceChildren(drawn.error ? note('error', drawn.error) : '');
    caption.replaceChildren(...drawn.legend);
    chartEl.dataset.chart = drawn.kind;
    chartEl.dataset.station = station.code;
    chartEl.dataset.days = String(days);
    chartEl.dataset.points = String(drawn.points);
  }
  window.addEventListener('resize', () => {
    if (!chartsModule) return;
    chartsModule.then((m) => { const c = m.getInstanceByDom(chartEl); if (c) c.resize(); });
  });
  await draw();
}

/** What every chart shares: no animation (the first frame is the chart), tooltips drawn on the canvas (no inline HTML styles, which the page's CSP refuses). */
const baseOption = () => ({
  animation: false,
  grid: { left: 52, right: 20, top: 30, bottom: 36 },
  tooltip: { trigger: 'axis', renderMode: 'richText' },
  textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
});

/** Every day from `from` to `to`, so a chart shows the days without data as gaps rather than hiding them. */
function daysBetween(from, to) {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

async function drawWater(chart, station, from, to) {
  const r = await gql(WATER, { code: station.code, from, to });
  const byDay = new Map(((r.data && r.data.waterQuality) || []).map((p) => [p.periodStart, p]));
  const none = { waterClass: null, grade: null, mainPollutants: [] };
  const days = daysBetween(from, to);
  const periods = days.map((d) => ({ periodStart: d, ...(byDay.get(d) || none) }));
  const target = station.targetClass ? WATER_CLASSES[station.targetClass][0] : null;
  const option = baseOption();
  option.tooltip.formatter = (ps) => {
    const p = periods[ps[0].dataIndex];
    return `${p.periodStart}\n${p.waterClass ? WATER_CLASSES[p.waterClass][1] : '无有效数据'}${p.grade ? ` ${p.grade}` : ''}${p.mainPollutants.length ? `\n主要污染物 ${p.mainPollutants.map((m) => PARAMETERS[m.parameter] || m.parameter).join('、')}` : ''}`;
  };
  option.xAxis = { type: 'category', data: periods.map((p) => p.periodStart.slice(5)) };
  option.yAxis = { type: 'value', min: 0, max: 6, interval: 1, axisLabel: { formatter: (v) => ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ'][v] || '' }, name: '水质类别', nameTextStyle: { align: 'left' } };
  option.series = [{
    type: 'bar', name: '水质类别', barCategoryGap: '8%',
    data: periods.map((p) => {
      const idx = p.waterClass ? WATER_CLASSES[p.waterClass][0] : null;
      return { value: idx, itemStyle: { color: idx ? WATER_COLOURS[idx] : '#ccc' } };
    }),
    markLine: target ? { symbol: 'none', silent: true, label: { position: 'insideEndTop', formatter: `目标 ${WATER_CLASSES[station.targetClass][1]}` }, lineStyle: { color: '#555', type: 'dashed' }, data: [{ yAxis: target }] } : undefined,
  }];
  chart.setOption(option, true);
  const legend = [['c1', 'Ⅰ类'], ['c2', 'Ⅱ类'], ['c3', 'Ⅲ类'], ['c4', 'Ⅳ类'], ['c5', 'Ⅴ类'], ['c6', '劣Ⅴ类']].map(([c, t]) => h('span', {}, h('i', { class: c }), t));
  legend.unshift(h('span', {}, `${station.name} 逐日水质类别（GB 3838-2002 单因子评价）${from} 至 ${to}`));
  return { kind: 'water', points: periods.filter((p) => p.waterClass).length, legend, error: r.errors ? errorText(r.errors) : '' };
}

async function drawAir(chart, station, from, to) {
  const r = await gql(AIR, { code: station.code, from, to });
  const byDay = new Map(((r.data && r.data.airQuality) || []).map((d) => [d.date, d]));
  const days = daysBetween(from, to).map((d) => byDay.get(d) || { date: d, aqi: null, level: null, category: null, primaryPollutants: [] });
  const option = baseOption();
  option.tooltip.formatter = (ps) => {
    const d = days[ps[0].dataIndex];
    return `${d.date}\nAQI ${d.aqi == null ? '—' : d.aqi} ${d.category || ''}${d.primaryPollutants.length ? `\n首要污染物 ${d.primaryPollutants.join('、')}` : ''}`;
  };
  option.xAxis = { type: 'category', data: days.map((d) => d.date.slice(5)) };
  option.yAxis = { type: 'value', min: 0, name: 'AQI', nameTextStyle: { align: 'left' } };
  option.series = [{
    type: 'bar', name: 'AQI', barCategoryGap: '8%',
    data: days.map((d) => ({ value: d.aqi, itemStyle: { color: d.level ? AQI_COLOURS[d.level] : '#ccc', borderColor: d.level === 2 ? '#c8b400' : undefined } })),
    markLine: { symbol: 'none', silent: true, label: { position: 'insideEndTop', formatter: 'AQI 100' }, lineStyle: { color: '#555', type: 'dashed' }, data: [{ yAxis: 100 }] },
  }];
  chart.setOption(option, true);
  const legend = [1, 2, 3, 4, 5, 6].map((l) => h('span', {}, h('i', { class: `a${l}` }), AQI_LEVELS[l]));
  legend.unshift(h('span', {}, `${station.name} 空气质量指数日报（HJ 633）${from} 至 ${to}`));
  return { kind: 'air', points: days.filter((d) => d.aqi != null).length, legend, error: r.errors ? errorText(r.errors) : '' };
}

async function drawOutlet(chart, station, lastAt, chosen, choose) {
  const from = new Date(Date.parse(lastAt) - 47 * 3600e3).toISOString();
  const r = await gql(OUTLET, { code: station.code, from });
  const obs = r.data && r.data.monitoringStation ? r.data.monitoringStation.observations.edges.map((e) => e.node) : [];
  const latest = new Map();
  for (const o of obs) if (!latest.has(o.parameter)) latest.set(o.parameter, o); // newest first
  const params = [...latest.keys()];
  const parameter = chosen && latest.has(chosen) ? chosen : params[0];
  const series = obs.filter((o) => o.parameter === parameter).reverse();
  const unit = series[0] ? series[0].unit : '';
  const label = `${PARAMETERS[parameter] || parameter || ''}`;
  const option = baseOption();
  option.tooltip.formatter = (ps) => `${new Date(ps[0].value[0]).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}\n${label} ${ps[0].value[1]} ${unit}`;
  option.xAxis = { type: 'time' };
  option.yAxis = { type: 'value', scale: true, name: `${label} (${unit})`, nameTextStyle: { align: 'left' } };
  option.series = [{ type: 'line', name: label, showSymbol: false, data: series.map((o) => [o.observedAt, Number(o.value)]) }];
  chart.setOption(option, true);
  const table = h('table', { 'data-latest': params.length },
    h('thead', {}, h('tr', {}, h('th', {}, '监测项目'), h('th', {}, '最新值'), h('th', {}, '单位'), h('th', {}, '时间'), h('th', {}, '数据标记'))),
    h('tbody', {}, params.map((p) => {
      const o = latest.get(p);
      return h('tr', { class: `selectable${p === parameter ? ' selected' : ''}`, 'data-parameter': p, onclick: () => choose(p) },
        h('td', {}, PARAMETERS[p] || p, ' ', h('code', {}, p)), h('td', { class: 'num' }, o.value), h('td', {}, o.unit),
        h('td', {}, new Date(o.observedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })), h('td', {}, o.flag));
    })));
  return {
    kind: 'outlet', points: series.length, error: r.errors ? errorText(r.errors) : '',
    legend: [h('div', {}, `${station.name}：${label} 最近 48 小时小时值；下表为各项目最新值（点选一行看其曲线，数据标记 N 为正常）`), table],
  };
}

// ---------------------------------------------------------------------------------------------

async function route() {
  const m = /^\/catalog\/resources\/(.+)$/.exec(location.pathname);
  app.setAttribute('aria-busy', 'true');
  try {
    if (m) await showResource(decodeURIComponent(m[1]));
    else await showBrowse(new URLSearchParams(location.search));
  } finally {
    app.setAttribute('aria-busy', 'false');
    if (!performance.getEntriesByName('portal-rendered').length) performance.mark('portal-rendered');
  }
}

(async () => {
  if (session.token) await loadMe();
  if (session.token && !session.me) signOut(false);
  renderSignin();
  await route();
})();
