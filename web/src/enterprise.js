// Shared vocabulary of the enterprise pages (register list, detail, import, public lookup): the
// Henan regions and manufacturing divisions offered as filters, the enums of the register and the
// credit archive (their texts are in src/i18n under `ent.*`), and small normalisers that read
// the API's answers (GET /api/v1/enterprises, .../{uscc}, count=, the public lookup) into one
// shape for the templates.

// The 18 省辖市 of Henan (GB/T 2260; 济源 is 419001) and the counties the province administers
// directly (their codes stay under their city: a filter on the city includes them).
export const CITIES = [
	'410100', '410200', '410300', '410400', '410500', '410600', '410700', '410800', '410900',
	'411000', '411100', '411200', '411300', '411400', '411500', '411600', '411700', '419001',
]
export const DIRECT_COUNTIES = ['410181', '410225', '410482', '410526', '410783', '411381', '411481', '411525', '411628', '411729']

// GB/T 4754-2017 manufacturing divisions (section C): the register's demo data and most
// quality supervision concern them. Other codes are shown as they come.
export const DIVISIONS = Array.from({ length: 31 }, (_, i) => String(13 + i))

export const STATUSES = ['operating', 'revoked', 'cancelled']
export const SIZES = ['large', 'medium', 'small', 'micro']
export const CERT_KINDS = [
	'iso9001', 'ccc', 'production_licence', 'pollution_free', 'green_food', 'organic',
	'geo_indication', 'energy_saving', 'low_carbon',
]
export const AWARD_KINDS = ['famous_brand', 'well_known_mark', 'time_honoured', 'governor_quality_award']
export const EVENT_KINDS = ['spot_check', 'penalty', 'recall', 'complaint', 'accident', 'interview', 'award', 'certification']
export const POLARITIES = ['positive', 'negative', 'neutral']

// The defaults of each kind and subkind of credit event, mirroring src/domain/credit_rules.def
// (the server applies them; the dialog only shows what will happen): [subkind, polarity,
// visibility, public months (0 = no limit)]. The first subkind of a kind is its default.
export const EVENT_RULES = {
	spot_check: [['failed', 'negative', 'public', 60], ['passed', 'positive', 'public', 0]],
	penalty: [['major', 'negative', 'public', 36], ['minor', 'negative', 'public', 3]],
	recall: [['ordered', 'negative', 'public', 60], ['voluntary', 'neutral', 'public', 60]],
	complaint: [['upheld', 'negative', 'internal', 60]],
	accident: [['reported', 'negative', 'internal', 60]],
	interview: [['safety', 'negative', 'internal', 60]],
	award: [['granted', 'positive', 'public', 0]],
	certification: [['gained', 'positive', 'public', 0], ['revoked', 'negative', 'public', 60]],
}
export function eventRule(kind, subkind) {
	const rows = EVENT_RULES[kind] || []
	const r = rows.find((x) => x[0] === subkind) || rows[0]
	return r ? { subkind: r[0], polarity: r[1], visibility: r[2], months: r[3] } : null
}

// A 18-character unified social credit code (shape only: the server checks the check digits).
export const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

// The city a GB/T 2260 county code belongs to (济源's 4190xx stay 419001).
export function cityOf(code) {
	const c = String(code || '')
	if (!/^\d{6}$/.test(c)) return ''
	if (c.startsWith('4190')) return '419001'
	return `${c.slice(0, 4)}00`
}

// A translated label when the dictionary has one, else the fallback (the server's name) or the code.
export function label(t, te, key, fallback) {
	return te(key) ? t(key) : fallback || ''
}

