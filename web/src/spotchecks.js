// Shared vocabulary of the spot-check pages (catalogue, plans): risk levels, enterprise classes,
// plan states and actions, sampling places, the default frequency matrix, and small helpers that
// read the API's answers (docs/spotchecks.md) into what the templates show. Texts are in
// src/i18n under `sc.*`.
import { api } from './api.js'
import { auth } from './auth.js'

// Product risk levels (产品分级), stored 1..3 and written "I", "II", "III" by the API.
export const RISKS = ['I', 'II', 'III']
export const RISK_NUMERALS = { I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ' }
export const RISK_TAGS = { I: 'danger', II: 'warning', III: 'info' }

// Enterprise classes of classified supervision (AQSIQ announcement 2012 No. 74).
export const CLASSES = ['AA', 'A', 'B', 'C']

// The default frequency matrix, mirroring zl_sc_freq_default (src/domain/spotcheck.c): class
// factors 1, 1.5, 2.5, 3.5 times risk factors 2, 1.5, 1. The server applies it to a plan that
// names none; the pages show it next to a plan's own weights.
export const DEFAULT_FREQ = {
	AA: { I: 2, II: 1.5, III: 1 },
	A: { I: 3, II: 2.25, III: 1.5 },
	B: { I: 5, II: 3.75, III: 2.5 },
	C: { I: 7, II: 5.25, III: 3.5 },
}
export const WEIGHT_MIN = 0.000001
export const WEIGHT_MAX = 1000000000

export const copyFreq = (f) => Object.fromEntries(CLASSES.map((c) => [c, { ...((f && f[c]) || DEFAULT_FREQ[c]) }]))

// A plan's life: draft -> submitted -> approved -> in_progress -> finished (return: back to draft).
export const STATUSES = ['draft', 'submitted', 'approved', 'in_progress', 'finished']
export const STATUS_TAGS = { draft: 'info', submitted: 'warning', approved: 'success', in_progress: 'primary', finished: 'info' }
export const ACTIONS = ['submit', 'approve', 'return', 'start', 'finish']
export const ACTION_TYPES = { submit: 'primary', approve: 'success', return: 'danger', start: 'primary', finish: 'success' }
export const KINDS = ['yearly', 'special']
export const LEVELS = ['province', 'city', 'county']
export const PLACE_TYPES = ['production', 'circulation', 'ecommerce']
export const SEVERITY_TAGS = { serious: 'danger', general: 'warning' }

// Whether the signed-in user works at provincial level: the government of their organization is
// the province (codes per docs/orgs.md: a government's own code, or RRRRRR-Xnnn for its bodies,
// RRRRRR being the government's; a province's code ends in 0000). The catalogue is kept, and plans
// are approved, at that level only (route scope "province"); the server decides, this only hides
// buttons the server would refuse.
export function provincialLevel() {
	const code = auth.me && auth.me.org && auth.me.org.code
	return /^\d{2}0000(-|$)/.test(code || '')
}

// Every row of a list endpoint (following next_cursor), for the catalogue's few hundred rows.
export async function fetchAll(path, query = {}, opts = {}) {
	const out = []
	let cursor
	for (let i = 0; i < 100; i++) {
		const res = await api.get(path, { query: { ...query, limit: 500, cursor }, quiet: true, ...opts })
		out.push(...((res && res.items) || []))
		cursor = res && res.next_cursor
		if (!cursor) break
	}
	return out
}

// Flat catalogue rows (with `parent`) nested into a tree by code: children sorted by code; a row
// whose parent is not among the rows (a filter left it out) is a root.
export function catTree(rows) {
	const by = new Map()
	for (const r of rows) by.set(r.code, { ...r, children: [] })
	const roots = []
	for (const n of by.values()) {
		const p = n.parent && by.get(n.parent)
		if (p) p.children.push(n)
		else roots.push(n)
	}
	const order = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
	for (const n of by.values()) n.children.sort(order)
	roots.sort(order)
	for (const n of by.values()) if (!n.children.length) delete n.children
	return roots
}

// "2014 起" / "2014-2016" / "" for a category's key-supervised years.
export function keyYears(t, c) {
	if (!c || !c.key_supervised) return ''
	if (c.key_from && c.key_to) return t('sc.cat.keyRange', { from: c.key_from, to: c.key_to })
	if (c.key_from) return t('sc.cat.keyFrom', { from: c.key_from })
	if (c.key_to) return t('sc.cat.keyUntil', { to: c.key_to })
	return t('sc.cat.keyAlways')
}

const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v))

