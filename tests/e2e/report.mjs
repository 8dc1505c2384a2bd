// Browser test of the quality analysis report's button (issue 7 item 6, docs/report.md): the demo
// administrator creates a 郑州 officer and a 郑州 inspector through the API. The administrator
// opens 监督抽查, clicks 质量分析报告, chooses 2014, and both links answer with the session: the
// PDF (application/pdf, "%P") and the xlsx annex ("PK"). The city officer's PDF link, without a
// region, is his own city's report (the attachment is named ...-410100.pdf). The inspector, who
// has no stats.read, is not offered the button.
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`;
// exit status 1 when any check failed. Environment: ZL_BASE_URL, ZL_ADMIN_USER (default admin),
// ZL_ADMIN_PASSWORD (required), ZL_CHROMIUM, ZL_SCREENSHOTS=DIR (writes PNGs of the pages there).
import { TIMEOUT, allProblems, anonymousMe, assert, call, check, finish, login, newContext, shot, start, watch } from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const ADMIN_PW = process.env.ZL_ADMIN_PASSWORD || ''
const RUN = Math.random().toString(36).slice(2, 8)
const OFFICER = `qr_zz_${RUN}`
const OFFICER_PW = `Qr-Zhengzhou-${RUN}-2014!`
const INSPECTOR = `qr_in_${RUN}`
const INSPECTOR_PW = `Qr-Inspector-${RUN}-2014!`
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

// What a link answers with the page's session: status, type, disposition and the first bytes.
async function fetchHead(page, href) {
	return page.evaluate(async (u) => {
		const r = await fetch(u, { credentials: 'same-origin' })
		const b = new Uint8Array(await r.arrayBuffer())
		return {
			status: r.status,
			type: r.headers.get('content-type'),
			disposition: r.headers.get('content-disposition') || '',
			head: String.fromCharCode(...b.slice(0, 2)),
		}
	}, href)
}

async function main() {
	const browser = await start(ADMIN_PW)
	if (!browser) return
	const problems = []
	async function signIn(user, pw) {
		const ctx = await newContext(browser)
		const page = await ctx.newPage()
		page.setDefaultTimeout(TIMEOUT)
		watch(page, problems, anonymousMe)
		await login(page, user, pw)
		return page
	}
	try {
		const admin = await signIn(ADMIN, ADMIN_PW)
		await check('the administrator creates a 郑州 officer and a 郑州 inspector', async () => {
			for (const [username, password, role] of [
				[OFFICER, OFFICER_PW, 'officer'],
				[INSPECTOR, INSPECTOR_PW, 'inspector'],
			]) {
				const r = await call(admin, 'POST', '/api/v1/users', { username, password, org: '410100', role })
				assert(r.status === 201, `POST /api/v1/users ${username}: ${r.status} ${JSON.stringify(r.body)}`)
			}
		})

		await check('质量分析报告 on 监督抽查: choose 2014, the PDF and the annex download', async () => {
			await admin.locator('[data-testid="main-nav"] [data-module="spotChecks"]').click()
			await admin.locator('[data-testid="qr-open"]').click()
			await admin.waitForSelector('[data-testid="qr-panel"]', { state: 'visible' })
			await admin.locator('[data-testid="qr-year"]').click()
			await admin.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '2014' }).first().click()
			const pdf = await admin.locator('[data-testid="qr-pdf"]').getAttribute('href')
			const xlsx = await admin.locator('[data-testid="qr-xlsx"]').getAttribute('href')
			assert(pdf === '/api/v1/spotchecks/report.pdf?year=2014', `pdf link ${pdf}`)
			assert(xlsx === '/api/v1/spotchecks/report.xlsx?year=2014', `xlsx link ${xlsx}`)
			const p = await fetchHead(admin, pdf)
			assert(p.status === 200 && p.type === 'application/pdf' && p.head === '%P', `PDF: ${JSON.stringify(p)}`)
			const x = await fetchHead(admin, xlsx)
			assert(x.status === 200 && x.type === XLSX && x.head === 'PK', `annex: ${JSON.stringify(x)}`)
			await shot(admin, 'quality-report-button')
		})

		await check('the city officer gets his own city\'s report', async () => {
			const officer = await signIn(OFFICER, OFFICER_PW)
			await officer.locator('[data-testid="main-nav"] [data-module="spotChecks"]').click()
			await officer.locator('[data-testid="qr-open"]').click()
			await officer.locator('[data-testid="qr-year"]').click()
			await officer.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '2014' }).first().click()
			const pdf = await officer.locator('[data-testid="qr-pdf"]').getAttribute('href')
			const p = await fetchHead(officer, pdf)
			assert(p.status === 200 && p.disposition.includes('quality-report-2014-410100.pdf'), `PDF: ${JSON.stringify(p)}`)
		})

		await check('the inspector (no stats.read) is not offered the report', async () => {
			const inspector = await signIn(INSPECTOR, INSPECTOR_PW)
			await inspector.locator('[data-testid="main-nav"] [data-module="spotChecks"]').click()
			await inspector.waitForSelector('[data-testid="spotchecks"]')
			assert((await inspector.locator('[data-testid="qr-open"]').count()) === 0, 'the button is there')
		})

		await check('nothing went wrong on the way', async () => {
			const all = await allProblems(admin, problems)
			assert(all.length === 0, all.join('\n'))
		})
	} finally {
		await browser.close()
	}
	finish()
}

main()