// regionText(t, te, code, name): "郑州市" for 410100, "郑州市 中原区" for a district (the server's
// name prefixed by its city's), "巩义市" for a county the province administers directly, the code
// when nothing better is known.
export function regionText(t, te, code, name) {
	if (!code) return name || ''
	if (te(`ent.regions.${code}`)) return t(`ent.regions.${code}`)
	const city = cityOf(code)
	const cityName = city && city !== code && te(`ent.regions.${city}`) ? t(`ent.regions.${city}`) : ''
	if (name) return cityName ? `${cityName} ${name}` : name
	return cityName ? `${cityName} ${code}` : code
}

// industryText(t, te, code, name, locale): the division's name from the dictionary for a
// two-digit code or in English (the server's names are Chinese), else the server's name of the
// class, else the code.
export function industryText(t, te, code, name, locale) {
	if (!code) return name || ''
	const div = String(code).replace(/^[A-Z]/, '').slice(0, 2)
	const known = te(`ent.divisions.${div}`)
	if (known && (String(code).length <= 2 || locale === 'en' || !name)) return t(`ent.divisions.${div}`)
	return name || String(code)
}

// The buckets of a count= answer, whatever it is called: [{key, name, count}]. Accepts
// {"buckets"|"items"|"results"|"counts": [{key|term|value|code, name?, count|n}]} or an object
// {key: count}. A missing value is key '' (null, "", "missing").
export function buckets(res) {
	if (!res) return []
	const list = res.buckets || res.items || res.results || res.counts || res
	const out = []
	if (Array.isArray(list)) {
		for (const b of list) {
			if (!b || typeof b !== 'object') continue
			const key = b.key ?? b.term ?? b.value ?? b.code ?? b.region ?? b.industry ?? b.status ?? null
			const count = Number(b.count ?? b.n ?? b.total ?? 0)
			out.push({ key: key == null ? '' : String(key), name: b.name || b.label || '', count })
		}
	} else if (list && typeof list === 'object') {
		for (const [k, v] of Object.entries(list)) if (typeof v === 'number') out.push({ key: k === 'null' ? '' : k, name: '', count: v })
	}
	return out
}

const arr = (v) => (Array.isArray(v) ? v : [])

// One credit event in one shape.
export function normEvent(ev) {
	return {
		id: ev.id ?? `${ev.event_date}-${ev.title}`,
		kind: ev.kind || '',
		subkind: ev.subkind || '',
		polarity: ev.polarity || 'neutral',
		date: ev.event_date || ev.date || '',
		source: ev.source_org_name || ev.source_org || ev.source || '',
		doc: ev.doc_no || ev.document_no || '',
		title: ev.title || '',
		detail: ev.detail || '',
		visibility: ev.visibility || 'public',
		publicUntil: ev.public_until || '',
		// Whether the event shows publicly today (the server says so; older answers may not).
		public: typeof ev.public === 'boolean' ? ev.public : null,
	}
}

// An enterprise from GET /api/v1/enterprises/{uscc} (or the public lookup) in one shape. Former
// names may be strings or {name, valid_to}; the chief quality officer flat (cqo_name) or nested
// ({cqo: {name, appointed}}); the archive `credit_events`, `archive` or `events`.
export function normEnterprise(e) {
	const cqo = e.cqo || e.chief_quality_officer || {}
	const archive = e.credit_events || e.archive || e.events || []
	return {
		...e,
		formerNames: arr(e.former_names).map((f) => (typeof f === 'string' ? { name: f, valid_to: '' } : f)),
		certs: arr(e.certifications || e.certs),
		awards: arr(e.awards),
		cqoName: e.cqo_name || cqo.name || '',
		cqoAppointed: e.cqo_appointed || cqo.appointed || cqo.appointed_on || '',
		events: arr(Array.isArray(archive) ? archive : archive.items).map(normEvent),
	}
}

// Newest first, then by id.
export function sortEvents(events) {
	return [...events].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
}

export const statusTag = (s) => ({ operating: 'success', revoked: 'danger', cancelled: 'info' })[s] || 'info'
export const polarityTag = (p) => ({ positive: 'success', negative: 'danger' })[p] || 'info'