// A test item's limit in words: "≥ 17.0", "≤ 0.06", "4.0 ~ 7.5", plus its text requirement.
export function limitText(it) {
	const lo = num(it.min)
	const hi = num(it.max)
	const parts = []
	if (lo !== null && hi !== null) parts.push(`${lo} ~ ${hi}`)
	else if (lo !== null) parts.push(`≥ ${lo}`)
	else if (hi !== null) parts.push(`≤ ${hi}`)
	if (it.text) parts.push(it.text)
	return parts.join('；')
}

// A standard as written: "GB 175-2007".
export const stdText = (s) => (s.year ? `${s.number}-${s.year}` : s.number)

// The GB/T 4754 division of an industry code ("C3011" -> "30"), for links to the register.
export const divisionOf = (code) => String(code || '').replace(/^[A-Z]/, '').slice(0, 2)

// A budget in fen as 万元 (zh) or yuan (en).
export function budgetText(locale, fen) {
	if (fen === null || fen === undefined) return '—'
	const yuan = fen / 100
	if (locale === 'en') return `¥${yuan.toLocaleString('en', { maximumFractionDigits: 2 })}`
	return `${(yuan / 10000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`
}

// Whether an error's field is `name` or lies under it ("products[0].quotas.410102" is under
// "products[0]" and "products[0].quotas").
export function fieldUnder(err, name) {
	const f = err && err.field
	if (!f) return false
	return f === name || f.startsWith(`${name}.`) || f.startsWith(`${name}[`)
}

// ---- the plan form (views/ScPlanNew.vue, views/ScPlanDetail.vue, components/ScPlanEditor.vue) ----

// A plan as the form edits it: POST's members, the budget in yuan, the places as one number per
// type with the way they are given, the quotas keyed by product then region, and the regions shown
// as columns (every region any product has a quota for, in code order, plus those added).
export function planModel(plan) {
	const p = plan || {}
	const places = Object.fromEntries(PLACE_TYPES.map((k) => [k, null]))
	let placesBy = 'share'
	for (const x of p.places || []) {
		if (x.batches) placesBy = 'batches'
		places[x.type] = x.share ?? x.batches ?? null
	}
	const regions = new Set()
	const products = (p.products || []).map((x) => {
		for (const r of Object.keys(x.quotas || {})) regions.add(r)
		return { code: x.code, name: x.name || '', risk: x.risk || '', status: x.status || 'active', lab: x.lab || '', quotas: { ...(x.quotas || {}) } }
	})
	return {
		title: p.title || '',
		year: p.year || null,
		kind: p.kind || 'yearly',
		org: p.org || '',
		budget_yuan: p.budget_fen === undefined || p.budget_fen === null ? null : p.budget_fen / 100,
		start: p.start || '',
		end: p.end || '',
		note: p.note || '',
		labs: (p.labs || []).map((l) => l.org),
		placesBy,
		places,
		products,
		regions: [...regions].sort(),
		frequency: copyFreq(p.frequency || DEFAULT_FREQ),
	}
}

const positive = (v) => v !== null && v !== undefined && v !== '' && Number(v) > 0

// The JSON body of POST / PATCH /api/v1/spotcheck-plans from the form's model: empty quota cells
// and places left out, the budget in whole fen.
export function planBody(m) {
	const body = {
		title: m.title.trim(),
		kind: m.kind,
		org: m.org,
		start: m.start,
		end: m.end,
		note: m.note.trim(),
		budget_fen: positive(m.budget_yuan) ? Math.round(Number(m.budget_yuan) * 100) : 0,
		labs: [...m.labs],
		places: PLACE_TYPES.filter((k) => positive(m.places[k])).map((k) => ({ type: k, [m.placesBy]: Math.round(Number(m.places[k])) })),
		products: m.products.map((x) => {
			const quotas = {}
			for (const r of m.regions) if (positive(x.quotas[r])) quotas[r] = Math.round(Number(x.quotas[r]))
			return x.lab ? { code: x.code, lab: x.lab, quotas } : { code: x.code, quotas }
		}),
		frequency: copyFreq(m.frequency),
	}
	if (m.year) body.year = Number(m.year)
	return body
}

// Batches of a product row, and of the whole model.
export const rowBatches = (m, x) => m.regions.reduce((s, r) => s + (positive(x.quotas[r]) ? Math.round(Number(x.quotas[r])) : 0), 0)
export const modelBatches = (m) => m.products.reduce((s, x) => s + rowBatches(m, x), 0)
