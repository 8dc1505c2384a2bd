// Browser test of result announcements (issue 7, publication): an officer of 郑州 drafts an
// announcement (抽查结果公告) on the staff page, adds the demo's two final results of 郑州 (the
// failure under rectification, #1, and the closed pass, #2) from the inspection picker (which
// offers only final results in no live announcement, narrowed here to 2014 and plan 1 among the
// demo's five years of published history) and submits it; a second officer of 郑州 approves it
// (the submitter may not); without login, the public page 抽查结果查询, opened from the
// announcement's link (announcement=ID), then shows both results with the failing item, the filter result=fail
// narrows them to one, the CSV link carries the filters, and the Atom feed lists the title. The
// two officers are created here by the administrator (the demo has none of 郑州). On a database
// used before, announcements of 郑州 still carrying #1 or #2 are withdrawn first, so the test can
// run again.
//
// Nothing may go wrong on the way except GET /api/v1/me answering 401 while nobody is signed in.
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`.
// Environment: ZL_BASE_URL, ZL_ADMIN_USER, ZL_ADMIN_PASSWORD (required), ZL_CHROMIUM,
// ZL_SCREENSHOTS=DIR.
import {
	BASE,
	TIMEOUT,
	allProblems,
	anonymousMe,
	assert,
	call,
	check,
	field,
	finish,
	login,
	logout,
	newContext,
	shot,
	start,
	watch,
} from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const PW = process.env.ZL_ADMIN_PASSWORD || ''
const RUN = Math.random().toString(36).slice(2, 8)
const DRAFTER = `ann_a_${RUN}`
const APPROVER = `ann_b_${RUN}`
const OFFICER_PW = `Ann-Officer-${RUN}-2014!`
const TITLE = `郑州市2014年水泥产品质量监督抽查结果公告（${RUN}）`
const FINAL = [1, 2] // the demo's final results in 郑州

// Sign in and let the dashboard finish loading (leaving it at once aborts its requests): its
// counts (or its error) shown, then the network quiet.
async function signIn(p, user, pw) {
	await login(p, user, pw)
	await p.locator('[data-testid="counts"], [data-testid="dashboard-error"]').first().waitFor()
	await p.waitForLoadState('networkidle')
}

const browser = await start(PW)
if (!browser) finish()
const context = await newContext(browser)
const page = await context.newPage()
page.setDefaultTimeout(TIMEOUT)
const problems = []
watch(page, problems, anonymousMe)
let annId = 0
let publicLink = ''

await check('the administrator creates two officers of 郑州 and clears earlier runs', async () => {
	await signIn(page, ADMIN, PW)
	for (const u of [DRAFTER, APPROVER]) {
		const r = await call(page, 'POST', '/api/v1/users', { username: u, password: OFFICER_PW, org: '410100', role: 'officer' })
		assert(r.status === 201, `user ${u}: ${r.status} ${JSON.stringify(r.body)}`)
	}
	const list = await call(page, 'GET', '/api/v1/announcements?limit=500')
	for (const a of list.body.items) {
		if (a.org !== '410100' || a.status === 'withdrawn') continue
		const one = await call(page, 'GET', `/api/v1/announcements/${a.id}`)
		if (!one.body.results.some((r) => FINAL.includes(r.inspection_id))) continue
		if (a.status === 'published') await call(page, 'POST', `/api/v1/announcements/${a.id}/withdraw`, { reason: 'e2e re-run' })
		else {
			if (a.status === 'submitted') await call(page, 'POST', `/api/v1/announcements/${a.id}/withdraw`, {})
			for (const id of FINAL) await call(page, 'DELETE', `/api/v1/announcements/${a.id}/results/${id}`)
		}
	}
	await logout(page)
})

await check('an officer drafts the announcement on 抽查结果公告', async () => {
	await signIn(page, DRAFTER, OFFICER_PW)
	await page.goto(`${BASE}/#/announcements`)
	await page.waitForSelector('[data-testid="ann-table"]')
	await page.locator('[data-testid="ann-new"]').click()
	await page.waitForSelector('[data-testid="ann-form"]', { state: 'visible' })
	assert((await field(page, 'ann-form-org').inputValue()) === '410100', 'the form proposes the officer\'s organization')
	await field(page, 'ann-form-title').fill(TITLE)
	await field(page, 'ann-form-docno').fill(`郑质监〔2014〕${RUN}号`)
	await page.locator('[data-testid="ann-form-save"]').click()
	await page.waitForURL(/#\/announcements\/\d+/)
	annId = Number(/announcements\/(\d+)/.exec(page.url())[1])
	await page.waitForSelector('[data-testid="ann-detail-title"]')
	assert((await page.locator('[data-testid="ann-detail-title"]').innerText()) === TITLE, 'the draft is shown')
	assert((await page.locator('[data-testid="ann-detail-status"]').innerText()).includes('草稿'), 'status 草稿')
})

