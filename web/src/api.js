// The one way the UI talks to the Zhiliang API.
//
// Requests and responses are JSON, cookies go same-origin only (the session cookie of the
// identity module, later). Every failure becomes an ApiError carrying the server's error body
// {"error":{"code","message","field"}} (or a synthetic code for network and parse failures) and,
// unless the caller passes `quiet: true` because it shows the error itself, a message toast.
// State-changing requests carry the CSRF token from the `zl_csrf` cookie in `X-CSRF-Token`
// once the server issues one.
import { ElMessage } from 'element-plus'
import { i18n } from './i18n/index.js'

export class ApiError extends Error {
	constructor({ status = 0, code = 'error', message = '', field = null } = {}) {
		super(message || code)
		this.name = 'ApiError'
		this.status = status
		this.code = code
		this.field = field
	}
}

function csrfToken() {
	const m = document.cookie.match(/(?:^|;\s*)zl_csrf=([^;]+)/)
	return m ? decodeURIComponent(m[1]) : null
}

function show(err) {
	const text = err.field ? `${err.message} (${i18n.t('errors.field', { field: err.field })})` : err.message
	ElMessage({ type: 'error', message: text, grouping: true, showClose: true })
}

// request(method, path, { body, query, signal, quiet }) resolves to the decoded JSON body
// (null for 204) or rejects with an ApiError.
export async function request(method, path, { body, query, signal, quiet = false } = {}) {
	let url = path
	if (query) {
		const qs = new URLSearchParams()
		for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) qs.append(k, v)
		const s = qs.toString()
		if (s) url += (url.includes('?') ? '&' : '?') + s
	}
	const headers = { Accept: 'application/json' }
	const init = { method, headers, credentials: 'same-origin', signal }
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json'
		init.body = JSON.stringify(body)
	}
	if (method !== 'GET' && method !== 'HEAD') {
		const token = csrfToken()
		if (token) headers['X-CSRF-Token'] = token
	}

	let res
	try {
		res = await fetch(url, init)
	} catch (e) {
		if (e && e.name === 'AbortError') throw e
		const err = new ApiError({ code: 'network', message: i18n.t('errors.network') })
		if (!quiet) show(err)
		throw err
	}

	if (res.status === 204) return null
	const text = await res.text()
	let data = null
	if (text) {
		try {
			data = JSON.parse(text)
		} catch {
			data = undefined
		}
	}
	if (!res.ok) {
		const e = data && data.error ? data.error : {}
		const err = new ApiError({
			status: res.status,
			code: e.code || `http_${res.status}`,
			message: e.message || i18n.t('errors.http', { status: res.status }),
			field: e.field || null,
		})
		if (!quiet) show(err)
		throw err
	}
	if (data === undefined) {
		const err = new ApiError({ status: res.status, code: 'bad_json', message: i18n.t('errors.badJson') })
		if (!quiet) show(err)
		throw err
	}
	return data
}

export const api = {
	get: (path, opts) => request('GET', path, opts),
	post: (path, body, opts) => request('POST', path, { ...opts, body }),
	put: (path, body, opts) => request('PUT', path, { ...opts, body }),
	patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
	delete: (path, opts) => request('DELETE', path, opts),
}

// GET /api/v1/overview: {version, backend, schema_version, counts: {name: number}}.
export const getOverview = (opts) => api.get('/api/v1/overview', opts)
