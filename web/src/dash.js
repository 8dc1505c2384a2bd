// Shared pieces of the quality dashboard (质量状况, views/Quality.vue, issue 7 item 5): the
// statistics API's address and query (GET /api/v1/spotchecks/stats, docs/dashboard.md), the
// filters the page keeps in its route query, number formats, the xlsx export address of a chart,
// and the drill-down: the route of the inspection list (views/Inspections.vue) with the same
// filters, so that any number opens the inspections behind it.
import { api, exportUrl } from './api.js'
import './i18n/dash.js'

export const STATS = '/api/v1/spotchecks/stats'

// The filters of the page, in its route query: a year or a quarter range, a product (catalogue
// code: the subtree), plan level, enterprise size, sampling place; `city` is the city-level unit
// chosen on the map (GB/T 2260 code).
export const FILTER_KEYS = ['year', 'from', 'to', 'product', 'level', 'size', 'place', 'city']
export const LEVELS = ['national', 'province', 'city', 'county']
export const SIZES = ['large', 'medium', 'small', 'micro']
export const PLACES = ['production', 'circulation', 'ecommerce']
export const FIRST_YEAR = 2010

// The years and quarters the selects offer (the demo's history starts in 2010).
export function years(now = new Date()) {
	const out = []
	for (let y = now.getFullYear(); y >= FIRST_YEAR; y--) out.push(String(y))
	return out
}
export function quarters(now = new Date()) {
	const out = []
	for (const y of years(now)) for (let q = 4; q >= 1; q--) out.push(`${y}Q${q}`)
	return out
}

// The statistics' filters of the page's filter (the city is applied per chart).
export function statsFilter(f) {
	const q = {}
	if (f.year) q.year = f.year
	else {
		if (f.from) q.from = f.from
		if (f.to) q.to = f.to
	}
	for (const k of ['product', 'level', 'size', 'place']) if (f[k]) q[k] = f[k]
	return q
}

// GET the groups of `by` (one or two dimensions, "region,quarter") with the filter `q`.
export const fetchStats = (by, q, opts = {}) => api.get(STATS, { ...opts, query: { ...q, by }, quiet: true })

// The xlsx export of a chart: the stats route's format=xlsx with the same query.
export const statsXlsx = (by, q) => exportUrl(STATS, { ...q, by }, 'xlsx')

// The route of the inspections behind a number: the same filters, counted batches only, and
// `extra` (region, a quarter as from=to, product, result=fail for the failures).
export function drillRoute(q, extra = {}) {
	const query = { view: 'all', counted: '1', ...q, ...extra }
	if (query.result) delete query.counted
	if (extra.from || extra.to) delete query.year
	for (const k of Object.keys(query)) if (query[k] === '' || query[k] == null) delete query[k]
	return { name: 'inspections', query }
}

const pct = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const num = new Intl.NumberFormat('en-US')
// A rate 0..1 as "93.4%" ("—" when absent).
export const fmtRate = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${pct.format(x * 100)}%` : '—')
export const fmtNum = (x) => (typeof x === 'number' && Number.isFinite(x) ? num.format(x) : '—')
// An interval as "91.2–95.1%".
export const fmtCi = (lo, hi) =>
	typeof lo === 'number' && typeof hi === 'number' ? `${pct.format(lo * 100)}–${pct.format(hi * 100)}%` : '—'

// The name of a group's key in dimension `dim`: the server's name for it when it gives one.
export function keyName(g, dim) {
	const code = g.key && g.key[dim]
	return g[`${dim}_name`] || g.name || code || ''
}
