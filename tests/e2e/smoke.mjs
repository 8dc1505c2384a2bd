// Browser smoke test of the Zhiliang web UI.
//
// Drives Debian's chromium (headless) with playwright-core from web/node_modules against a running
// server (ZL_BASE_URL, default http://127.0.0.1:8080) and checks that the shell renders: staff pages
// need a session (the login page, its validation), then - signed in as the demo administrator -
// the title, the dashboard counts equal to what GET /api/v1/overview returns, the module
// navigation, the "under construction" module pages and the administration pages, the English
// switch, the public portal (no login), and that nothing went wrong on the way: no console
// errors, no uncaught page errors, no failed or 4xx/5xx requests (except the 401 of the anonymous
// GET /api/v1/me probe) and no Content-Security-Policy violations. tests/e2e/admin.mjs tests the
// administration itself.
//
// Output: one `ok N - name` or `not ok N - name: reason` line per check, then exactly one final
// line `N passed, N failed`; the exit status is 1 when any check failed.
// Environment: ZL_BASE_URL, ZL_ADMIN_USER (default admin) and ZL_ADMIN_PASSWORD (the demo
// administrator `zhiliang init --demo` created; required), ZL_CHROMIUM (default /usr/bin/chromium),
// ZL_SCREENSHOT=1 to save the zh-CN dashboard at 1440x900 to docs/screenshot.png.
import path from 'node:path'
import fs from 'node:fs'
import {
	BASE,
	TIMEOUT,
	allProblems,
	anonymousMe,
	assert,
	check,
	finish,
	launch,
	login,
	newContext,
	reachable,
	report,
	repo,
	watch,
} from './lib/common.mjs'

const SCREENSHOT = process.env.ZL_SCREENSHOT === '1'
const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const ADMIN_PW = process.env.ZL_ADMIN_PASSWORD || ''
// Modules with their own page (the others show the under-construction page): key -> data-testid.
const BUILT = { plans: 'plans', enterprises: 'enterprises', spotChecks: 'spotchecks', quality: 'quality', draws: 'draws', inspections: 'inspections', announcements: 'announcements', organizations: 'orgs', users: 'users', audit: 'audit' }

// The modules the navigation must list (zh-CN and English titles, from src/i18n).
const MODULES = [
	['dashboard', '首页概况', 'Overview'],
	['plans', '计划督办', 'Plan tracking'],
	['enterprises', '企业档案', 'Enterprise register'],
	['spotChecks', '监督抽查', 'Spot checks'],
	['quality', '质量状况', 'Quality dashboard'],
	['draws', '随机抽取', 'Random draws'],
	['inspections', '抽查任务', 'Inspections'],
	['results', '抽查结果', 'Check results'],
	['announcements', '抽查结果公告', 'Result announcements'],
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

const digits = (s) => (s || '').replace(/[^\d-]/g, '')

// Every key of one dictionary must exist in the other (a gap would show a raw key on screen):
// zh-CN.js and en.js, and each page's own pair (sc.zh-CN.js and sc.en.js, ...).
async function checkDictionaries() {
	const flat = (o, pre = '') =>
		Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, `${pre}${k}.`) : [`${pre}${k}`]))
	const dir = path.join(repo, 'web/src/i18n')
	const parts = fs.readdirSync(dir).filter((f) => f.endsWith('.zh-CN.js')).map((f) => `${f.slice(0, -'zh-CN.js'.length)}`)
	for (const pre of ['', ...parts]) {
		const zh = flat((await import(path.join(dir, `${pre}zh-CN.js`))).default)
		const en = flat((await import(path.join(dir, `${pre}en.js`))).default)
		const onlyZh = zh.filter((k) => !en.includes(k))
		const onlyEn = en.filter((k) => !zh.includes(k))
		assert(onlyZh.length === 0, `missing in ${pre}en.js: ${onlyZh.join(', ')}`)
		assert(onlyEn.length === 0, `missing in ${pre}zh-CN.js: ${onlyEn.join(', ')}`)
	}
}

