// Shared pieces of the browser tests (smoke.mjs, admin.mjs, ...): TAP-like reporting, launching
// Debian's chromium with playwright-core from web/node_modules, recording what went wrong in a
// page (console errors, page errors, failed requests, HTTP 4xx/5xx, CSP violations) with a
// precise allow-list for the responses a test provokes on purpose, and signing in through the UI, picking from a tree select.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repo = path.resolve(here, '../../..')
const require = createRequire(path.join(repo, 'web/package.json'))
const { chromium } = require('playwright-core')

export const BASE = (process.env.ZL_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
export const EXECUTABLE = process.env.ZL_CHROMIUM || '/usr/bin/chromium'
export const TIMEOUT = 15000

let n = 0
let passed = 0
let failed = 0
export function report(name, err) {
	n++
	if (!err) {
		passed++
		console.log(`ok ${n} - ${name}`)
	} else {
		failed++
		const reason = String((err && err.message) || err).split('\n')[0]
		console.log(`not ok ${n} - ${name}: ${reason}`)
	}
}
export async function check(name, fn) {
	try {
		await fn()
		report(name)
		return true
	} catch (e) {
		report(name, e)
		return false
	}
}
export function assert(cond, msg) {
	if (!cond) throw new Error(msg)
}
// The final line and the exit status.
export function finish() {
	console.log(`${passed} passed, ${failed} failed`)
	process.exit(failed ? 1 : 0)
}

// Whether the server answers at all (without it every browser check would only time out).
export async function reachable() {
	try {
		await fetch(`${BASE}/`)
		return true
	} catch (e) {
		report(`server reachable at ${BASE}`, e.cause || e)
		return false
	}
}

export async function launch() {
	// playwright-core creates a fresh temporary profile (user data dir) for every launch() and
	// removes it on close; it refuses a --user-data-dir argument here by design.
	return chromium.launch({
		executablePath: EXECUTABLE,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	})
}

// What a test that signs in needs before its checks: the administrator's password given, the
// server answering and chromium launched. Resolves to the browser, or to null once the reason is
// reported as a failed check.
export async function start(adminPassword) {
	if (!adminPassword) {
		report('ZL_ADMIN_PASSWORD is set', new Error('set ZL_ADMIN_USER / ZL_ADMIN_PASSWORD to the demo admin'))
		return null
	}
	if (!(await reachable())) return null
	try {
		return await launch()
	} catch (e) {
		report('launch chromium', e)
		return null
	}
}

// A new context whose pages record CSP violations (window.__zlCsp).
export async function newContext(browser, opts = {}) {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...opts })
	await context.addInitScript(() => {
		window.__zlCsp = []
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__zlCsp.push(`${e.violatedDirective} ${e.blockedURI}`)
		})
	})
	return context
}

// watch(page, problems, expected): push every problem of `page` into `problems`, except HTTP
// responses for which expected({ method, url: URL, status }) is true (and the console line
// chromium prints for exactly those responses: "Failed to load resource ... status of N").
export function watch(page, problems, expected = () => false) {
	const allowed = [] // {url, status} of the expected responses seen so far
	page.on('response', (r) => {
		const st = r.status()
		if (st < 400) return
		const info = { method: r.request().method(), url: new URL(r.url()), status: st }
		if (expected(info)) allowed.push({ url: r.url(), status: st })
		else problems.push(`HTTP ${st}: ${info.method} ${r.url()}`)
	})
	page.on('console', (m) => {
		if (m.type() !== 'error') return
		const text = m.text()
		const loc = m.location() && m.location().url
		const mt = /Failed to load resource: the server responded with a status of (\d+)/.exec(text)
		if (mt && loc && allowed.some((a) => a.url === loc && String(a.status) === mt[1])) return
		problems.push(`console error: ${text}${loc ? ` (${loc})` : ''}`)
	})
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
	page.on('requestfailed', (r) => {
		// A download link answered with an attachment is reported as aborted: not a failure.
		const why = r.failure() ? r.failure().errorText : ''
		problems.push(`request failed: ${r.method()} ${r.url()} ${why}`)
	})
}

