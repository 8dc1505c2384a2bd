// The signed-in user, shared by the router guard, the header's user menu and the pages.
//
// `auth.me` is GET /api/v1/me's answer ({username, display_name, org:{code,name,kind}, role,
// permissions:[...], csrf_token}) or null when nobody is signed in. The session itself is the
// HttpOnly cookie `zl_session`, which scripts cannot read: after a reload the UI asks /me again
// (loadMe), which also repeats the CSRF token. The token is kept in memory only (api.js).
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'
import { invalidateOrgs } from './orgs.js'

export const auth = reactive({
	me: null,
	// true once /me was asked (answered or refused), so the guard asks only once per page load.
	checked: false,
})

// The six roles of docs/permissions.md; the UI shows them by their i18n key roles.<id>.
export const ROLES = ['admin', 'officer', 'inspector', 'lab', 'enterprise', 'analyst']

function adopt(me, csrf) {
	// Cached data belongs to the previous user's subtree.
	invalidateOrgs()
	auth.me = me || null
	auth.checked = true
	setCsrfToken(csrf || (me && me.csrf_token) || null)
}

// loadMe() resolves to the user or null (no session). Other failures (network) reject.
export async function loadMe() {
	try {
		const me = await api.get('/api/v1/me', { quiet: true, noAuthRedirect: true })
		adopt(me)
	} catch (e) {
		if (e && e.status === 401) adopt(null)
		else throw e
	}
	return auth.me
}

// ensureMe(): the user, asking /me only the first time.
export async function ensureMe() {
	if (!auth.checked) await loadMe()
	return auth.me
}

// login(username, password) resolves to the user; rejects with the ApiError (401, 429 with
// retryAfter, ...) without a toast: the login page shows it.
export async function login(username, password) {
	const res = await api.post('/api/v1/session', { username, password }, { quiet: true, noAuthRedirect: true })
	adopt(res && res.user, res && res.csrf_token)
	return auth.me
}

// logout() ends the session on the server (best effort) and forgets the user here.
export async function logout() {
	try {
		await api.delete('/api/v1/session', { quiet: true, noAuthRedirect: true })
	} finally {
		adopt(null)
	}
}

// Forget the user without asking the server (after a 401: the session is already gone).
export function forget() {
	adopt(null)
}

// can(perm): whether the signed-in user holds a permission name from perms.def ("org.read").
// A module without a permission (`perm` undefined) is open to every signed-in user.
export function can(perm) {
	if (!perm) return true
	const p = auth.me && auth.me.permissions
	return Array.isArray(p) && p.includes(perm)
}
