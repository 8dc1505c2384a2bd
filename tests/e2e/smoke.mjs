// Browser smoke test of the Zhiliang web UI.
//
// Drives Debian's chromium (headless) with playwright-core from web/node_modules against a running
// server (ZL_BASE_URL, default http://127.0.0.1:8080) and checks that the shell renders: the title,
// the dashboard counts equal to what GET /api/v1/overview returns, the module navigation, the
// "under construction" module pages, the English switch, the login page's "not yet" state, the
// public portal, and that nothing went wrong on the way: no console errors, no uncaught page
// errors, no failed or 4xx/5xx requests and no Content-Security-Policy violations.
//
// Output: one `ok N - name` or `not ok N - name: reason` line per check, then exactly one final
// line `N passed, N failed`; the exit status is 1 when any check failed.
// Environment: ZL_BASE_URL, ZL_CHROMIUM (default /usr/bin/chromium), ZL_SCREENSHOT=1 to save the
// zh-CN dashboard at 1440x900 to docs/screenshot.png.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import fs from 'node:fs'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
const require = createRequire(path.join(repo, 'web/package.json'))
const { chromium } = require('playwright-core')

const BASE = (process.env.ZL_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const EXECUTABLE = process.env.ZL_CHROMIUM || '/usr/bin/chromium'
const SCREENSHOT = process.env.ZL_SCREENSHOT === '1'
const TIMEOUT = 15000

// The modules the navigation must list (zh-CN and English titles, from src/i18n).
const MODULES = [
	['dashboard', '首页概况', 'Overview'],
	['plans', '计划督办', 'Plan tracking'],
	['enterprises', '企业档案', 'Enterprise register'],
	['spotChecks', '监督抽查', 'Spot checks'],
	['results', '抽查结果', 'Check results'],
	['classified', '分类监管', 'Classified supervision'],
	['credit', '信用分级与红黑榜', 'Credit & red/black lists'],
	['risk', '风险监测', 'Risk monitoring'],
	['recalls', '缺陷产品召回', 'Recalls'],
	['equipment', '特种设备', 'Special equipment'],
	['statistics', '质量统计', 'Quality statistics'],
	['assessment', '质量工作考核', 'Assessment'],
	['system', '系统管理', 'Administration'],
	['organizations', '组织机构', 'Organizations'],
	['users', '用户与权限', 'Users & roles'],
	['audit', '审计日志', 'Audit log'],
	['public', '公开查询', 'Public portal'],
]
const ZH_COUNT_LABELS = { regions: '行政区划', industries: '国民经济行业分类', enterprises: '企业' }

let n = 0
let passed = 0
let failed = 0
function report(name, err) {
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
async function check(name, fn) {
	try {
		await fn()
		report(name)
	} catch (e) {
		report(name, e)
	}
}
function assert(cond, msg) {
	if (!cond) throw new Error(msg)
}
const digits = (s) => (s || '').replace(/[^\d-]/g, '')

// Every key of one dictionary must exist in the other (a gap would show a raw key on screen).
async function checkDictionaries() {
	const flat = (o, pre = '') =>
		Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, `${pre}${k}.`) : [`${pre}${k}`]))
	const zh = flat((await import(path.join(repo, 'web/src/i18n/zh-CN.js'))).default)
	const en = flat((await import(path.join(repo, 'web/src/i18n/en.js'))).default)
	const onlyZh = zh.filter((k) => !en.includes(k))
	const onlyEn = en.filter((k) => !zh.includes(k))
	assert(onlyZh.length === 0, `missing in en: ${onlyZh.join(', ')}`)
	assert(onlyEn.length === 0, `missing in zh-CN: ${onlyEn.join(', ')}`)
}

