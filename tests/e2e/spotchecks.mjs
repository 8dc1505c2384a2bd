// Browser test of the spot-check plans and the key-product catalogue (issue 6, item 6): the demo
// administrator creates, through the API, an officer of 郑州市 (410100), one of the provincial
// quality bureau (410000-D006) and an analyst of 郑州市. The city officer drafts a 2014 city plan
// on 新建抽查计划 - the plan, then a laboratory of the province (outside the city's subtree: the
// form's choices come from the server), the sampling places, 0401 普通硅酸盐水泥 from the catalogue
// with quotas for 中原区 and 金水区, and the weight of class C for high-risk products - first with
// shares summing to 90, which the server refuses naming "places" and the page shows there, then
// right; and submits it. The provincial officer finds it in the approval queue (待审批), is told
// a return needs a reason, and returns it with one; the city officer reads the reason on the
// draft and submits it again, and the provincial officer approves it in the queue. The city
// officer sees it approved, starts it, and can no longer edit it. The analyst (spotcheck.read,
// not spotcheck.plan) reads the plan in progress but is offered none of its steps, no
// 新建抽查计划, and #/spot-checks/new is refused to them. Then the catalogue: the city officer
// browses the tree to 0401 and its test items (limits, severity, the standard inherited from 04)
// without any editing button, and both exports answer an xlsx workbook; the provincial officer
// adds a category whose standard carries its year in the number - refused, shown at that
// standard - then right, and its history shows the creation; they retire it (after confirming)
// and reinstate it. Last, the plan page in English.
//
// Nothing may go wrong on the way except GET /api/v1/me answering 401 while nobody is signed in
// and the two 422 answers provoked on purpose.
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`;
// exit status 1 when any check failed. Environment: ZL_BASE_URL, ZL_ADMIN_USER (default admin),
// ZL_ADMIN_PASSWORD (required), ZL_CHROMIUM, ZL_SCREENSHOTS=DIR (writes PNGs of the pages there).
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
	fillNumber,
	finish,
	login,
	newContext,
	pickSelect,
	pickTreeSelect,
	report,
	shot,
	start,
	watch,
} from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const ADMIN_PW = process.env.ZL_ADMIN_PASSWORD || ''
const RUN = Math.random().toString(36).slice(2, 8)
const CITY = `sc_zz_${RUN}`
const CITY_PW = `Sc-Zhengzhou-${RUN}-2014!`
const PROV = `sc_prov_${RUN}`
const PROV_PW = `Sc-Province-${RUN}-2014!`
const ANALYST = `sc_an_${RUN}`
const ANALYST_PW = `Sc-Analyst-${RUN}-2014!`
const TITLE = `2014年郑州市水泥产品质量监督抽查计划（${RUN}）`
const CAT_CODE = `13${RUN.toUpperCase().replace(/[^0-9A-Z]/g, '')}`.slice(0, 10)
const REASON = '请补充电子商务领域的抽样比例。'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function expected({ method, url, status }) {
	if (anonymousMe({ method, url, status })) return true
	if (status !== 422 || method !== 'POST') return false
	return url.pathname === '/api/v1/spotcheck-plans' || url.pathname === '/api/v1/catalogue'
}

// What a link answers with the page's session: status, type and the first bytes.
async function fetchHead(page, href) {
	return page.evaluate(async (u) => {
		const r = await fetch(u, { credentials: 'same-origin' })
		const b = new Uint8Array(await r.arrayBuffer())
		return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 2)), size: b.length }
	}, href)
}

async function main() {
	const browser = await start(ADMIN_PW)
	if (!browser) return
	const problems = []
	const pages = []
	async function signIn(user, pw) {
		const ctx = await newContext(browser)
		const page = await ctx.newPage()
		page.setDefaultTimeout(TIMEOUT)
		watch(page, problems, expected)
		pages.push(page)
		await login(page, user, pw)
		return page
	}
	try {
		await check('the administrator creates a 郑州 officer, a provincial quality bureau officer and a 郑州 analyst', async () => {
			const admin = await signIn(ADMIN, ADMIN_PW)
			for (const [username, password, org, role, name] of [
				[CITY, CITY_PW, '410100', 'officer', '郑州市抽查计划员'],
				[PROV, PROV_PW, '410000-D006', 'officer', '省质监局审批员'],
				[ANALYST, ANALYST_PW, '410100', 'analyst', '郑州市统计分析员'],
			]) {
				const r = await call(admin, 'POST', '/api/v1/users', { username, password, org, role, display_name: name })
				assert(r.status === 201, `POST /api/v1/users ${username}: ${r.status} ${JSON.stringify(r.body)}`)
			}
		})

		const city = await signIn(CITY, CITY_PW)
		let planId = 0
		await check('the city officer opens 监督抽查: the plans, no approval queue, 新建抽查计划', async () => {
			await city.locator('[data-testid="main-nav"] [data-module="spotChecks"]').click()
			await city.waitForSelector('[data-testid="sc-table"] [data-testid="sc-row"]')
			assert((await city.locator('[data-testid="sc-tabs"]').count()) === 0, 'a city officer sees the approval queue')
			assert((await city.locator('[data-testid="sc-new"]').count()) === 1, 'no 新建抽查计划')
			const href = await city.locator('[data-testid="sc-xlsx"]').getAttribute('href')
			assert(href === '/api/v1/spotcheck-plans?format=xlsx', `export link ${href}`)
			await shot(city, 'sc-list')
		})

		await check('step 1: the plan - organization preset, dates, budget; the title follows the year', async () => {
			await city.locator('[data-testid="sc-new"]').click()
			await city.waitForSelector('[data-testid="spe-title"]')
			await fillDate(city, 'spe-start', '2014-04-01')
			await fillDate(city, 'spe-end', '2014-10-31')
			await city.waitForFunction(() => (document.querySelector('[data-testid="spe-title"] input, input[data-testid="spe-title"]') || {}).value === '2014年郑州市产品质量监督抽查计划')
			await field(city, 'spe-title').fill(TITLE)
			await fillNumber(city, 'spe-budget', 150000)
			await shot(city, 'sc-new-step1')
			await city.locator('[data-testid="sc-new-next"]').click()
			await city.waitForSelector('[data-testid="sc-new-page"][data-step="2"] [data-testid="spe-quotas"]')
		})

		await check('step 2: a provincial laboratory, places, 0401 with quotas for 中原区 and 金水区, weight C·Ⅰ 9', async () => {
			await pickSelect(city, 'spe-labs', '河南省产品质量监督检验院')
			await city.keyboard.press('Escape')
			await fillNumber(city, 'spe-place-production', 70)
			await fillNumber(city, 'spe-place-circulation', 20)
			await pickTreeSelect(city, 'spe-product-pick', '普通硅酸盐水泥')
			await city.locator('[data-testid="spe-product-add"]').click()
			await city.waitForSelector('[data-testid="spe-product-row"][data-code="0401"]')
			// The laboratory chosen is the product's when it is the plan's only one.
			const lab = await city.locator('[data-testid="spe-product-row"][data-code="0401"] .zl-q-lab').innerText()
			assert(lab.includes('省质检院'), `product lab ${JSON.stringify(lab)}`)
			await pickSelect(city, 'spe-region-pick', '中原区')
			await pickSelect(city, 'spe-region-pick', '金水区')
			await city.keyboard.press('Escape')
			await city.locator('[data-testid="spe-region-add"]').click()
			await city.waitForSelector('[data-testid="quota-0401-410105"]')
			await fillNumber(city, 'quota-0401-410102', 3)
			await fillNumber(city, 'quota-0401-410105', 2)
			await city.waitForSelector('[data-testid="spe-total"][data-total="5"]')
			await fillNumber(city, 'freq-C-I', 9)
			await city.waitForSelector('[data-testid="freq-cell"][data-cell="C.I"].is-changed')
			const sum = await city.locator('[data-testid="spe-places-sum"]').innerText()
			assert(sum.includes('90%'), `places sum ${sum}`)
			await shot(city, 'sc-new-step2')
		})

		await check('shares of 90%: the server refuses "places" and the page says so at the places', async () => {
			await city.locator('[data-testid="sc-new-create"]').click()
			await city.waitForSelector('[data-testid="sc-new-error"][data-field="places"]')
			const msg = await city.locator('[data-testid="spe-places"] .zl-err').innerText()
			assert(/100/.test(msg), `message at the places: ${msg}`)
			assert((await city.locator('[data-testid="sc-new-page"]').getAttribute('data-step')) === '2', 'left step 2')
			await shot(city, 'sc-new-refused')
		})

		await check('with 70/30 the draft is created: its page shows the quotas and the weight', async () => {
			await fillNumber(city, 'spe-place-circulation', 30)
			await city.locator('[data-testid="sc-new-create"]').click()
			await city.waitForSelector('[data-testid="sc-plan"][data-status="draft"] [data-testid="sc-plan-facts"]')
			planId = Number(await city.locator('[data-testid="sc-plan"]').getAttribute('data-plan'))
			assert(planId > 0, 'no plan id')
			assert((await city.locator('[data-testid="sc-plan-title"]').innerText()) === TITLE, 'title')
			assert((await city.locator('[data-testid="sc-plan-batches"]').innerText()) === '5', 'batches')
			const cell = city.locator('[data-testid="freq-cell"][data-cell="C.I"]')
			assert((await cell.getAttribute('data-value')) === '9' && (await cell.getAttribute('class')).includes('is-changed'), 'weight C.I')
			const row = await city.locator('[data-testid="sc-plan"] [data-testid="spe-product-row"][data-code="0401"]').innerText()
			assert(row.includes('\t3\t2\t5') && row.includes('河南省产品质量监督检验院'), `quota row ${JSON.stringify(row)}`)
			const heads = await city.locator('[data-testid="spe-quotas"] thead').innerText()
			assert(heads.includes('中原区') && heads.includes('金水区'), `region columns ${heads}`)
			assert((await city.locator('[data-testid="sc-plan-edit"]').count()) === 1, 'no edit button on a draft')
			await shot(city, 'sc-plan-draft')
		})

		await check('the city officer submits it: no more editing', async () => {
			await city.locator('[data-testid="sc-plan-submit"]').click()
			await city.locator('[data-testid="sc-decision-ok"]').click()
			await city.waitForSelector('[data-testid="sc-plan"][data-status="submitted"]')
			assert((await city.locator('[data-testid="sc-plan-edit"]').count()) === 0, 'a submitted plan offers editing')
			assert((await city.locator('[data-testid="sc-plan-approve"]').count()) === 0, 'a city officer may approve')
			const ev = await city.locator('[data-testid="sc-event"]').evaluateAll((els) => els.map((e) => e.dataset.action))
			assert(ev.join(',') === 'submit,create', `events ${ev.join(',')}`)
		})

		const prov = await signIn(PROV, PROV_PW)
		await check('the provincial officer finds it in 待审批 and returns it: a reason is required', async () => {
			await prov.goto(`${BASE}/#/spot-checks`)
			await prov.locator('[data-testid="sc-tab-queue"]').click()
			await prov.waitForURL(/tab=queue/)
			const row = prov.locator('[data-testid="sc-table"] tbody tr').filter({ hasText: TITLE })
			await row.waitFor()
			await shot(prov, 'sc-queue')
			await row.locator('[data-testid="sc-queue-return"]').click()
			await prov.locator('[data-testid="sc-decision-ok"]').click()
			const err = await prov.locator('[data-testid="sc-decision-error"]').innerText()
			assert(err.includes('理由'), `return without a reason: ${err}`)
			await prov.locator('textarea[data-testid="sc-decision-note"], [data-testid="sc-decision-note"] textarea').first().fill(REASON)
			await prov.locator('[data-testid="sc-decision-ok"]').click()
			await row.waitFor({ state: 'detached' })
		})

		await check('the city officer reads the reason on the returned draft and submits it again', async () => {
			await city.reload()
			const banner = city.locator('[data-testid="sc-plan"][data-status="draft"] [data-testid="sc-plan-returned"]')
			await banner.waitFor()
			const text = await banner.innerText()
			assert(text.includes(REASON) && text.includes(PROV), `returned banner ${text}`)
			assert((await city.locator('[data-testid="sc-plan-edit"]').count()) === 1, 'a returned draft offers no editing')
			await shot(city, 'sc-plan-returned')
			await city.locator('[data-testid="sc-plan-submit"]').click()
			await city.locator('[data-testid="sc-decision-ok"]').click()
			await city.waitForSelector('[data-testid="sc-plan"][data-status="submitted"]')
			const ev = await city.locator('[data-testid="sc-event"]').evaluateAll((els) => els.map((e) => e.dataset.action))
			assert(ev.join(',') === 'submit,return,submit,create', `events ${ev.join(',')}`)
		})

		await check('the provincial officer approves it from the queue', async () => {
			await prov.reload()
			const row = prov.locator('[data-testid="sc-table"] tbody tr').filter({ hasText: TITLE })
			await row.waitFor()
			await row.locator('[data-testid="sc-queue-approve"]').click()
			await prov.locator('[data-testid="sc-decision-note"] textarea, textarea[data-testid="sc-decision-note"]').first().fill('同意。')
			await prov.locator('[data-testid="sc-decision-ok"]').click()
			await row.waitFor({ state: 'detached' })
			const r = await call(prov, 'GET', `/api/v1/spotcheck-plans/${planId}`)
			assert(r.body.status === 'approved' && r.body.decided_by === PROV, `plan ${r.body.status} by ${r.body.decided_by}`)
		})

		await check('the city officer sees it approved and starts it', async () => {
			await city.reload()
			await city.waitForSelector('[data-testid="sc-plan"][data-status="approved"] [data-testid="sc-plan-start"]')
			const facts = await city.locator('[data-testid="sc-plan-facts"]').innerText()
			assert(facts.includes(PROV) && facts.includes('同意'), `facts ${facts}`)
			await city.locator('[data-testid="sc-plan-start"]').click()
			await city.locator('[data-testid="sc-decision-ok"]').click()
			await city.waitForSelector('[data-testid="sc-plan"][data-status="in_progress"] [data-testid="sc-plan-finish"]')
			assert((await city.locator('[data-testid="sc-plan-steps"] [aria-current="step"]').innerText()).includes('实施中'), 'steps')
			assert((await city.locator('[data-testid="sc-plan-edit"]').count()) === 0, 'editing offered in progress')
			await shot(city, 'sc-plan-in-progress')
		})

		await check('an analyst reads the plan but is offered no step of it and cannot open 新建抽查计划', async () => {
			const an = await signIn(ANALYST, ANALYST_PW)
			await an.locator('[data-testid="main-nav"] [data-module="spotChecks"]').click()
			const link = an.locator(`[data-testid="sc-row"][data-id="${planId}"]`)
			await link.waitFor()
			assert((await an.locator('[data-testid="sc-new"]').count()) === 0, 'an analyst is offered 新建抽查计划')
			await link.click()
			await an.waitForSelector('[data-testid="sc-plan"][data-status="in_progress"] [data-testid="sc-plan-facts"]')
			const buttons = await an.locator('[data-testid^="sc-plan-"]').evaluateAll((els) =>
				els.map((e) => e.dataset.testid).filter((t) => /^sc-plan-(edit|submit|approve|return|start|finish)$/.test(t)),
			)
			assert(buttons.length === 0, `an analyst is offered ${buttons.join(', ')}`)
			await an.goto(`${BASE}/#/spot-checks/new`)
			await an.waitForSelector('[data-testid="forbidden"]')
			assert((await an.locator('[data-testid="spe-title"]').count()) === 0, 'the plan form is shown to an analyst')
		})

		await check('the catalogue: the tree, then 0401 and its test items; no editing for a city', async () => {
			await city.locator('[data-testid="sc-nav-catalogue"]').click()
			await city.waitForSelector('[data-testid="cat-tree"] [data-testid="cat-row"][data-code="0401"]')
			const total = Number(await city.locator('[data-testid="cat-total"]').getAttribute('data-total'))
			assert(total >= 45, `${total} categories`)
			assert((await city.locator('[data-testid="cat-new"]').count()) === 0, 'a city officer may add categories')
			const href = await city.locator('[data-testid="cat-xlsx"]').getAttribute('href')
			const x = await fetchHead(city, href)
			assert(x.status === 200 && x.type === XLSX && x.head === 'PK' && x.size > 3000, `catalogue xlsx ${JSON.stringify(x)}`)
			await shot(city, 'cat-tree')
			await field(city, 'cat-q').fill('水泥')
			await city.locator('[data-testid="cat-apply"]').click()
			await city.waitForURL(/q=/)
			await city.waitForFunction(() => document.querySelectorAll('[data-testid="cat-row"]').length === 3)
			// Key-supervised only: the filter goes to the route and the API (every seeded cement is).
			await city.locator('[data-testid="cat-key-only"]').click()
			await city.locator('[data-testid="cat-apply"]').click()
			await city.waitForURL(/key=1/)
			await city.waitForFunction(() => document.querySelectorAll('[data-testid="cat-row"]').length === 3)
			await city.locator('[data-testid="cat-row"][data-code="0401"]').click()
			await city.waitForSelector('[data-testid="cat-items"] tbody tr')
			assert((await city.locator('[data-testid="cat-edit"]').count()) === 0, 'a city officer may edit')
			const rows = await city.locator('[data-testid="cat-items"] tbody tr').count()
			assert(rows === 12, `${rows} test items`)
			const strength = await city.locator('[data-testid="cat-items"] tbody tr').filter({ hasText: '28d抗压强度' }).innerText()
			assert(strength.includes('MPa') && strength.includes('≥ 42.5') && strength.includes('严重不合格'), `28d row ${strength}`)
			const inh = await city.locator('[data-testid="cat-inherited-standards"]').innerText()
			assert(inh.includes('GB 175-2007'), `inherited ${inh}`)
			await shot(city, 'cat-0401')
		})

		await check('the test items of 0401 export as an xlsx workbook', async () => {
			const href = await city.locator('[data-testid="cat-detail-items-xlsx"]').getAttribute('href')
			assert(href === '/api/v1/catalogue/items?code=0401&status=all&format=xlsx', `link ${href}`)
			const x = await fetchHead(city, href)
			assert(x.status === 200 && x.type === XLSX && x.head === 'PK' && x.size > 3000, `items xlsx ${JSON.stringify(x)}`)
		})

		await check('the provincial officer adds a category: the standard written with its year is refused there, then saved', async () => {
			await prov.goto(`${BASE}/#/spot-checks/catalogue/13`)
			await prov.waitForSelector('[data-testid="cat-add-child"]')
			await prov.locator('[data-testid="cat-add-child"]').click()
			await prov.locator('[data-testid="cat-form"]').first().waitFor({ state: 'visible' })
			await field(prov, 'cat-form-code').fill(CAT_CODE)
			await field(prov, 'cat-form-name').fill(`测试用安全帽（${RUN}）`)
			await prov.locator('[data-testid="cat-form-add-std"]').click()
			await field(prov, 'cat-form-std-number').fill('GB 2811-2007')
			await prov.locator('[data-testid="cat-form-std"] input').nth(2).fill('安全帽')
			await prov.locator('[data-testid="cat-form-add-item"]').click()
			await field(prov, 'cat-form-item-name').fill('冲击吸收性能')
			await field(prov, 'cat-form-item-unit').fill('N')
			await fillNumber(prov, 'cat-form-item-max', 4900)
			await prov.locator('[data-testid="cat-form-save"]').click()
			await prov.waitForSelector('[data-testid="cat-form-std"].is-error')
			const msg = await prov.locator('[data-testid="cat-form-std-error"]').innerText()
			assert(msg.includes('standards[0].number'), `message ${msg}`)
			await shot(prov, 'cat-form-refused')
			await field(prov, 'cat-form-std-number').fill('GB 2811')
			await fillNumber(prov, 'cat-form-std-year', 2007)
			await prov.locator('[data-testid="cat-form-save"]').click()
			await prov.waitForSelector(`[data-testid="cat-detail"][data-code="${CAT_CODE}"] [data-testid="cat-items"] tbody tr`)
			const std = await prov.locator('[data-testid="cat-standards"]').innerText()
			assert(std.includes('GB 2811-2007'), `standards ${std}`)
			const inh = await prov.locator('[data-testid="cat-inherited-standards"]').innerText()
			assert(inh.length > 0, 'no inherited standards from 13')
			await prov.locator('[data-testid="cat-tab-history"]').click()
			await prov.waitForSelector('[data-testid="cat-history-action"][data-action="create"]')
			await shot(prov, 'cat-created')
		})

		await check('the provincial officer retires the new category after confirming, then reinstates it', async () => {
			await prov.locator('[data-testid="cat-retire"]').click()
			await prov.locator('.el-popconfirm__action button').filter({ hasText: '停用' }).click()
			await prov.waitForSelector('[data-testid="cat-retired"]')
			assert((await prov.locator('[data-testid="cat-add-child"]').count()) === 0, 'a retired category offers 新增下级')
			await prov.waitForSelector('[data-testid="cat-history-action"][data-action="retire"]')
			await prov.locator('[data-testid="cat-reinstate"]').click()
			await prov.waitForSelector('[data-testid="cat-history-action"][data-action="reinstate"]')
			// The tag leaves with a transition.
			await prov.locator('[data-testid="cat-retired"]').waitFor({ state: 'detached' })
			assert((await prov.locator('[data-testid="cat-retire"]').count()) === 1, 'no 停用 after reinstating')
			const acts = await prov.locator('[data-testid="cat-history-action"]').evaluateAll((els) => els.map((e) => e.dataset.action))
			assert(acts.join(',') === 'reinstate,retire,create', `history ${acts.join(',')}`)
		})

		await check('the plan page in English', async () => {
			await city.goto(`${BASE}/#/spot-checks/plans/${planId}`)
			await city.waitForSelector('[data-testid="sc-plan-status"]')
			await city.locator('[data-testid="lang-switch"]').first().click()
			await city.waitForFunction(() => document.documentElement.lang === 'en')
			const st = await city.locator('[data-testid="sc-plan-status"]').innerText()
			assert(st.trim() === 'In progress', `status ${st}`)
			const freq = await city.locator('[data-testid="spe-frequency"]').innerText()
			assert(freq.includes('Frequency matrix') && freq.includes('default 7'), `matrix ${freq.slice(0, 80)}`)
			await shot(city, 'sc-plan-en')
			await city.locator('[data-testid="lang-switch"]').first().click()
			await city.waitForFunction(() => document.documentElement.lang === 'zh-CN')
		})

		await check('no console errors, failed requests or CSP violations', async () => {
			let all = problems.slice()
			for (const p of pages) all = all.concat(await allProblems(p, []))
			assert(all.length === 0, all.join(' | '))
		})
	} finally {
		await browser.close()
	}
}

main()
	.catch((e) => report('spot-checks test', e))
	.finally(finish)
