// Browser test of plan tracking (issue 5): as the demo administrator, import the Henan 2014 plan
// from ../shared/plans through the upload page (preview: 4 sections, 18 tasks, task 1 led by
// 省食品药品监管局, task 2 shared; skipped with a message when the file is absent), and a small
// synthetic plan shipped in tests/e2e/fixtures, dropped onto the page (its unresolved name 省统计局
// highlighted in the preview, then mapped by the administrator on the plan page). On task 1 of
// the plan imported first, an officer of its lead department is created through the API; the
// administrator gives the task a start 60 days ago and a deadline 60 days ahead, so it turns
// yellow (no report, behind the schedule); the officer sees the notification badge, finds the
// task first on 我的任务 and files a progress report of 60%; the administrator (the plan's
// organization) confirms it and the light turns green with 60% progress; the officer is told of
// the confirmation. Also: the plan page's tree, lights, ledger links and completion chart, the
// reasons in English, the decomposition page (郑州市's local plan with a local lead), the
// dashboard tile.
//
// Nothing may go wrong on the way except GET /api/v1/me answering 401 while nobody is signed in,
// and - when the test runs again on the same database - the imports answering 409 (the file was
// imported before: the test then finds that plan) and the 统计局 organization existing (409).
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`;
// exit status 1 when any check failed. Environment: ZL_BASE_URL, ZL_ADMIN_USER (default admin),
// ZL_ADMIN_PASSWORD (required), ZL_CHROMIUM, ZL_SCREENSHOTS=DIR (writes PNGs of the pages there).
import fs from 'node:fs'
import path from 'node:path'
import {
	BASE,
	TIMEOUT,
	allProblems,
	anonymousMe,
	assert,
	call,
	check,
	field,
	fillDate,
	finish,
	launch,
	login,
	newContext,
	pickTreeSelect,
	reachable,
	repo,
	report,
	shot,
	watch,
} from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const ADMIN_PW = process.env.ZL_ADMIN_PASSWORD || ''
const HENAN = path.resolve(repo, '../shared/plans/henan-2014-quality-plan.txt')
const SMALL = path.join(repo, 'tests/e2e/fixtures/plan-small.txt')
const SMALL_TITLE = '示范省质量提升专项行动方案'
const STATS_ORG = '410000-D090' // 河南省统计局, created here for the name mapping
const RUN = Math.random().toString(36).slice(2, 8)
const OFFICER = `plan_officer_${RUN}`
const OFFICER_PW = `Plan-Officer-${RUN}-2014!`

// Today in the province (Asia/Shanghai) plus `days`, as the server counts.
const day = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)

function expected({ method, url, status }) {
	if (anonymousMe({ method, url, status })) return true
	if (method === 'POST' && url.pathname === '/api/v1/plans/import' && status === 409) return true
	return method === 'POST' && url.pathname === '/api/v1/orgs' && status === 409
}

// The light of the task page once it reads `want`; returns the reasons text.
async function waitLight(page, want) {
	await page.waitForSelector(`[data-testid="task-light"] [data-light="${want}"]`)
	const r = page.locator('[data-testid="task-light"] [data-testid="plan-light-reasons"]')
	return (await r.count()) ? r.innerText() : ''
}

// Import `file` through the upload page: preview, then import. `drop` simulates dragging it onto
// the drop zone (DataTransfer); otherwise the file input is set. Resolves to the plan's id.
async function importPlan(page, file, { drop = false, onPreview } = {}) {
	await page.goto(`${BASE}/#/plans/import`)
	await page.waitForSelector('[data-testid="pimp-drop"]')
	if (drop) {
		const text = fs.readFileSync(file, 'utf8')
		await page.evaluate(
			([t, name]) => {
				const dt = new DataTransfer()
				dt.items.add(new File([t], name, { type: 'text/plain' }))
				const zone = document.querySelector('[data-testid="pimp-drop"]')
				for (const type of ['dragenter', 'dragover', 'drop'])
					zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }))
			},
			[text, path.basename(file)],
		)
	} else {
		await page.setInputFiles('[data-testid="pimp-file"]', file)
	}
	await page.waitForSelector('[data-testid="pimp-file-name"]')
	await page.locator('[data-testid="pimp-preview"]').click()
	await page.waitForSelector('[data-testid="pimp-preview-card"][data-dry="1"], [data-testid="pimp-error"]')
	if (await page.locator('[data-testid="pimp-error"]').count()) {
		const msg = await page.locator('[data-testid="pimp-error"]').innerText()
		if (!/已导入过|imported before/.test(msg)) throw new Error(`preview failed: ${msg}`)
		// Run again on the same database: the plan is there already.
		const title = path.basename(file) === path.basename(SMALL) ? SMALL_TITLE : '贯彻实施质量发展纲要2014年行动计划实施方案'
		const r = await call(page, 'GET', `/api/v1/plans?top=1&org=410000&limit=50&q=${encodeURIComponent(title)}`)
		const found = r.body.items.find((x) => x.title === title)
		assert(found, `no earlier import of ${title}`)
		const p = await call(page, 'GET', `/api/v1/plans/${found.id}`)
		if (p.body.source_name !== path.basename(file)) throw new Error(`plan ${found.id} comes from ${p.body.source_name}`)
		return found.id
	}
	if (onPreview) await onPreview()
	await page.locator('[data-testid="pimp-start"]').click()
	await page.waitForSelector('[data-testid="pimp-done"]')
	const href = await page.locator('[data-testid="pimp-open-plan"]').getAttribute('href')
	const id = Number((/plans\/(\d+)/.exec(href) || [])[1])
	assert(id > 0, `no plan link: ${href}`)
	return id
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
		const adminCtx = await newContext(browser)
		const admin = await adminCtx.newPage()
		admin.setDefaultTimeout(TIMEOUT)
		watch(admin, problems, expected)

		await check('the admin signs in and opens 计划督办', async () => {
			await login(admin, ADMIN, ADMIN_PW)
			await admin.locator('[data-testid="main-nav"] [data-module="plans"]').click()
			await admin.waitForSelector('[data-testid="plans-table"] [data-testid="plans-row"]')
			const total = await admin.locator('[data-testid="plans-total"]').innerText()
			assert(/\d/.test(total), `total ${total}`)
			await shot(admin, 'plans-list')
		})

		let henanId = 0
		if (fs.existsSync(HENAN)) {
			await check('the Henan 2014 plan: preview (4 sections, 18 tasks, leads) and import', async () => {
				henanId = await importPlan(admin, HENAN, {
					onPreview: async () => {
						const counts = admin.locator('[data-testid="pimp-counts"]')
						assert((await counts.getAttribute('data-tasks')) === '18', `tasks ${await counts.getAttribute('data-tasks')}`)
						const text = await counts.innerText()
						assert(text.includes('4 个部分') && text.includes('18 项任务'), `counts line ${text}`)
						const t1 = admin.locator('[data-testid="pimp-tree"] tr').filter({ has: admin.locator('[data-testid="pimp-task"][data-number="1"]') })
						assert((await t1.innerText()).includes('牵头·省食品药品监管局'), `task 1 row: ${await t1.innerText()}`)
						const t2 = admin.locator('[data-testid="pimp-tree"] tr').filter({ has: admin.locator('[data-testid="pimp-task"][data-number="2"]') })
						assert(!(await t2.innerText()).includes('牵头'), 'task 2 (shared) shows a lead')
						const t18 = admin.locator('[data-testid="pimp-tree"] tr').filter({ has: admin.locator('[data-testid="pimp-task"][data-number="18"]') })
						assert((await t18.innerText()).includes('省质量立省战略工作领导小组'), 'task 18 lead')
						await shot(admin, 'import-preview-henan')
					},
				})
				await admin.goto(`${BASE}/#/plans/${henanId}`)
				await admin.waitForSelector('[data-testid="plan-tree"] [data-testid="plan-task"]')
				assert((await admin.locator('[data-testid="plan-task"]').count()) === 18, 'the plan page lists 18 tasks')
			})
		} else {
			report(`the Henan 2014 plan: skipped, ${HENAN} is not there (the synthetic plan carries the test)`)
		}

		let smallId = 0
		await check('a synthetic plan dropped onto the page: the unresolved name highlighted, then imported', async () => {
			smallId = await importPlan(admin, SMALL, {
				drop: true,
				onPreview: async () => {
					const bad = admin.locator('[data-testid="pimp-names"] [data-testid="pimp-name-bad"]')
					assert((await bad.count()) === 1, `${await bad.count()} unresolved names in the preview`)
					const row = admin.locator('[data-testid="pimp-names"] tr').filter({ has: admin.locator('[data-testid="pimp-name-bad"]') })
					assert((await row.innerText()).includes('省统计局'), `unresolved row ${await row.innerText()}`)
					const red = admin.locator('[data-testid="pimp-tree"] [data-testid="owner-tag"][data-resolved="0"]')
					assert((await red.count()) === 1 && (await red.innerText()).includes('省统计局'), 'the task tree highlights 省统计局')
					await shot(admin, 'import-preview-small')
				},
			})
			if (await admin.locator('[data-testid="pimp-done"]').count()) {
				assert((await admin.locator('[data-testid="pimp-map-names"]').count()) === 1, 'no link to map the unresolved name')
				await shot(admin, 'import-done')
			}
		})

		await check('the administrator maps 省统计局 to a new 河南省统计局 on the plan page', async () => {
			const r = await call(admin, 'POST', '/api/v1/orgs', {
				code: STATS_ORG,
				kind: 'department',
				name: '河南省统计局',
				short_name: '统计局',
				parent: '410000',
				valid_from: '2014-01-01',
			})
			assert(r.status === 201 || r.status === 409, `creating the organization: ${r.status}`)
			// A fresh page load: the organization tree is cached per load.
			await admin.goto('about:blank')
			await admin.goto(`${BASE}/#/plans/${smallId}?tab=names`)
			await admin.waitForSelector('[data-testid="plan-names"]')
			if (await admin.locator('[data-testid="plan-names-empty"]').count()) return // mapped on an earlier run
			await admin.waitForSelector('[data-testid="plan-names-table"] [data-testid="plan-map"]')
			await pickTreeSelect(admin, 'plan-map-org', '河南省统计局')
			await admin.locator('[data-testid="plan-map"]').first().click()
			await admin.waitForSelector('[data-testid="plan-names-empty"]')
			const tab = await admin.locator('[data-testid="plan-tabs"]').innerText()
			assert(tab.includes('未匹配名称（0）'), `tabs say ${tab}`)
		})

		const flowId = henanId || smallId
		let taskId = 0
		let leadOrg = ''
		let leadName = ''
		await check('the plan page: tree with lights, ledger links, completion chart', async () => {
			await admin.goto(`${BASE}/#/plans/${flowId}`)
			await admin.waitForSelector('[data-testid="plan-tree"] [data-testid="plan-task"][data-number="1"]')
			const lights = await admin.locator('[data-testid="plan-tree"] [data-testid="plan-light"]').count()
			assert(lights >= 4, `${lights} lights in the tree`)
			const xlsx = await admin.locator('[data-testid="plan-ledger-xlsx"]').getAttribute('href')
			assert(xlsx === `/api/v1/plans/${flowId}/ledger?format=xlsx`, `ledger link ${xlsx}`)
			const csv = await admin.locator('[data-testid="plan-ledger-csv"]').getAttribute('href')
			assert(csv.endsWith('format=csv'), `ledger csv link ${csv}`)
			const href = await admin.locator('[data-testid="plan-task"][data-number="1"]').getAttribute('href')
			taskId = Number((/tasks\/(\d+)/.exec(href) || [])[1])
			assert(taskId > 0, `task link ${href}`)
			await shot(admin, 'plan-detail')
			await admin.locator('[data-testid="plan-tabs"] label, [data-testid="plan-tabs"] .el-radio-button').filter({ hasText: '完成情况' }).first().click()
			await admin.waitForSelector('[data-testid="plan-completion"] [data-testid="completion-chart"] canvas')
			await shot(admin, 'plan-completion')
			const t = await call(admin, 'GET', `/api/v1/plan-tasks/${taskId}`)
			const lead = (t.body.owners || []).find((o) => o.role === 'lead' && o.org)
			assert(lead, 'task 1 has no resolved lead')
			leadOrg = lead.org
			leadName = lead.name
		})

		await check(`an officer of the lead department (${leadName || '?'}) is created`, async () => {
			assert(leadOrg, 'no lead organization')
			const r = await call(admin, 'POST', '/api/v1/users', {
				username: OFFICER,
				password: OFFICER_PW,
				org: leadOrg,
				role: 'officer',
				display_name: `${leadName}督办员`,
			})
			assert(r.status === 201, `POST /api/v1/users answered ${r.status}: ${JSON.stringify(r.body)}`)
		})

		const start = day(-60)
		const deadline = day(60)
		await check('the plan owner gives task 1 its dates; it turns yellow (no report, behind)', async () => {
			await admin.goto(`${BASE}/#/plans/tasks/${taskId}`)
			await admin.waitForSelector('[data-testid="task-light"] [data-testid="plan-light"]')
			await admin.locator('[data-testid="task-edit"]').click()
			await admin.locator('[data-testid="task-edit-dialog"]').first().waitFor({ state: 'visible' })
			await fillDate(admin, 'task-edit-start', start)
			await fillDate(admin, 'task-edit-deadline', deadline)
			await admin.locator('[data-testid="task-edit-save"]').click()
			await admin.waitForFunction(
				(d) => (document.querySelector('[data-testid="task-deadline"]') || {}).textContent?.includes(d),
				deadline,
			)
			const why = await waitLight(admin, 'yellow')
			assert(why.includes('未按时报送') && why.includes('进度滞后'), `reasons: ${why}`)
			assert((await admin.locator('[data-testid="task-start"]').innerText()).includes(start), 'start not shown')
			await shot(admin, 'task-yellow')
		})

		await check('the reasons are translated (English)', async () => {
			await admin.locator('[data-testid="lang-switch"]').first().click()
			await admin.waitForFunction(() => document.documentElement.lang === 'en')
			const why = await waitLight(admin, 'yellow')
			assert(why.includes('no report') && why.includes('behind schedule'), `English reasons: ${why}`)
			const label = await admin.locator('[data-testid="task-light"] [data-light="yellow"]').innerText()
			assert(label.includes('Yellow'), `light label ${label}`)
			await admin.locator('[data-testid="lang-switch"]').first().click()
			await admin.waitForFunction(() => document.documentElement.lang === 'zh-CN')
		})

		// ---- the officer ----
		const offCtx = await newContext(browser)
		const officer = await offCtx.newPage()
		officer.setDefaultTimeout(TIMEOUT)
		watch(officer, problems, expected)

		await check('the officer signs in and sees the notification badge', async () => {
			await login(officer, OFFICER, OFFICER_PW)
			await officer.waitForSelector('[data-testid="notif-badge"]')
			await officer.waitForFunction(
				() => Number(document.querySelector('[data-testid="notif-badge"]').dataset.count) > 0,
			)
			const sup = await officer.locator('[data-testid="notif-badge"] sup').innerText()
			assert(Number(sup) >= 1, `badge shows ${sup}`)
			await officer.locator('[data-testid="notif-bell"]').click()
			await officer.waitForSelector('[data-testid="notif-item"]')
			const kinds = await officer.locator('[data-testid="notif-item"]').evaluateAll((els) => els.map((e) => e.dataset.kind))
			assert(kinds.includes('plan.task_yellow'), `notification kinds ${kinds.join(',')}`)
			await shot(officer, 'officer-notifications')
			await officer.keyboard.press('Escape')
		})

		await check('我的任务 lists the task, the overdue and due-soon ones first', async () => {
			await officer.goto(`${BASE}/#/plans/my-tasks`)
			await officer.waitForSelector('[data-testid="my-table"] [data-testid="my-task"]')
			const row = officer.locator('[data-testid="my-table"] tbody tr').filter({ has: officer.locator(`[data-testid="my-task"][href$="/plans/tasks/${taskId}"]`) })
			assert((await row.count()) === 1, 'the task is not listed')
			assert((await row.locator('[data-light="yellow"]').count()) === 1, 'not yellow')
			// Urgent rows (overdue, then due soon) come before the others.
			const ranks = await officer.locator('[data-testid="my-table"] tbody tr').evaluateAll((trs) =>
				trs.map((tr) => (tr.classList.contains('zl-row-overdue') ? 0 : tr.classList.contains('zl-row-soon') ? 1 : 2)),
			)
			assert(ranks.every((r, i) => i === 0 || ranks[i - 1] <= r), `rows out of order: ${ranks.join('')}`)
			await shot(officer, 'my-tasks')
		})

		await check('the officer files a progress report of 60%', async () => {
			await officer.locator(`[data-testid="my-task"][href$="/plans/tasks/${taskId}"]`).click()
			await officer.waitForSelector('[data-testid="report-form"]')
			await officer.locator('textarea[data-testid="report-text"], [data-testid="report-text"] textarea').first().fill('已完成摸底调查和专项检查方案，完成全年任务的六成。')
			const pct = field(officer, 'report-progress')
			await pct.fill('60')
			await pct.press('Tab')
			await officer.locator('[data-testid="report-submit"]').click()
			await officer.waitForSelector('[data-testid="report-item"][data-status="submitted"]')
			// Filed but not confirmed: still behind the schedule, no longer "no report".
			const why = await waitLight(officer, 'yellow')
			assert(!why.includes('未按时报送') && why.includes('进度滞后'), `reasons after filing: ${why}`)
			assert((await officer.locator('[data-testid="report-confirm"]').count()) === 0, 'the author may confirm')
			await shot(officer, 'task-report-filed')
		})

		await check('the plan owner confirms it: the light turns green with 60%', async () => {
			await admin.reload()
			await admin.waitForSelector('[data-testid="report-item"][data-status="submitted"] [data-testid="report-confirm"]')
			await admin.locator('[data-testid="report-confirm"]').first().click()
			await admin.locator('[data-testid="decide-ok"]').click()
			await admin.waitForSelector('[data-testid="report-item"][data-status="confirmed"]')
			await waitLight(admin, 'green')
			const pct = await admin.locator('[data-testid="task-progress"]').getAttribute('data-progress')
			assert(pct === '60', `progress ${pct}`)
			await shot(admin, 'task-green')
		})

		await check('the officer is told of the confirmation', async () => {
			await officer.reload()
			await officer.waitForSelector('[data-testid="task-light"] [data-light="green"]')
			await officer.locator('[data-testid="notif-bell"]').click()
			await officer.waitForSelector('[data-testid="notif-item"][data-kind="plan.report_confirmed"]')
			await officer.locator('[data-testid="notif-item"][data-kind="plan.report_confirmed"]').first().click()
			await officer.waitForURL(new RegExp(`/plans/tasks/${taskId}$`))
		})

		await check('郑州市 decomposes the plan: a local plan with a local lead', async () => {
			await admin.goto(`${BASE}/#/plans/${flowId}/decompose?org=410100`)
			await admin.waitForSelector('[data-testid="dec-step1"] [data-testid="dec-tasks"]')
			if ((await admin.locator('[data-testid="dec-create"]').isDisabled()) && (await admin.locator('[data-testid="dec-step1"] .el-alert').count())) return // an earlier run made it
			await admin.locator('[data-testid="dec-create"]').click()
			await admin.waitForSelector('[data-testid="dec-step2"] [data-testid="dec-assign"]')
			await pickTreeSelect(admin, 'dec-lead', '中原区')
			await admin.locator('[data-testid="dec-save"]').click()
			const row = admin.locator('[data-testid="dec-assign"] tbody tr').first()
			await row.locator('[data-testid="owner-tag"]').filter({ hasText: '中原区' }).first().waitFor()
			await shot(admin, 'decompose')
		})

		await check('the bulletin (通报): organizations ranked, and the PDF to circulate', async () => {
			await admin.goto(`${BASE}/#/plans/${flowId}?tab=bulletin`)
			await admin.waitForSelector('[data-testid="plan-bulletin-ranking"] tbody tr')
			const ranks = await admin.locator('[data-testid="plan-bulletin-ranking"] tbody tr td:first-child').allInnerTexts()
			assert(ranks.length >= 2 && ranks[0].trim() === '1', `ranks ${JSON.stringify(ranks.slice(0, 3))}`)
			const summary = await admin.locator('[data-testid="plan-bulletin-summary"]').innerText()
			assert(/共有任务 \d+ 项/.test(summary), `summary ${JSON.stringify(summary)}`)
			const href = await admin.locator('[data-testid="plan-bulletin-pdf"]').getAttribute('href')
			assert(href === `/api/v1/plans/${flowId}/bulletin?by=owner&format=pdf`, `pdf link ${href}`)
			const pdf = await admin.evaluate(async (u) => {
				const r = await fetch(u)
				const b = new Uint8Array(await r.arrayBuffer())
				return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)), size: b.length }
			}, href)
			assert(pdf.status === 200 && pdf.type === 'application/pdf' && pdf.head === '%PDF-' && pdf.size > 10000, `pdf ${JSON.stringify(pdf)}`)
			await admin.locator('[data-testid="plan-bulletin-local"]').click()
			await admin.waitForSelector('[data-testid="plan-bulletin"][data-by="local"]')
			await shot(admin, 'plan-bulletin')
		})

		await check('the dashboard tile shows completion by organization', async () => {
			await admin.goto(`${BASE}/#/`)
			await admin.waitForSelector('[data-testid="dash-plan"] [data-testid="completion-chart"] canvas')
			await shot(admin, 'dashboard')
		})

		await check('no console errors, failed requests or CSP violations', async () => {
			const all = (await allProblems(admin, problems)).concat(await allProblems(officer, []))
			assert(all.length === 0, all.join(' | '))
		})
	} finally {
		await browser.close()
	}
}

main()
	.catch((e) => report('plans test', e))
	.finally(finish)
