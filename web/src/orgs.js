// The organization tree as the UI uses it: fetched once (GET /api/v1/orgs?tree=1, which the server
// limits to the caller's subtree) and kept until something changes it (invalidateOrgs after a
// rename or move). The server may answer nested nodes (`children` arrays) or a flat list with
// `parent` codes; both become the same nested form here:
//   { code, name, kind, parent, short_name, children: [...] }
// plus a `byCode` map for names and the 省直管 check.
import { api } from './api.js'

// The organization kinds of the schema (store/migrate.c); labels are i18n keys orgKinds.<kind>.
export const ORG_KINDS = ['province', 'city', 'county', 'department', 'group', 'lab', 'other', 'enterprise']

let pending = null

function itemsOf(data) {
	if (Array.isArray(data)) return data
	if (!data || typeof data !== 'object') return []
	if (Array.isArray(data.items)) return data.items
	if (Array.isArray(data.tree)) return data.tree
	if (data.root) return [data.root]
	if (data.code) return [data]
	return []
}

// Flatten whatever came (nested or flat) into plain nodes with parent codes.
function flatten(items, parent, out) {
	for (const it of items) {
		if (!it || !it.code) continue
		out.push({ ...it, parent: it.parent ?? parent ?? null, children: [] })
		if (Array.isArray(it.children)) flatten(it.children, it.code, out)
	}
	return out
}

export function buildTree(data) {
	const nodes = flatten(itemsOf(data), null, [])
	const byCode = new Map()
	for (const n of nodes) byCode.set(n.code, n)
	const roots = []
	for (const n of nodes) {
		const p = n.parent && byCode.get(n.parent)
		if (p) p.children.push(n)
		else roots.push(n)
	}
	// Governments first (cities, then the counties the province administers directly), then
	// departments, the leading group, laboratories, others; by code within a kind.
	const rank = (k) => {
		const i = ORG_KINDS.indexOf(k)
		return i < 0 ? ORG_KINDS.length : i
	}
	const order = (a, b) => rank(a.kind) - rank(b.kind) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
	for (const n of nodes) n.children.sort(order)
	roots.sort(order)
	return { roots, byCode }
}

// loadOrgs() resolves to { roots, byCode } (one request per page load unless invalidated).
export function loadOrgs(opts = {}) {
	if (!pending) {
		pending = api
			.get('/api/v1/orgs', { query: { tree: 1 }, ...opts })
			.then(buildTree)
			.catch((e) => {
				pending = null
				throw e
			})
	}
	return pending
}

export function invalidateOrgs() {
	pending = null
}

// The subtree of `code` (the node itself as the only root), or the whole forest when unknown.
export function subtree(tree, code) {
	const n = code && tree.byCode.get(code)
	return n ? [n] : tree.roots
}

// A county-level government directly administered by the province (省直管县): its parent is the
// province although its GB/T 2260 code lies under a city (巩义市 410181 under 郑州市 4101).
// Returns null when not, else { cityCode, cityName } of the city its code belongs to (if any).
export function directlyAdministered(node, tree) {
	if (!node || node.kind !== 'county' || !node.parent) return null
	const parent = tree.byCode.get(node.parent)
	if (!parent || parent.kind !== 'province') return null
	const cityCode = /^\d{6}$/.test(node.code) ? node.code.slice(0, 4) + '00' : null
	const city = cityCode && tree.byCode.get(cityCode)
	return { cityCode, cityName: city ? city.name : null }
}