await check('it adds the two final results from the inspection picker and submits', async () => {
	// The picker offers only final results in no live announcement (final=1&announced=0); the
	// officer narrows them to the 2014 provincial plan (#1), among the demo's years of history.
	// The picker's first page arrives before the narrower search (which would abort it).
	const first = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/inspections')
	await page.locator('[data-testid="ann-add"]').click()
	await page.waitForSelector('[data-testid="ann-pick"]', { state: 'visible' })
	await first
	await field(page, 'ann-pick-year').fill('2014')
	await field(page, 'ann-pick-plan').fill('1')
	const narrowed = page.waitForResponse((r) => {
		const u = new URL(r.url())
		return u.pathname === '/api/v1/inspections' && u.searchParams.get('plan') === '1' && u.searchParams.get('year') === '2014'
	})
	await page.locator('[data-testid="ann-pick-search"]').click()
	const res = await narrowed
	const q = new URL(res.url()).searchParams
	assert(q.get('final') === '1' && q.get('announced') === '0', `the picker asks for unannounced final results: ${res.url()}`)
	const body = await res.json()
	assert(FINAL.every((id) => body.items.some((r) => r.id === id)), `#1 and #2 offered, got ${body.items.map((r) => r.id)}`)
	const table = page.locator('[data-testid="ann-pick-table"]')
	await table.locator('tr.el-table__row').nth(FINAL.length - 1).waitFor()
	assert((await page.locator('[data-testid="ann-pick-total"]').innerText()).includes(String(body.total)), 'the total of what may be taken')
	await shot(page, 'announce-picker')
	for (const id of FINAL) {
		const row = table.locator('tr.el-table__row').filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^\\s*${id}\\s*$`) }) })
		await row.locator('.el-checkbox').first().click()
	}
	await page.locator('[data-testid="ann-pick-add"]').click()
	await page.waitForSelector('[data-testid="ann-pick"]', { state: 'hidden' })
	const rows = page.locator('[data-testid="ann-results"] tr.el-table__row')
	await rows.nth(1).waitFor()
	assert((await rows.count()) === 2, `2 results, got ${await rows.count()}`)
	assert((await page.locator('[data-testid="ann-results"]').innerText()).includes('3d抗压强度'), 'the failing item is listed')
	await shot(page, 'announce-draft', { fullPage: true })
	await page.locator('[data-testid="ann-submit"]').click()
	await page.locator('[data-testid="ann-detail-status"]', { hasText: '待批准' }).waitFor()
	assert(!(await page.locator('[data-testid="ann-add"]').count()), 'a submitted announcement takes no more results')
	await logout(page)
})

await check('another officer of 郑州 approves it: 已发布', async () => {
	await signIn(page, APPROVER, OFFICER_PW)
	await page.goto(`${BASE}/#/announcements/${annId}`)
	await page.locator('[data-testid="ann-approve"]').click()
	await page.locator('[data-testid="ann-detail-status"]', { hasText: '已发布' }).waitFor()
	assert((await page.locator('[data-testid="ann-detail"]').innerText()).includes(APPROVER), 'the approver is named')
	publicLink = await page.locator('[data-testid="ann-public-link"]').getAttribute('href')
	assert(publicLink && publicLink.includes(`announcement=${annId}`), `a link to the public search of this announcement: ${publicLink}`)
	await shot(page, 'announce-published', { fullPage: true })
	await logout(page)
})

const pub = await (await newContext(browser)).newPage()
pub.setDefaultTimeout(TIMEOUT)
watch(pub, problems, anonymousMe)

await check('the public page 抽查结果查询 shows both results without login', async () => {
	// The published announcement's link narrows the public search to it: the demo's history
	// publishes thousands of other results beside it.
	assert(publicLink, 'the staff page gave the link')
	await pub.goto(`${BASE}/${publicLink.replace(/^\//, '')}`)
	await pub.locator('[data-testid="res-announcement"]', { hasText: TITLE }).waitFor()
	const rows = pub.locator('[data-testid="res-table"] tr.el-table__row')
	await rows.nth(1).waitFor()
	assert((await rows.count()) === 2, `2 rows, got ${await rows.count()}`)
	const text = await pub.locator('[data-testid="res-table"]').innerText()
	assert(text.includes(TITLE), 'the announcement is named')
	assert(text.includes('3d抗压强度') && text.includes('不合格') && text.includes('合格'), 'results and failing item shown')
	assert((await pub.locator('[data-testid="res-total"]').innerText()).includes('2'), 'the exact total')
	await shot(pub, 'announce-public', { fullPage: true })
})

await check('the result filter narrows to the failure; the CSV link carries the filters', async () => {
	await pub.locator('[data-testid="res-result"]').first().click()
	await pub.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '不合格' }).first().click()
	await pub.locator('[data-testid="res-apply"]').click()
	await pub.waitForFunction(() => document.querySelectorAll('[data-testid="res-table"] tr.el-table__row').length === 1)
	assert((await pub.locator('[data-testid="res-row-result"]').innerText()).includes('不合格'), 'the failure')
	const href = await pub.locator('[data-testid="res-csv"]').getAttribute('href')
	assert(href.includes('result=fail') && href.includes('format=csv') && href.includes(`announcement=${annId}`), `csv link ${href}`)
	const csv = await (await fetch(`${BASE}${href}`)).text()
	assert(csv.includes('3d抗压强度') && csv.split('\n').filter((l) => l.trim()).length === 2, 'the CSV holds the header and the failure')
})

await check('the Atom feed link lists the new announcement', async () => {
	const href = await pub.locator('[data-testid="res-feed"]').getAttribute('href')
	const r = await fetch(`${BASE}${href}`)
	assert((r.headers.get('content-type') || '').startsWith('application/atom+xml'), 'Atom media type')
	const xml = await r.text()
	assert(xml.includes(`<title>${TITLE}</title>`), 'the entry is there')
	assert(xml.indexOf(`announcement/${annId}<`) > 0, 'with its id')
})

await check('nothing went wrong on the way', async () => {
	const all = (await allProblems(page, problems)).concat(await allProblems(pub, []))
	assert(!all.length, all.join('; '))
})

await browser.close()
finish()
