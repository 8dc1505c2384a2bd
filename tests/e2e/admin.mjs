// Browser test of sign-in and administration (issue 3): the demo administrator of 河南省 (410000)
// signs in, sees every administration page, creates a city officer of 郑州市 (410100) through the
// user dialog; the officer signs in, does not see the administrator-only navigation (审计日志),
// cannot open the audit page, and is refused the user administration of 洛阳市 (410300) with the
// page's 403 state. Also: a staff page without a session goes to the login page and back after
// sign-in, a wrong password gets the generic message, and sign-out ends the session.
//
// Nothing may go wrong on the way except the responses the test provokes on purpose, each
// allowed precisely: GET /api/v1/me answering 401 while nobody is signed in, POST
// /api/v1/session answering 401 for the wrong password, and GET /api/v1/users?org=410300
// answering 403 for the officer.
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`;
// exit status 1 when any check failed.
// Environment: ZL_BASE_URL (default http://127.0.0.1:8080), ZL_ADMIN_USER (default admin),
// ZL_ADMIN_PASSWORD (required: the password `zhiliang init --demo` gave the admin),
// ZL_CHROMIUM (default /usr/bin/chromium).
import crypto from 'node:crypto'
import {
	BASE,
	TIMEOUT,
	allProblems,
	anonymousMe,
	assert,
	check,
	field,
	finish,
	launch,
	login,
	logout,
	newContext,
	pickTreeSelect,
	reachable,
	report,
	watch,
} from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const ADMIN_PW = process.env.ZL_ADMIN_PASSWORD || ''
const OFFICER = `zz_officer_${crypto.randomBytes(3).toString('hex')}`
// Meets the policy: 12+ characters, not common, does not contain the username.
const OFFICER_PW = `Zz-${crypto.randomBytes(6).toString('hex')}-2026`
const OTHER_CITY = '410300' // 洛阳市

// The responses this test provokes on purpose (see the header).
let wrongPasswordTried = false
function expected({ method, url, status }) {
	if (anonymousMe({ method, url, status })) return true
	if (wrongPasswordTried && method === 'POST' && url.pathname === '/api/v1/session' && status === 401) return true
	return (
		method === 'GET' &&
		url.pathname === '/api/v1/users' &&
		url.searchParams.get('org') === OTHER_CITY &&
		status === 403
	)
}

async function main() {
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
		watch(page, problems, expected)

		await check('a staff page without a session goes to the login page', async () => {
			await page.goto(`${BASE}/#/system/users`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="login-form"]')
			const u = new URL(page.url().replace('#/', ''))
			assert(u.pathname.endsWith('/login'), `url is ${page.url()}`)
			assert(u.searchParams.get('redirect') === '/system/users', `redirect is ${u.searchParams.get('redirect')}`)
			assert((await page.locator('[data-testid="main-nav"]').count()) === 0, 'navigation shown without login')
		})

		await check('a wrong password gets the generic message', async () => {
			wrongPasswordTried = true
			await field(page, 'login-username').fill(ADMIN)
			await field(page, 'login-password').fill('definitely-not-the-password')
			await page.locator('[data-testid="login-submit"]').click()
			const alert = page.locator('[data-testid="login-error"]')
			await alert.waitFor({ state: 'visible' })
			assert((await alert.getAttribute('data-kind')) === 'bad', `kind ${await alert.getAttribute('data-kind')}`)
			const text = await alert.innerText()
			assert(text.includes('用户名或密码错误'), `alert says ${JSON.stringify(text)}`)
			assert((await field(page, 'login-password').inputValue()) === '', 'password not cleared')
		})

		await check('the admin signs in and returns to the page asked for', async () => {
			await login(page, ADMIN, ADMIN_PW, { goto: false })
			await page.waitForSelector('[data-testid="users-table"]')
			assert(page.url().endsWith('#/system/users'), `url is ${page.url()}`)
		})

		await check('the user menu shows name, organization and role', async () => {
			await page.locator('[data-testid="user-menu"]').click()
			const card = page.locator('[data-testid="user-card"]')
			await card.waitFor({ state: 'visible' })
			assert((await card.locator('[data-testid="user-role"]').getAttribute('data-role')) === 'admin', 'role not admin')
			const role = await card.locator('[data-testid="user-role"]').innerText()
			assert(role.includes('系统管理员'), `role shows ${JSON.stringify(role)}`)
			const org = await card.locator('[data-testid="user-org"]').innerText()
			assert(org.includes('410000'), `org shows ${JSON.stringify(org)}`)
			await page.locator('[data-testid="user-menu"]').click()
			await card.waitFor({ state: 'hidden' })
		})

		await check('the admin sees every administration entry', async () => {
			const nav = page.locator('[data-testid="main-nav"]')
			for (const key of ['organizations', 'users', 'audit'])
				assert((await nav.locator(`[data-module="${key}"]`).count()) === 1, `no ${key} entry`)
		})

		await check('organization tree with the cities and the province-administered counties', async () => {
			await page.locator('[data-testid="main-nav"] [data-module="organizations"]').click()
			const tree = page.locator('[data-testid="org-tree"]')
			await tree.waitFor({ state: 'visible' })
			for (const code of ['410000', '410100', OTHER_CITY])
				assert((await tree.locator(`[data-code="${code}"]`).count()) === 1, `no node ${code}`)
			const direct = await tree.locator('[data-testid="direct-tag"]').count()
			assert(direct >= 1, 'no 省直管 tag in the tree')
		})

		await check('organization detail drawer', async () => {
			await page.locator('[data-testid="org-tree"] [data-code="410100"]').click()
			const d = page.locator('[data-testid="org-detail"]')
			await d.locator('[data-testid="org-props"]').waitFor({ state: 'visible' })
			const text = await d.innerText()
			assert(text.includes('410100') && text.includes('郑州'), `drawer says ${JSON.stringify(text.slice(0, 80))}`)
			assert((await d.locator('[data-testid="org-rename"]').count()) === 1, 'admin has no rename button')
			await page.keyboard.press('Escape')
			await d.waitFor({ state: 'hidden' })
		})

		await check('organization search by alias', async () => {
			await field(page, 'orgs-q').fill('省质监局')
			await page.locator('[data-testid="orgs-search"]').click()
			const table = page.locator('[data-testid="orgs-results"]')
			await table.waitFor({ state: 'visible' })
			await page.waitForFunction(() => document.querySelectorAll('[data-testid="orgs-results"] tbody tr').length > 0)
			const text = await table.innerText()
			assert(text.includes('质量技术监督局'), `results ${JSON.stringify(text.slice(0, 120))}`)
		})

		await check('audit log page with its hash-chain note', async () => {
			await page.locator('[data-testid="main-nav"] [data-module="audit"]').click()
			const note = page.locator('[data-testid="audit-chain-note"]')
			await note.waitFor({ state: 'visible' })
			assert((await note.innerText()).includes('zhiliang audit verify'), 'no verify command in the note')
			await page.waitForSelector('[data-testid="audit-total"]')
			const href = await page.locator('[data-testid="audit-csv"]').getAttribute('href')
			assert(href && href.startsWith('/api/v1/audit') && href.includes('format=csv'), `csv link ${href}`)
		})

		await check(`the admin creates the city officer ${OFFICER} of 郑州市`, async () => {
			await page.locator('[data-testid="main-nav"] [data-module="users"]').click()
			await page.waitForSelector('[data-testid="users-table"]')
			await page.locator('[data-testid="user-create"]').click()
			const dlg = page.locator('[data-testid="user-create-dialog"]')
			await dlg.waitFor({ state: 'visible' })
			await field(page, 'new-username').fill(OFFICER)
			await field(page, 'new-display-name').fill('郑州测试业务员')
			await pickTreeSelect(page, 'new-org', '郑州市')
			// role: officer is the default; choose it explicitly anyway
			await page.locator('[data-testid="new-role"]').first().click()
			await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '业务人员' }).first().click()
			await field(page, 'new-password').fill(OFFICER_PW)
			await page.locator('[data-testid="new-save"]').click()
			await dlg.waitFor({ state: 'hidden' })
			await page.waitForSelector(`[data-testid="users-table"] [data-username="${OFFICER}"]`)
			const row = page.locator('[data-testid="users-table"] tr').filter({ has: page.locator(`[data-username="${OFFICER}"]`) })
			const text = await row.first().innerText()
			assert(text.includes('410100'), `row says ${JSON.stringify(text)}`)
		})

		await check('sign-out ends the session', async () => {
			await logout(page)
			await page.goto(`${BASE}/#/system/organizations`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="login-form"]')
		})

		await check('the officer signs in', async () => {
			await login(page, OFFICER, OFFICER_PW, { goto: false })
			await page.waitForSelector('[data-testid="org-tree"]')
			await page.locator('[data-testid="user-menu"]').click()
			const role = page.locator('[data-testid="user-card"] [data-testid="user-role"]')
			await role.waitFor({ state: 'visible' })
			assert((await role.getAttribute('data-role')) === 'officer', 'role not officer')
			await page.locator('[data-testid="user-menu"]').click()
			await role.waitFor({ state: 'hidden' })
		})

		await check('the officer does not see the admin-only navigation', async () => {
			const nav = page.locator('[data-testid="main-nav"]')
			assert((await nav.locator('[data-module="audit"]').count()) === 0, '审计日志 shown to the officer')
			assert((await nav.locator('[data-module="users"]').count()) === 1, 'no users entry for the officer')
			await page.goto(`${BASE}/#/system/audit`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="forbidden"]')
		})

		await check("the officer's tree is 郑州市 and below", async () => {
			await page.locator('[data-testid="main-nav"] [data-module="organizations"]').click()
			const tree = page.locator('[data-testid="org-tree"]')
			await tree.locator('[data-code="410100"]').waitFor({ state: 'visible' })
			assert((await tree.locator(`[data-code="${OTHER_CITY}"]`).count()) === 0, '洛阳市 visible to the officer')
			assert((await tree.locator('[data-code="410000"]').count()) === 0, 'province visible to the officer')
		})

		await check('the officer sees the users of 郑州市 but not user-admin actions', async () => {
			await page.locator('[data-testid="main-nav"] [data-module="users"]').click()
			await page.waitForSelector(`[data-testid="users-table"] [data-username="${OFFICER}"]`)
			assert((await page.locator('[data-testid="user-create"]').count()) === 0, 'create button shown')
		})

		await check("洛阳市's user administration is refused with a 403 message", async () => {
			const resp = page.waitForResponse(
				(r) => new URL(r.url()).pathname === '/api/v1/users' && new URL(r.url()).searchParams.get('org') === OTHER_CITY,
			)
			await page.goto(`${BASE}/#/system/users?org=${OTHER_CITY}`, { waitUntil: 'load' })
			const r = await resp
			assert(r.status() === 403, `API answered ${r.status()}`)
			const box = page.locator('[data-testid="users-forbidden"]')
			await box.waitFor({ state: 'visible' })
			const text = await box.innerText()
			assert(text.includes('无权访问此机构的用户'), `page says ${JSON.stringify(text)}`)
			assert((await page.locator('[data-testid="users-table"]').count()) === 0, 'a table is shown anyway')
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
