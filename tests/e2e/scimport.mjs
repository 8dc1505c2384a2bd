// Browser test of the import of published spot-check result tables (issue 7, docs/results.md):
// the demo administrator opens 导入抽查结果 from the spot-check plans page, uploads a GBK-encoded
// failures-only result table (title row, header on row 2) with two rows - one naming a demo
// enterprise by its credit code and name, one naming a producer the register does not hold -
// and sees the upload and import progress, then the report: summary 导入 0，已导入跳过 0，拒绝 1
// (the import is atomic: nothing written), encoding gb18030, header on row 2, the note that a
// table without a result column is taken as failures, and the rejected row 4 naming the producer
// column and "unmatched"; "download report (xlsx)" saves a workbook.
//
// Output: `ok N - name` / `not ok N - name: reason` lines, then `N passed, N failed`; exit 1 on a
// failed check. Environment: ZL_BASE_URL, ZL_ADMIN_USER (default admin), ZL_ADMIN_PASSWORD
// (required), ZL_CHROMIUM; the database made with `zhiliang init --demo`.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BASE, allProblems, anonymousMe, assert, check, finish, login, newContext, report, shot, start, watch } from './lib/common.mjs'

const ADMIN = process.env.ZL_ADMIN_USER || 'admin'
const PW = process.env.ZL_ADMIN_PASSWORD || ''
const RUN = Math.random().toString(36).slice(2, 8)

async function main() {
	const browser = await start(PW)
	if (!browser) return
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zl-scimp-'))
	try {
		const context = await newContext(browser, { acceptDownloads: true })
		const page = await context.newPage()
		const problems = []
		watch(page, problems, anonymousMe)

		await check('sign in and open the import page from the spot-check plans', async () => {
			await login(page, ADMIN, PW)
			await page.goto(`${BASE}/#/spot-checks`, { waitUntil: 'load' })
			await page.locator('[data-testid="sc-import-link"]').click()
			await page.waitForSelector('[data-testid="sc-import"] [data-testid="imp-form"]')
			assert((await page.locator('[data-testid="sc-import-fields"]').count()) === 1, 'no announcement fields')
			assert(!(await page.locator('[data-testid="imp-no-upload"]').count()), 'the page says there is no upload')
		})

		await check('a GBK table with an unmatched producer: report names row 4, nothing written', async () => {
			const ent = await page.evaluate(async () => {
				const r = await fetch('/api/v1/enterprises?limit=1', { credentials: 'same-origin' })
				return (await r.json()).items[0]
			})
			assert(ent && ent.uscc && ent.name, 'no demo enterprise')
			const csv =
				'2014年河南省质量技术监督局抽查不合格产品名单（测试）\r\n' +
				'序号,产品名称,生产企业名称,统一社会信用代码,主要不合格项目\r\n' +
				`1,电线电缆,${ent.name},${ent.uscc},"导体电阻、*绝缘厚度"\r\n` +
				`2,电线电缆,查无此厂${RUN}有限公司,,标志\r\n` +
				'注：排名不分先后\r\n'
			const file = path.join(tmp, 'results-gbk.csv')
			fs.writeFileSync(file, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv }))
			await page.locator('[data-testid="imp-file"]').setInputFiles(file)
			await page.waitForSelector('[data-testid="imp-file-name"]')
			await page.locator('[data-testid="imp-start"]').click()
			await page.waitForSelector('[data-testid="imp-result"], [data-testid="imp-error"]', { timeout: 60000 })
			assert((await page.locator('[data-testid="imp-error"]').count()) === 0, await page.locator('[data-testid="imp-error"]').innerText().catch(() => 'error'))
			const summary = await page.locator('[data-testid="imp-summary"]').innerText()
			assert(summary.includes('导入 0，已导入跳过 0，拒绝 1'), `summary ${JSON.stringify(summary)}`)
			assert(summary.includes('未写入'), `summary does not say nothing was written: ${JSON.stringify(summary)}`)
			const meta = await page.locator('.zl-imp-meta').innerText()
			assert(meta.includes('gb18030') && meta.includes('2'), `meta ${JSON.stringify(meta)}`)
			const notes = await page.locator('[data-testid="imp-notes"]').innerText()
			assert(notes.includes('no result column'), `notes ${JSON.stringify(notes)}`)
			const rows = page.locator('[data-testid="imp-rejects"] .el-table__body tr')
			assert((await rows.count()) === 1, `${await rows.count()} rejected rows shown`)
			const cells = (await rows.first().locator('td').allInnerTexts()).map((c) => c.trim())
			assert(cells[0] === '4', `rejected row number ${JSON.stringify(cells[0])}, want 4`)
			assert(cells[1].includes('生产企业名称'), `column ${JSON.stringify(cells[1])}`)
			assert(cells[2].includes(`查无此厂${RUN}`), `value ${JSON.stringify(cells[2])}`)
			assert(cells[3].includes('unmatched'), `reason ${JSON.stringify(cells[3])}`)
			await shot(page, 'scimport-report', { fullPage: true })
			const dl = page.waitForEvent('download')
			await page.locator('[data-testid="imp-report"]').click()
			const d = await dl
			assert(d.suggestedFilename().endsWith('.xlsx'), `report saved as ${d.suggestedFilename()}`)
			const saved = path.join(tmp, 'report.xlsx')
			await d.saveAs(saved)
			assert(fs.readFileSync(saved).subarray(0, 4).toString('hex') === '504b0304', 'the report is not an xlsx file')
		})

		await check('no console errors, failed requests or CSP violations', async () => {
			const all = await allProblems(page, problems)
			assert(all.length === 0, all.slice(0, 5).join(' | '))
		})
		await context.close()
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true })
		await browser.close()
	}
}

main()
	.catch((e) => report('unexpected failure', e))
	.finally(finish)
