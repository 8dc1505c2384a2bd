// Browser test of the enterprise register (issue 4): the demo administrator finds enterprises by a
// two-character fragment of a name (taken from the middle of the first enterprise's name, as GET
// /api/v1/enterprises?limit=1 gives it) and sees the same exact total as the API, opens one
// enterprise's page (facts, certifications, awards, the credit archive), shows the chart of the
// matches per region, and is told to type two characters for a one-character fragment. When the
// import page (POST /api/v1/imports/enterprises) takes a GBK-encoded CSV with a bad row 4: the
// summary line says 导入 0，更新 0，未变 0，拒绝 1, the report names row 4, nothing was written, and
// "download report (xlsx)" saves a workbook; then an all-good UTF-8 file imports and its
// enterprise is found in the register list by a two-character fragment of its name. The public lookup (公开查询) works without a session: search by the fragment and by the
// credit code, open the record, and see no internal event.
//
// Nothing may go wrong on the way except GET /api/v1/me answering 401 while nobody is signed in
// and the test's own GET of the imported-but-rejected file's good row answering 404 (the import
// answers 200 with its report even when it rejected rows).
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`;
// exit status 1 when any check failed.
// Environment: ZL_BASE_URL (default http://127.0.0.1:8080), ZL_ADMIN_USER (default admin),
// ZL_ADMIN_PASSWORD (required), ZL_CHROMIUM (default /usr/bin/chromium). The demo database must
// hold enterprises (`zhiliang init --demo`).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
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
	newContext,
	reachable,
	report,
	watch,
} from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const ADMIN_PW = process.env.ZL_ADMIN_PASSWORD || ''
const IMPORT_ROUTE = '/api/v1/imports/enterprises'

// A fresh valid code of 郑州市 per run (GB 11714 organization code inside, GB 32100 check
// character), so the atomic import's "nothing written" can be checked, and the same code with a
// wrong check character for the bad row.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
function orgCode(body) {
	const w = [3, 7, 9, 10, 5, 8, 4, 2]
	const sum = [...body].reduce((a, c, i) => a + parseInt(c, 36) * w[i], 0)
	const c = 11 - (sum % 11)
	return body + (c === 10 ? 'X' : c === 11 ? '0' : String(c))
}
function uscc(region) {
	const body = `91${region}${orgCode(String(Math.floor(Math.random() * 1e8)).padStart(8, '0'))}`
	const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
	const sum = [...body].reduce((a, c, i) => a + USCC_CHARS.indexOf(c) * w[i], 0)
	return body + USCC_CHARS[(31 - (sum % 31)) % 31]
}
const GOOD_USCC = uscc('410100')
const wrongCheck = (u) => u.slice(0, 17) + USCC_CHARS[(USCC_CHARS.indexOf(u[17]) + 1) % 31]
const BAD_USCC = wrongCheck(uscc('410100'))
const NEW_USCC = uscc('410100')

function expected({ method, url, status }) {
	if (anonymousMe({ method, url, status })) return true
	// The test's own check that the atomic import wrote nothing.
	return method === 'GET' && url.pathname === `/api/v1/enterprises/${GOOD_USCC}` && status === 404
}

// GET path with the page's session; resolves to the JSON body.
async function apiGet(page, p) {
	return page.evaluate(async (u) => {
		const r = await fetch(u, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
		return { status: r.status, body: await r.json().catch(() => null) }
	}, p)
}

// Two characters from the middle of a name, both CJK (or letters) so the fragment is searchable.
function fragmentOf(name) {
	const cs = [...name]
	const ok = (c) => /[\p{Script=Han}A-Za-z0-9]/u.test(c)
	const mid = Math.max(0, Math.floor(cs.length / 2) - 1)
	for (let d = 0; d < cs.length; d++) {
		for (const i of [mid + d, mid - d]) {
			if (i >= 0 && i + 1 < cs.length && ok(cs[i]) && ok(cs[i + 1])) return cs[i] + cs[i + 1]
		}
	}
	return cs.slice(0, 2).join('')
}

// Choose an option of the <el-select data-testid=ID> by its visible text.
async function pickOption(page, id, text) {
	await page.locator(`[data-testid="${id}"]`).first().click()
	await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first().click()
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
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zl-e2e-ent-'))
	try {
		const context = await newContext(browser)
		const page = await context.newPage()
		page.setDefaultTimeout(TIMEOUT)
		watch(page, problems, expected)

		let first = null
		let frag = ''
		let apiTotal = -1
		let hasImport = false
		await check('admin signs in and the register has enterprises', async () => {
			await login(page, ADMIN, ADMIN_PW)
			const r = await apiGet(page, '/api/v1/enterprises?limit=1')
			assert(r.status === 200, `GET /api/v1/enterprises answered ${r.status}`)
			first = r.body && r.body.items && r.body.items[0]
			assert(first && first.name && first.uscc, 'the register is empty: run zhiliang init --demo')
			frag = fragmentOf(first.name)
			const q = await apiGet(page, `/api/v1/enterprises?limit=1&q=${encodeURIComponent(frag)}`)
			assert(q.status === 200, `search answered ${q.status}`)
			apiTotal = q.body.total
			assert(apiTotal >= 1, `the API finds nothing for ${frag}`)
			const doc = await apiGet(page, '/api/v1/openapi.json')
			hasImport = !!(doc.body && doc.body.paths && doc.body.paths[IMPORT_ROUTE] && doc.body.paths[IMPORT_ROUTE].post)
		})

		await check('the register page lists enterprises with a total and loads more', async () => {
			await page.locator('[data-testid="main-nav"] [data-module="enterprises"]').first().click()
			await page.waitForSelector('[data-testid="enterprises"] [data-testid="ent-row-name"]')
			const total = await page.locator('[data-testid="ent-total"]').innerText()
			assert(/\d/.test(total), `total is ${JSON.stringify(total)}`)
			// "加载更多" appends the next page (cursor paging) when there is one.
			if (await page.locator('[data-testid="ent-more"]').count()) {
				const before = await page.locator('[data-testid="ent-row-name"]').count()
				await page.locator('[data-testid="ent-more"]').click()
				await page.waitForFunction(
					(n) => document.querySelectorAll('[data-testid="ent-row-name"]').length > n,
					before,
				)
			}
		})

		await check('a one-character fragment asks for two characters', async () => {
			await field(page, 'ent-q').fill([...frag][0])
			await page.locator('[data-testid="ent-apply"]').click()
			await page.waitForSelector('[data-testid="ent-q-hint"]')
			assert(!page.url().includes('q='), `the search ran: ${page.url()}`)
		})

		await check(`a two-character fragment finds enterprises (${frag || '?'})`, async () => {
			assert(frag, 'no fragment')
			await field(page, 'ent-q').fill(frag)
			const resp = page.waitForResponse(
				(r) => new URL(r.url()).pathname === '/api/v1/enterprises' && new URL(r.url()).searchParams.get('q') === frag,
			)
			await page.locator('[data-testid="ent-apply"]').click()
			await resp
			await page.waitForFunction(
				(f) => {
					const rows = [...document.querySelectorAll('[data-testid="ent-row-name"]')]
					return rows.length > 0 && rows.some((r) => r.textContent.includes(f))
				},
				frag,
			)
			const names = await page.locator('[data-testid="ent-row-name"]').allInnerTexts()
			assert(names.some((n) => n.includes(frag)), `no row contains ${frag}`)
			const total = await page.locator('[data-testid="ent-total"]').innerText()
			const n = Number(total.replace(/[^\d]/g, ''))
			assert(n === apiTotal, `page total ${n}, API total ${apiTotal}`)
			assert(decodeURIComponent(page.url()).includes(`q=${frag}`), `url lacks the query: ${page.url()}`)
			const href = await page.locator('[data-testid="ent-csv"]').getAttribute('href')
			assert(href.includes('format=csv') && decodeURIComponent(href).includes(`q=${frag}`), `export link ${href}`)
		})

		await check('the region chart draws for the current filters', async () => {
			await page.locator('[data-testid="ent-chart-toggle"]').click()
			await page.waitForSelector('[data-testid="ent-chart"] [data-testid="counts-chart"] canvas')
			await page.locator('[data-testid="ent-chart-toggle"]').click()
			await page.waitForSelector('[data-testid="ent-chart"]', { state: 'detached' })
		})

		let opened = null
		await check('an enterprise page shows its facts and credit archive', async () => {
			const link = page.locator('[data-testid="ent-row-name"]').filter({ hasText: frag }).first()
			const name = (await link.innerText()).trim()
			await link.click()
			await page.waitForSelector('[data-testid="ent-facts"]')
			const title = await page.locator('[data-testid="ent-detail-name"]').innerText()
			assert(title.includes(name), `title ${JSON.stringify(title)} is not ${name}`)
			const uscc = await page.locator('[data-fact="uscc"]').innerText()
			assert(/^[0-9A-Z]{18}$|^ORG:/.test(uscc.trim()), `uscc fact ${JSON.stringify(uscc)}`)
			assert(page.url().includes(`#/enterprises/${encodeURIComponent(uscc.trim())}`) || page.url().includes(`#/enterprises/${uscc.trim()}`), `url ${page.url()}`)
			await page.waitForSelector('[data-testid="ent-certs"]')
			await page.waitForSelector('[data-testid="ent-awards"]')
			await page.waitForSelector('[data-testid="ent-archive"] [data-testid="credit-timeline"], [data-testid="ent-archive"] [data-testid="credit-empty"]')
			const active = await page.locator('[data-testid="main-nav"] .el-menu-item.is-active').innerText()
			assert(active.includes('企业档案'), `active menu entry is ${JSON.stringify(active)}`)
			opened = { uscc: uscc.trim(), name }
		})

		// Append-only: each run adds one internal event to the enterprise it opened.
		const EVENT_TITLE = `内部约谈记录 ${Date.now().toString(36)}`
		await check('an internal credit event is recorded through the dialog and marked 内部', async () => {
			assert(opened, 'no enterprise opened')
			await page.locator('[data-testid="ent-add-event"]').click()
			await page.waitForSelector('[data-testid="ent-event-dialog"] [data-testid="ev-rule"]')
			await pickOption(page, 'ev-kind', '约谈')
			const rule = await page.locator('[data-testid="ev-rule"]').innerText()
			assert(rule.includes('失信') && rule.includes('60 个月'), `rule hint ${JSON.stringify(rule)}`)
			await field(page, 'ev-title').fill(EVENT_TITLE)
			await pickOption(page, 'ev-visibility', '内部')
			const posted = page.waitForResponse(
				(r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/credit-events'),
			)
			await page.locator('[data-testid="ev-save"]').click()
			const r = await posted
			assert(r.status() === 201, `POST answered ${r.status()}: ${await r.text()}`)
			const item = page.locator('[data-testid="credit-timeline"] .el-timeline-item').filter({ hasText: EVENT_TITLE })
			await item.waitFor()
			assert((await item.getAttribute('data-visibility')) === 'internal', 'not internal')
			assert((await item.locator('[data-testid="ev-internal"]').innerText()).includes('内部'), 'no 内部 mark')
		})

		await check('the import page: a GBK CSV with a bad row 4 gets a report naming row 4, nothing written', async () => {
			assert(hasImport, `the API description lacks POST ${IMPORT_ROUTE}`)
			await page.goto(`${BASE}/#/enterprises/import`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="imp-form"]')
			assert(!(await page.locator('[data-testid="imp-no-upload"]').count()), 'the page says there is no upload')
			const csv =
				'河南省企业名录（测试）\r\n' +
				'统一社会信用代码,企业名称,行政区划,行业代码\r\n' +
				`${GOOD_USCC},郑州测试机械有限公司,410100,34\r\n` +
				`${BAD_USCC},郑州错误代码有限公司,410100,34\r\n`
			const file = path.join(tmp, 'gbk.csv')
			fs.writeFileSync(file, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv }))
			await page.locator('[data-testid="imp-file"]').setInputFiles(file)
			await page.waitForSelector('[data-testid="imp-file-name"]')
			await page.locator('[data-testid="imp-start"]').click()
			await page.waitForSelector('[data-testid="imp-result"], [data-testid="imp-error"]', { timeout: 60000 })
			assert((await page.locator('[data-testid="imp-error"]').count()) === 0, await page.locator('[data-testid="imp-error"]').innerText().catch(() => 'error'))
			const summary = await page.locator('[data-testid="imp-summary"]').innerText()
			assert(summary.includes('导入 0，更新 0，未变 0，拒绝 1'), `summary ${JSON.stringify(summary)}`)
			assert(summary.includes('未写入'), `summary does not say nothing was written: ${JSON.stringify(summary)}`)
			const meta = await page.locator('.zl-imp-meta').innerText()
			assert(meta.includes('gb18030'), `the encoding shown is not GB18030: ${JSON.stringify(meta)}`)
			const rows = page.locator('[data-testid="imp-rejects"] .el-table__body tr')
			assert((await rows.count()) === 1, `${await rows.count()} rejected rows shown`)
			// Row numbers are the file's: title row 1, header 2, good row 3, bad row 4.
			const cells = (await rows.first().locator('td').allInnerTexts()).map((c) => c.trim())
			assert(cells[0] === '4', `rejected row number is ${JSON.stringify(cells[0])}, want 4`)
			assert(cells.slice(1).join(' ').includes(BAD_USCC), `the rejected row does not show ${BAD_USCC}: ${cells.join(' | ')}`)
			const gone = await apiGet(page, `/api/v1/enterprises/${GOOD_USCC}`)
			assert(gone.status === 404, `the good row was written (GET answered ${gone.status}) although the import is atomic`)
			// The whole report as a workbook (the same file checked again without writing).
			const dl = page.waitForEvent('download')
			await page.locator('[data-testid="imp-report"]').click()
			const d = await dl
			assert(d.suggestedFilename().endsWith('.xlsx'), `report saved as ${d.suggestedFilename()}`)
			const saved = path.join(tmp, 'report.xlsx')
			await d.saveAs(saved)
			assert(fs.readFileSync(saved).subarray(0, 4).toString('hex') === '504b0304', 'the report is not an xlsx file')
		})

		// A per-run name with a fragment no demo name has, so the list shows the new enterprise.
		const RARE = '犇骉淼焱垚燚龘靐飍羴猋鱻赑'
		const pickRare = () => RARE[Math.floor(Math.random() * RARE.length)]
		const NEW_FRAG = pickRare() + pickRare()
		const NEW_NAME = `郑州${NEW_FRAG}上传测试机械有限公司`
		await check(`an all-good file imports and its enterprise is found by ${NEW_FRAG}`, async () => {
			await page.locator('button').filter({ hasText: '继续导入' }).click()
			await page.waitForSelector('[data-testid="imp-result"]', { state: 'detached' })
			const file = path.join(tmp, 'good.csv')
			fs.writeFileSync(file, `统一社会信用代码,企业名称,所在地区,行业代码,备注\n${NEW_USCC},${NEW_NAME},410102,C3411,新登记\n`)
			await page.locator('[data-testid="imp-file"]').setInputFiles(file)
			await page.waitForSelector('[data-testid="imp-file-name"]')
			await page.locator('[data-testid="imp-start"]').click()
			await page.waitForSelector('[data-testid="imp-result"], [data-testid="imp-error"]', { timeout: 60000 })
			assert((await page.locator('[data-testid="imp-error"]').count()) === 0, await page.locator('[data-testid="imp-error"]').innerText().catch(() => 'error'))
			const summary = await page.locator('[data-testid="imp-summary"]').innerText()
			assert(summary.includes('导入 1，更新 0，未变 0，拒绝 0'), `summary ${JSON.stringify(summary)}`)
			const unmapped = await page.locator('[data-testid="imp-unmapped"]').innerText()
			assert(unmapped.includes('备注'), `unmapped columns ${JSON.stringify(unmapped)}`)
			await page.waitForSelector('[data-testid="imp-no-rejects"]')
			await page.goto(`${BASE}/#/enterprises`, { waitUntil: 'load' })
			await page.waitForSelector('[data-testid="enterprises"] [data-testid="ent-row-name"]')
			await field(page, 'ent-q').fill(NEW_FRAG)
			// Wait for the filtered answer itself: the new code may sort onto the
			// first page of the unfiltered list, so its row alone proves nothing.
			const resp = page.waitForResponse(
				(r) => new URL(r.url()).pathname === '/api/v1/enterprises' && new URL(r.url()).searchParams.get('q') === NEW_FRAG,
			)
			await page.locator('[data-testid="ent-apply"]').click()
			await resp
			await page.waitForFunction(
				(n) => {
					const rows = [...document.querySelectorAll('[data-testid="ent-row-name"]')]
					return rows.length === 1 && rows[0].textContent.includes(n)
				},
				NEW_NAME,
			)
			const total = await page.locator('[data-testid="ent-total"]').innerText()
			assert(Number(total.replace(/[^\d]/g, '')) === 1, `total for ${NEW_FRAG}: ${JSON.stringify(total)}`)
		})

		// ---- the public lookup, without a session ----
		const anon = await newContext(browser)
		const pub = await anon.newPage()
		pub.setDefaultTimeout(TIMEOUT)
		watch(pub, problems, expected)
		await check('the public lookup finds enterprises without login', async () => {
			await pub.goto(`${BASE}/#/public`, { waitUntil: 'load' })
			await pub.waitForSelector('[data-testid="pub-form"]')
			await field(pub, 'pub-q').fill(frag)
			await pub.locator('[data-testid="pub-search"]').click()
			await pub.waitForSelector('[data-testid="pub-item"]')
			const items = await pub.locator('[data-testid="pub-item"]').allInnerTexts()
			assert(items.some((t) => t.includes(frag)), `no public result contains ${frag}`)
			assert(!(await pub.locator('[data-testid="user-menu"]').count()), 'signed in?')
		})
		await check('the public search pages through a common fragment', async () => {
			// 有限 is in most demo names: more than one page of results.
			await field(pub, 'pub-q').fill('有限')
			await pub.locator('[data-testid="pub-search"]').click()
			await pub.waitForSelector('[data-testid="pub-more"]')
			const first = await pub.locator('[data-testid="pub-item"]').count()
			await pub.locator('[data-testid="pub-more"]').click()
			await pub.waitForFunction((n) => document.querySelectorAll('[data-testid="pub-item"]').length > n, first)
			const codes = await pub.locator('[data-testid="pub-item"] .zl-pub-item-code').allInnerTexts()
			assert(codes.length === 2 * first, `${codes.length} rows after one more page of ${first}`)
			assert(new Set(codes).size === codes.length, 'a row shown twice across pages')
			assert([...codes].sort().join() === codes.join(), 'pages not in credit-code order')
		})
		await check('the public record (by credit code) shows public events only', async () => {
			assert(opened, 'no enterprise opened')
			await field(pub, 'pub-q').fill(opened.uscc)
			await pub.locator('[data-testid="pub-search"]').click()
			// A credit code opens the record directly.
			await pub.waitForSelector('[data-testid="pub-detail-name"]')
			const code = await pub.locator('[data-testid="pub-detail-uscc"]').innerText()
			assert(code.trim() === opened.uscc, `public record of ${code}`)
			const n = await pub.locator('[data-testid="pub-detail-name"]').innerText()
			assert(n.includes(opened.name), `public name ${JSON.stringify(n)}`)
			await pub.waitForSelector('[data-testid="pub-detail"] [data-testid="credit-timeline"], [data-testid="pub-detail"] [data-testid="credit-empty"]')
			const text = await pub.locator('[data-testid="pub-detail"]').innerText()
			assert(!text.includes(EVENT_TITLE), 'the internal event is shown to the public')
			const internal = await pub.locator('[data-testid="pub-detail"] [data-visibility="internal"]').count()
			assert(internal === 0, `${internal} internal events shown to the public`)
			assert(!(await pub.locator('[data-testid="ev-internal"]').count()), 'internal mark shown to the public')
		})

		await check('no console errors, failed requests or CSP violations', async () => {
			const all = (await allProblems(page, problems)).concat(await allProblems(pub, []))
			assert(all.length === 0, all.slice(0, 5).join(' | '))
		})
		await anon.close()
		await context.close()
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true })
		await browser.close()
	}
}

main()
	.catch((e) => report('unexpected failure', e))
	.finally(finish)