// The anonymous probe every fresh page load makes: GET /api/v1/me answering 401.
export const anonymousMe = ({ method, url, status }) =>
	method === 'GET' && url.pathname === '/api/v1/me' && status === 401

// The native input of an <el-input data-testid="ID"> (Element Plus puts the attribute on the
// input or on its wrapper depending on the version).
export function field(page, id) {
	return page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first()
}

// Choose the node whose text contains `text` in the <el-tree-select data-testid=TESTID>
// (typing it filters the tree first).
export async function pickTreeSelect(page, testid, text) {
	await page.locator(`[data-testid="${testid}"]`).first().click()
	await page.keyboard.type(text)
	await page.locator('.el-select-dropdown:visible .el-tree-node__content').filter({ hasText: text }).first().click()
}

// Sign in through the login page; resolves when the staff layout shows the user menu.
export async function login(page, username, password, { goto = true } = {}) {
	if (goto) await page.goto(`${BASE}/#/login`, { waitUntil: 'load' })
	await page.waitForSelector('[data-testid="login-form"]')
	await field(page, 'login-username').fill(username)
	await field(page, 'login-password').fill(password)
	await page.locator('[data-testid="login-submit"]').click()
	await page.waitForSelector('[data-testid="user-menu"]')
}

// Sign out through the user menu; resolves on the login page.
export async function logout(page) {
	await page.locator('[data-testid="user-menu"]').click()
	await page.locator('[data-testid="logout"]').click()
	await page.waitForSelector('[data-testid="login-form"]')
}

// A request with the page's session (and CSRF token for writes); resolves to {status, body}.
export async function call(page, method, p, body) {
	return page.evaluate(
		async ([m, u, b]) => {
			const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json()
			const r = await fetch(u, {
				method: m,
				credentials: 'same-origin',
				headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
				body: b === undefined ? undefined : JSON.stringify(b),
			})
			return { status: r.status, body: await r.json().catch(() => null) }
		},
		[method, p, body],
	)
}

// CSP violations recorded in the page plus the problems collected by watch().
export async function allProblems(page, problems) {
	const csp = await page.evaluate(() => window.__zlCsp || []).catch(() => [])
	return problems.concat(csp.map((v) => `CSP violation: ${v}`))
}

// A PNG of the page in $ZL_SCREENSHOTS/NAME.png when that is set (after transitions end).
// { fullPage: true } takes the whole page rather than the window.
export async function shot(page, name, { fullPage = false } = {}) {
	const dir = process.env.ZL_SCREENSHOTS || ''
	if (!dir) return
	fs.mkdirSync(dir, { recursive: true })
	await page.waitForTimeout(500)
	await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage })
}

// Type a date into an <el-date-picker> inside [data-testid=ID]; Enter takes it and closes the
// panel (Escape would close the dialog around it).
export async function fillDate(page, id, value) {
	const input = field(page, id)
	await input.click()
	await input.fill(value)
	await input.press('Enter')
	await page.waitForFunction(
		([i, v]) => (document.querySelector(`[data-testid="${i}"] input`) || {}).value === v,
		[id, value],
	)
}

// Choose the option whose text contains `text` in the filterable <el-select data-testid=TESTID>
// (the text typed into its filter first); a multiple select stays open, and the next call
// replaces the filter text.
export async function pickSelect(page, testid, text) {
	const select = page.locator(`[data-testid="${testid}"]`).first()
	if (!(await page.locator('.el-select-dropdown:visible').count())) await select.click()
	await select.locator('input').first().fill(text)
	await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first().click()
}

// Set the <el-input-number data-testid=ID> to `value` (Tab commits it).
export async function fillNumber(page, id, value) {
	const input = field(page, id)
	await input.fill(String(value))
	await input.press('Tab')
}
