// Browser test of the quality dashboard (质量状况, #/quality; issue 7 item 5) on the demo's five
// years of inspections: the map draws Henan's 18 city-level units, each with data (counted from
// the chart's option: its map series' data with batches, and the SVG renderer's region paths);
// clicking 郑州 on the map (at a point inside it, found through the chart's own projection)
// filters the table to 郑州's counties and adds 郑州's trend line; a number of the table opens
// the inspection list with the same filters, whose exact total is that number; the failures of
// the headline open the failed batches; each chart's "导出 xlsx" downloads an xlsx file (a zip).
//
// Nothing may go wrong on the way except GET /api/v1/me answering 401 while nobody is signed in.
//
// Output: one `ok N - name` / `not ok N - name: reason` line per check, then `N passed, N failed`.
// Environment: ZL_BASE_URL, ZL_ADMIN_USER, ZL_ADMIN_PASSWORD (required), ZL_CHROMIUM,
// ZL_SCREENSHOTS=DIR (the docs' screenshot: dashboard.png).
import fs from 'node:fs'
import { BASE, TIMEOUT, allProblems, anonymousMe, assert, check, finish, login, newContext, shot, start, watch } from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const PW = process.env.ZL_ADMIN_PASSWORD || ''
const ZHENGZHOU = '410100'
const ZZ_POINT = [113.62, 34.75] // inside 郑州's outline (longitude, latitude)

// The map's regions: those of the series' data with batches, and the SVG paths drawn.
const mapState = (page) =>
	page.$eval('[data-testid="dash-map"]', (el) => {
		const c = el.zlChart
		const opt = c && c.getOption()
		const data = (opt && opt.series && opt.series[0] && opt.series[0].data) || []
		return {
			withData: data.filter((d) => d && d.batches > 0).map((d) => d.name),
			paths: el.querySelectorAll('svg path').length,
		}
	})
const num = (s) => Number(String(s).replace(/[^\d]/g, ''))

async function main() {
	const browser = await start(PW)
	if (!browser) return finish()
	const problems = []
	try {
		const ctx = await newContext(browser, { acceptDownloads: true })
		const page = await ctx.newPage()
		page.setDefaultTimeout(TIMEOUT)
		watch(page, problems, anonymousMe)

		await check('the administrator opens 质量状况 from the menu', async () => {
			await login(page, ADMIN, PW)
			await page.locator('.el-menu-item').filter({ hasText: '质量状况' }).first().click()
			await page.waitForSelector('[data-testid="dash-kpis"]')
			assert(/#\/quality/.test(page.url()), `url ${page.url()}`)
		})

		await check('the map draws the 18 city-level units, each with data', async () => {
			await page.waitForFunction(() => {
				const el = document.querySelector('[data-testid="dash-map"]')
				const o = el && el.zlChart && el.zlChart.getOption()
				return o && o.series && o.series[0] && o.series[0].data.length > 0
			})
			const m = await mapState(page)
			assert(m.withData.length === 18, `${m.withData.length} regions with data: ${m.withData.join(' ')}`)
			assert(m.withData.includes('419001'), '济源 (419001) has no data')
			assert(m.paths >= 18, `${m.paths} SVG paths`)
			const rows = await page.locator('[data-testid="dash-row"]').count()
			assert(rows === 18, `${rows} rows in the table`)
			if (process.env.ZL_SCREENSHOTS) {
				// The page scrolls inside the layout: a tall window shows all of it.
				await page.setViewportSize({ width: 1440, height: 2250 })
				await page.waitForTimeout(800)
				await shot(page, 'dashboard')
				await page.setViewportSize({ width: 1440, height: 900 })
				await page.waitForTimeout(500)
			}
		})

		await check('clicking 郑州 on the map filters the table to its counties and adds its trend', async () => {
			const px = await page.$eval('[data-testid="dash-map"]', (el, p) => el.zlChart.convertToPixel({ seriesIndex: 0 }, p), ZZ_POINT)
			const box = await page.locator('[data-testid="dash-map"]').boundingBox()
			await page.mouse.click(box.x + px[0], box.y + px[1])
			await page.waitForSelector('[data-testid="dash-city"]')
			assert(page.url().includes(`city=${ZHENGZHOU}`), `url ${page.url()}`)
			await page.waitForFunction(() => {
				const r = [...document.querySelectorAll('[data-testid="dash-row"]')]
				return r.length > 0 && r.every((x) => x.dataset.region.startsWith('4101'))
			})
			const regions = await page.$$eval('[data-testid="dash-row"]', (r) => r.map((x) => x.dataset.region))
			assert(regions.every((c) => c.startsWith('4101') && c !== ZHENGZHOU), `rows ${regions.join(' ')}`)
			const title = await page.locator('[data-testid="dash-table-title"]').innerText()
			assert(title.includes('郑州'), `table title ${title}`)
			const legend = await page.$eval('[data-testid="dash-trend"]', (el) => el.zlChart.getOption().legend[0].data)
			assert(legend.length === 2 && String(legend[1]).includes('郑州'), `trend legend ${JSON.stringify(legend)}`)
		})

		await check("a county's batches open the inspection list with that filter and the same total", async () => {
			const link = page.locator('[data-testid="dash-row-batches"]').first()
			const want = num(await link.innerText())
			const region = await page.locator('[data-testid="dash-row"]').first().getAttribute('data-region')
			assert(want > 0, `batches ${want}`)
			await link.click()
			await page.waitForSelector('[data-testid="insp-stats-filters"]')
			const u = new URL(page.url().replace('/#/', '/'))
			assert(u.searchParams.get('region') === region && u.searchParams.get('counted') === '1', `url ${page.url()}`)
			await page.waitForFunction((n) => {
				const el = document.querySelector('[data-testid="insp-total"]')
				return el && Number(el.innerText.replace(/[^\d]/g, '')) === n
			}, want)
		})

		await check('the failures of the headline open the failed batches, as many as counted', async () => {
			await page.goBack()
			await page.waitForSelector('[data-testid="dash-kpi-failed"]')
			const link = page.locator('[data-testid="dash-kpi-failed"]')
			const want = num(await link.innerText())
			await link.click()
			await page.waitForSelector('[data-testid="insp-stats-filters"]')
			assert(page.url().includes('result=fail'), `url ${page.url()}`)
			await page.waitForFunction((n) => {
				const el = document.querySelector('[data-testid="insp-total"]')
				return el && Number(el.innerText.replace(/[^\d]/g, '')) === n
			}, want)
		})

		for (const which of ['map', 'trend', 'table', 'rank']) {
			await check(`导出 xlsx of the ${which} downloads an xlsx file`, async () => {
				if (!/#\/quality/.test(page.url())) {
					await page.goto(`${BASE}/#/quality?city=${ZHENGZHOU}`)
					await page.waitForSelector('[data-testid="dash-kpis"]')
				}
				const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="dash-xlsx-${which}"]`).click()])
				const file = await dl.path()
				const head = fs.readFileSync(file).subarray(0, 4).toString('hex')
				assert(head === '504b0304', `not an xlsx: ${head}`)
				assert(/\.xlsx$/.test(dl.suggestedFilename()), `file name ${dl.suggestedFilename()}`)
			})
		}

		await check('nothing went wrong on the way', async () => {
			const all = await allProblems(page, problems)
			assert(!all.length, all.join('; '))
		})
	} finally {
		await browser.close()
	}
	finish()
}

main()