async function main() {
	await check('zh-CN and en dictionaries have the same keys', checkDictionaries)
	await check('times are shown in Beijing time (DESIGN.md: stored in UTC, shown in Asia/Shanghai)', async () => {
		const { fmtTime } = await import(path.join(repo, 'web/src/format.js'))
		assert(fmtTime('2014-12-31T16:00:00Z') === '2015-01-01 00:00:00', fmtTime('2014-12-31T16:00:00Z'))
		assert(fmtTime('2026-11-26T08:00:00.250Z') === '2026-11-26 16:00:00', fmtTime('2026-11-26T08:00:00.250Z'))
		assert(fmtTime('2026-11-26') === '2026-11-26', 'a date alone is shown as it came')
		assert(fmtTime('') === '' && fmtTime(null) === '', 'empty stays empty')
	})

	if (!ADMIN_PW) {
		report('ZL_ADMIN_PASSWORD is set', new Error('set ZL_ADMIN_USER / ZL_ADMIN_PASSWORD to the demo admin'))
		return
	}
	if (!(await reachable())) return

	let browser
	try {
		browser = await launch()
	} catch (e) {
		report('launch chromium', e)
		return
	}

	const problems = []
	try {
		const context = await newContext(browser)
		const page = await context.newPage()
		page.setDefaultTimeout(TIMEOUT)
		watch(page, problems, anonymousMe)

		await check('page title', async () => {
			await page.goto(`${BASE}/`, { waitUntil: 'load' })
			const title = await page.title()
			assert(title === '质量治理平台 Zhiliang', `title is ${JSON.stringify(title)}`)
			const lang = await page.getAttribute('html', 'lang')
			assert(lang === 'zh-CN', `html lang is ${lang}`)
		})

		await check('staff pages need a session: the home page shows the login form', async () => {
			await page.waitForSelector('[data-testid="login-form"]')
			assert(page.url().endsWith('#/login'), `url is ${page.url()}`)
			assert((await page.locator('[data-testid="main-nav"]').count()) === 0, 'navigation shown without login')
		})

		await check('login validates its input', async () => {
			await page.locator('[data-testid="login-submit"]').click()
			await page.waitForSelector('.el-form-item__error')
			assert((await page.locator('[data-testid="login-error"]').count()) === 0, 'error alert for an empty form')
			// By their accessible labels: the form must label its inputs.
			assert((await page.getByLabel('用户名', { exact: true }).count()) === 1, 'username input not labelled')
			assert((await page.getByLabel('密码', { exact: true }).count()) === 1, 'password input not labelled')
		})

		await check('the demo administrator signs in', async () => {
			await login(page, ADMIN, ADMIN_PW, { goto: false })
			await page.waitForSelector('[data-testid="dashboard"]')
			const name = await page.locator('[data-testid="user-name"]').innerText()
			assert(name.trim().length > 0, 'no user name in the header')
		})

		let overview = null
		await check('GET /api/v1/overview answers JSON with counts', async () => {
			const res = await fetch(`${BASE}/api/v1/overview`)
			assert(res.ok, `status ${res.status}`)
			overview = await res.json()
			assert(overview && typeof overview.counts === 'object', 'no counts object')
			assert(Object.keys(overview.counts).length > 0, 'counts is empty')
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
			await page.locator('[data-testid="main-nav"] [data-module="results"]').click()
			await page.waitForSelector('[data-testid="coming-results"]')
			assert(page.url().endsWith('#/results'), `url is ${page.url()}`)
			const text = await page.locator('[data-testid="coming-results"]').innerText()
			assert(text.includes('建设中'), 'no 建设中 badge')
			assert(text.includes('不合格产品'), 'no module description')
			assert((await page.locator('[data-testid="coming-results"] .el-empty').count()) === 1, 'no el-empty')
		})

		await check('every module route renders a page', async () => {
			for (const [key] of MODULES) {
				if (key === 'dashboard' || key === 'system' || key === 'public') continue
				const href = await page.locator(`[data-testid="main-nav"] [data-module="${key}"]`).first()
				await href.click()
				if (BUILT[key]) await page.waitForSelector(`[data-testid="${BUILT[key]}"]`)
				else await page.waitForSelector(`[data-testid="coming-${key}"] [data-testid="coming-desc"]`)
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

		await check('public portal and unknown routes render', async () => {
			await page.goto(`${BASE}/#/public`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="public"] [data-testid="pub-form"]')
			const text = await page.locator('[data-testid="public"]').innerText()
			assert(text.includes('统一社会信用代码或企业名称'), 'public portal lacks its lookup')
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
			// The same session (cookie) as the main context.
			const ctx2 = await browser.newContext({
				viewport: { width: 1440, height: 900 },
				storageState: await context.storageState(),
			})
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
			const all = await allProblems(page, problems)
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
finish()
