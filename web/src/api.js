// The one way the UI talks to the Zhiliang API.
//
// Requests and responses are JSON, cookies go same-origin only (the HttpOnly session cookie
// `zl_session`). Every failure becomes an ApiError carrying the server's error body
// {"error":{"code","message","field"}} (or a synthetic code for network and parse failures) and,
// unless the caller passes `quiet: true` because it shows the error itself, a message toast.
// State-changing requests (POST/PUT/PATCH/DELETE) carry the CSRF token in `X-CSRF-Token`: the
// token comes from the login response or GET /api/v1/me and is kept in memory only
// (setCsrfToken; auth.js does that). A 401 on any request other than those that pass
// `noAuthRedirect` calls the handler set with onUnauthorized (the router sends the user to the
// login page, remembering where they were). A 429 carries the Retry-After seconds in
// ApiError.retryAfter.
import { ElMessage } from 'element-plus'
import { i18n } from './i18n/index.js'

let csrf = null
let unauthorized = null

// setCsrfToken(token|null): the session's CSRF token (memory only: never in storage).
export function setCsrfToken(token) {
	csrf = token || null
}

// onUnauthorized(fn): fn(err) runs when a request answers 401 (session missing or expired).
export function onUnauthorized(fn) {
	unauthorized = fn
}

export class ApiError extends Error {
	constructor({ status = 0, code = 'error', message = '', field = null, retryAfter = null } = {}) {
		super(message || code)
		this.name = 'ApiError'
		this.status = status
		this.code = code
		this.field = field
		this.retryAfter = retryAfter
	}
}

function show(err) {
	const text = err.field ? `${err.message} (${i18n.t('errors.field', { field: err.field })})` : err.message
	ElMessage({ type: 'error', message: text, grouping: true, showClose: true })
}

// withQuery(path, query): path plus the query string of the non-empty members of `query`.
export function withQuery(path, query) {
	let url = path
	if (query) {
		const qs = new URLSearchParams()
		for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.append(k, v)
		const s = qs.toString()
		if (s) url += (url.includes('?') ? '&' : '?') + s
	}
	return url
}

// request(method, path, { body, query, signal, quiet, noAuthRedirect }) resolves to the decoded
// JSON body (null for 204) or rejects with an ApiError.
export async function request(method, path, { body, query, signal, quiet = false, noAuthRedirect = false } = {}) {
	const url = withQuery(path, query)
	const headers = { Accept: 'application/json' }
	const init = { method, headers, credentials: 'same-origin', signal }
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json'
		init.body = JSON.stringify(body)
	}
	if (method !== 'GET' && method !== 'HEAD') {
		if (csrf) headers['X-CSRF-Token'] = csrf
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
		const ra = parseInt(res.headers.get('Retry-After') || '', 10)
		const err = new ApiError({
			status: res.status,
			code: e.code || `http_${res.status}`,
			message: e.message || i18n.t('errors.http', { status: res.status }),
			field: e.field || null,
			retryAfter: Number.isFinite(ra) ? ra : null,
		})
		if (res.status === 401 && !noAuthRedirect && unauthorized) {
			// The session ended (expiry, logout elsewhere): the login page says so, no toast.
			unauthorized(err)
			throw err
		}
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

// exportUrl(path, query, format): the address of a list's CSV or xlsx export with the same
// filters (a plain link: the browser sends the session cookie and saves the attachment). The
// header row follows the UI language (lang=en).
export function exportUrl(path, query, format) {
	const q = { ...query, format }
	if (i18n.locale.value === 'en') q.lang = 'en'
	delete q.cursor
	delete q.limit
	return withQuery(path, q)
}

// upload(path, file, { query, onProgress, contentType }) sends a file as the raw request body
// with XMLHttpRequest (fetch has no upload progress), the session cookie and the CSRF token.
// onProgress(fraction 0..1) follows the upload. Resolves to the decoded JSON answer; rejects with
// an ApiError (no toast: the import page shows it). A 401 goes through onUnauthorized like any
// request.
export function upload(path, file, { query, onProgress, contentType } = {}) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest()
		xhr.open('POST', withQuery(path, query))
		xhr.withCredentials = true
		xhr.setRequestHeader('Accept', 'application/json')
		xhr.setRequestHeader('Content-Type', contentType || file.type || 'application/octet-stream')
		if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf)
		if (onProgress) {
			xhr.upload.onprogress = (e) => {
				if (e.lengthComputable && e.total) onProgress(e.loaded / e.total)
			}
		}
		xhr.onerror = () => reject(new ApiError({ code: 'network', message: i18n.t('errors.network') }))
		xhr.onload = () => {
			let data
			try {
				data = xhr.responseText ? JSON.parse(xhr.responseText) : null
			} catch {
				data = undefined
			}
			if (xhr.status >= 200 && xhr.status < 300 && data !== undefined) return resolve(data)
			const e = data && data.error ? data.error : {}
			const ra = parseInt(xhr.getResponseHeader('Retry-After') || '', 10)
			const err = new ApiError({
				status: xhr.status,
				code: e.code || (data === undefined && xhr.status < 300 ? 'bad_json' : `http_${xhr.status}`),
				message: e.message || (data === undefined && xhr.status < 300 ? i18n.t('errors.badJson') : i18n.t('errors.http', { status: xhr.status })),
				field: e.field || null,
				retryAfter: Number.isFinite(ra) ? ra : null,
			})
			// Some import answers carry the report with the error status (atomic import refused).
			err.body = data
			if (xhr.status === 401 && unauthorized) unauthorized(err)
			reject(err)
		}
		xhr.send(file)
	})
}