async function main() {
	await check('zh-CN and en dictionaries have the same keys', checkDictionaries)

	// Without a server every browser check would only time out; say so once instead.
	try {
		await fetch(`${BASE}/`)
	} catch (e) {
		report(`server reachable at ${BASE}`, e.cause || e)
		return
	}

	let browser
	try {
		// playwright-core creates a fresh temporary profile (user data dir) for every launch() and
		// removes it on close; it refuses a --user-data-dir argument here by design.
		browser = await chromium.launch({
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
	} catch (e) {
		report('launch chromium', e)
		return
	}

	const problems = []
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
		// Record CSP violations from inside the page as well (console messages cover most, this
		// catches every kind, including ones reported without a console line).
		await context.addInitScript(() => {
			window.__zlCsp = []
			document.addEventListener('securitypolicyviolation', (e) => {
				window.__zlCsp.push(`${e.violatedDirective} ${e.blockedURI}`)
			})
		})
		const page = await context.newPage()
		page.setDefaultTimeout(TIMEOUT)
		page.on('console', (m) => {
			if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
		})
		page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
		page.on('requestfailed', (r) => {
			problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure() ? r.failure().errorText : ''}`)
		})
		page.on('response', (r) => {
			if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`)
		})

		let overview = null
		await check('GET /api/v1/overview answers JSON with counts', async () => {
			const res = await fetch(`${BASE}/api/v1/overview`)
			assert(res.ok, `status ${res.status}`)
			overview = await res.json()
			assert(overview && typeof overview.counts === 'object', 'no counts object')
			assert(Object.keys(overview.counts).length > 0, 'counts is empty')
		})

		await check('page title', async () => {
			await page.goto(`${BASE}/`, { waitUntil: 'load' })
			const title = await page.title()
			assert(title === '质量治理平台 Zhiliang', `title is ${JSON.stringify(title)}`)
			const lang = await page.getAttribute('html', 'lang')
			assert(lang === 'zh-CN', `html lang is ${lang}`)
		})

		await check('dashboard shows the overview counts', async () => {
			assert(overview, 'no overview from the API')
			await page.waitForSelector('[data-testid="counts"]')
			const keys = Object.keys(overview.counts)
			const cards = await page.$$('[data-count-key]')
			assert(cards.length === keys.length, `${cards.length} cards for ${keys.length} counts`)
			for (const key of keys) {
				const card = page.locator(`[data-testid="count-${key}"]`)
				assert((await card.count()) === 1, `no card for ${key}`)
				const shown = digits(await card.locator('.el-statistic__content').innerText())
				assert(shown === String(overview.counts[key]), `${key}: shows ${shown}, API says ${overview.counts[key]}`)
				const head = (await card.locator('.el-statistic__head').innerText()).trim()
				const want = ZH_COUNT_LABELS[key]
				if (want) assert(head === want, `${key}: label ${JSON.stringify(head)}, want ${want}`)
				assert(head.length > 0, `${key}: empty label`)
			}
		})

		await check('dashboard shows backend and schema version', async () => {
			const backend = await page.locator('[data-testid="backend"]').innerText()
			const want = { sqlite: 'SQLite', postgres: 'PostgreSQL' }[overview.backend] || overview.backend
			assert(backend.includes(want), `backend shows ${JSON.stringify(backend)}`)
			const schema = await page.locator('[data-testid="schema-version"]').innerText()
			assert(schema.trim() === String(overview.schema_version), `schema shows ${schema}`)
			const version = await page.locator('[data-testid="version"]').innerText()
			assert(version.trim() === String(overview.version), `version shows ${version}`)
		})

		await check('dashboard draws the counts chart', async () => {
			const canvas = page.locator('[data-testid="counts-chart"] canvas').first()
			await canvas.waitFor({ state: 'visible' })
			const box = await canvas.boundingBox()
			assert(box && box.width > 300 && box.height > 200, `canvas box ${JSON.stringify(box)}`)
		})

		if (SCREENSHOT) {
			await check('screenshot saved to docs/screenshot.png', async () => {
				await page.waitForTimeout(1200) // let the bar animation finish
				const out = path.join(repo, 'docs/screenshot.png')
				fs.mkdirSync(path.dirname(out), { recursive: true })
				await page.screenshot({ path: out })
				assert(fs.statSync(out).size > 10000, 'screenshot is suspiciously small')
			})
		}

		await check('navigation lists the modules', async () => {
			const nav = page.locator('[data-testid="main-nav"]')
			for (const [key, zh] of MODULES) {
				const item = nav.locator(`[data-module="${key}"]`)
				assert((await item.count()) >= 1, `no menu entry for ${key}`)
				const text = await item.first().innerText()
				assert(text.includes(zh), `${key}: menu text ${JSON.stringify(text.split('\n')[0])}, want ${zh}`)
			}
		})

		await check('home lists every module with its state', async () => {
			const want = MODULES.filter(([k]) => k !== 'dashboard' && k !== 'system').length
			const got = await page.locator('[data-testid="module-status"] li').count()
			assert(got === want, `${got} modules listed, want ${want}`)
		})

		await check('a module page shows its under-construction state', async () => {
			await page.locator('[data-testid="main-nav"] [data-module="plans"]').click()
			await page.waitForSelector('[data-testid="coming-plans"]')
			assert(page.url().endsWith('#/plans'), `url is ${page.url()}`)
			const text = await page.locator('[data-testid="coming-plans"]').innerText()
			assert(text.includes('建设中'), 'no 建设中 badge')
			assert(text.includes('督办'), 'no module description')
			assert((await page.locator('[data-testid="coming-plans"] .el-empty').count()) === 1, 'no el-empty')
		})

		await check('every module route renders a page', async () => {
			for (const [key] of MODULES) {
				if (key === 'dashboard' || key === 'system' || key === 'public') continue
				const href = await page.locator(`[data-testid="main-nav"] [data-module="${key}"]`).first()
				await href.click()
				await page.waitForSelector(`[data-testid="coming-${key}"] [data-testid="coming-desc"]`)
			}
		})

		await check('English switch changes the texts and persists', async () => {
			await page.goto(`${BASE}/#/`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="counts"]')
			await page.locator('[data-testid="lang-switch"]').first().click()
			await page.waitForFunction(() => document.documentElement.lang === 'en')
			const nav = await page.locator('[data-testid="main-nav"]').innerText()
			for (const [, , en] of MODULES) assert(nav.includes(en), `nav lacks ${JSON.stringify(en)}`)
			assert(!nav.includes('计划督办'), 'nav still shows Chinese')
			const h1 = await page.locator('#dash-title').innerText()
			assert(h1 === 'Platform overview', `dashboard title is ${JSON.stringify(h1)}`)
			const label = await page.locator('[data-testid="count-regions"] .el-statistic__head').count()
			if (label) {
				const t = await page.locator('[data-testid="count-regions"] .el-statistic__head').innerText()
				assert(t.trim() === 'Regions', `regions label is ${JSON.stringify(t)}`)
			}
			await page.reload({ waitUntil: 'load' })
			await page.waitForSelector('[data-testid="counts"]')
			const again = await page.locator('#dash-title').innerText()
			assert(again === 'Platform overview', 'language not kept after reload')
			await page.locator('[data-testid="lang-switch"]').first().click()
			await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
			assert((await page.locator('#dash-title').innerText()) === '平台概况', 'switching back failed')
		})

		await check('login validates input and says sign-in is not yet enabled', async () => {
			await page.goto(`${BASE}/#/login`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="login-form"]')
			await page.locator('[data-testid="login-submit"]').click()
			await page.waitForSelector('.el-form-item__error')
			assert((await page.locator('[data-testid="login-not-yet"]').count()) === 0, 'alert shown for an empty form')
			// By their accessible labels: the form must label its inputs.
			await page.getByLabel('用户名', { exact: true }).fill('admin')
			await page.getByLabel('密码', { exact: true }).fill('not-a-real-password')
			await page.locator('[data-testid="login-submit"]').click()
			const alert = page.locator('[data-testid="login-not-yet"]')
			await alert.waitFor({ state: 'visible' })
			const text = await alert.innerText()
			assert(text.includes('身份与权限模块上线后启用'), `alert says ${JSON.stringify(text)}`)
			assert(page.url().endsWith('#/login'), `navigated away to ${page.url()}`)
		})

		await check('public portal and unknown routes render', async () => {
			await page.goto(`${BASE}/#/public`, { waitUntil: 'load' })
			const text = await page.locator('[data-testid="public"]').innerText()
			assert(text.includes('公开查询建设中'), 'public portal lacks its empty state')
			await page.goto(`${BASE}/#/no-such-page`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="not-found"]')
		})

		await check('layout fits a 1280px laptop without horizontal scrolling', async () => {
			await page.setViewportSize({ width: 1280, height: 800 })
			await page.goto(`${BASE}/#/`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="counts"]')
			const { sw, cw } = await page.evaluate(() => ({
				sw: document.documentElement.scrollWidth,
				cw: document.documentElement.clientWidth,
			}))
			assert(sw <= cw, `page is ${sw}px wide in a ${cw}px window`)
			await page.setViewportSize({ width: 1440, height: 900 })
		})

		// In its own context, so that the deliberate 500 does not count as a problem above.
		await check('dashboard shows an error state and recovers on retry', async () => {
			const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } })
			try {
				const p2 = await ctx2.newPage()
				p2.setDefaultTimeout(TIMEOUT)
				let fail = true
				await p2.route('**/api/v1/overview', (route) => {
					if (!fail) return route.continue()
					return route.fulfill({
						status: 500,
						contentType: 'application/json',
						body: JSON.stringify({ error: { code: 'internal', message: 'injected failure', field: null } }),
					})
				})
				await p2.goto(`${BASE}/#/`, { waitUntil: 'load' })
				const err = p2.locator('[data-testid="dashboard-error"]')
				await err.waitFor({ state: 'visible' })
				const text = await err.innerText()
				assert(text.includes('injected failure'), `error state says ${JSON.stringify(text)}`)
				fail = false
				await p2.locator('[data-testid="retry"]').click()
				await p2.waitForSelector('[data-testid="counts"]')
			} finally {
				await ctx2.close()
			}
		})

		await check('no console errors, page errors, failed requests or CSP violations', async () => {
			const csp = await page.evaluate(() => window.__zlCsp || [])
			const all = problems.concat(csp.map((v) => `CSP violation: ${v}`))
			assert(all.length === 0, `${all.length} problem(s): ${all.slice(0, 3).join(' | ')}`)
		})
		await context.close()
	} catch (e) {
		report('browser session', e)
	} finally {
		await browser.close()
	}
}

await main()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
