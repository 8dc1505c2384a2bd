// Plan tracking (督查督办) vocabulary shared by the plan pages: the traffic lights and their
// reasons (words of src/domain/plan_light.h, translated as plan.lights.* and plan.reasons.*),
// owner roles, the urgency order of the my-tasks page, and date helpers in the province's time
// (Asia/Shanghai), which is what the server's "today" means.

export const LIGHTS = ['red', 'yellow', 'green', 'done']
export const LIGHT_COLORS = { green: '#2e9e5b', yellow: '#e0a020', red: '#d9363e', done: '#8592a6' }
export const LIGHT_TAGS = { green: 'success', yellow: 'warning', red: 'danger', done: 'info' }
export const REASONS = [
	'overdue',
	'milestone_overdue',
	'behind',
	'indicator_behind',
	'no_report',
	'recovering',
	'due_soon',
	'milestone_due_soon',
]
export const ROLES = ['lead', 'co', 'shared', 'unnamed']
export const REPORT_STATUSES = ['submitted', 'confirmed', 'returned']

// A task's reasons as an array: the tree answers an array, list rows a comma-separated string.
export function reasonList(r) {
	if (Array.isArray(r)) return r
	return typeof r === 'string' && r ? r.split(',') : []
}

// The reasons in words ("逾期、未按时报送"), unknown words as they came.
export function reasonText(t, te, r, sep) {
	return reasonList(r)
		.map((x) => (te(`plan.reasons.${x}`) ? t(`plan.reasons.${x}`) : x))
		.join(sep || t('plan.sep'))
}

export function lightText(t, te, light) {
	return te(`plan.lights.${light}`) ? t(`plan.lights.${light}`) : light || ''
}

// "剩余 12 天" / "逾期 3 天" / "今天到期"; '' without a deadline or once done.
export function daysText(t, task) {
	const n = task && task.days_left
	if (n === null || n === undefined || task.completed_on) return ''
	if (n < 0) return t('plan.daysOverdue', { n: -n })
	if (n === 0) return t('plan.dueToday')
	return t('plan.daysLeft', { n })
}

// The my-tasks order: overdue first, then due soon, then red, yellow, green, done; then deadline.
export function urgency(task) {
	const r = reasonList(task.reasons)
	if (task.completed_on || task.light === 'done') return 5
	if (r.includes('overdue') || r.includes('milestone_overdue')) return 0
	if (r.includes('due_soon') || r.includes('milestone_due_soon')) return 1
	return { red: 2, yellow: 3, green: 4 }[task.light] ?? 4
}

export function byUrgency(a, b) {
	const u = urgency(a) - urgency(b)
	if (u) return u
	const da = a.deadline || '9999-99-99'
	const db = b.deadline || '9999-99-99'
	return da < db ? -1 : da > db ? 1 : (a.id || 0) - (b.id || 0)
}

// Today in Asia/Shanghai as YYYY-MM-DD, plus `days` (may be negative).
export function provinceDay(days = 0) {
	const ms = Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000
	return new Date(ms).toISOString().slice(0, 10)
}

// The owners of a task keyed for display: lead first, then the others, unnamed rows dropped.
export function namedOwners(task) {
	const owners = (task && task.owners) || []
	return owners.filter((o) => o.role !== 'unnamed' && o.name)
}

// Sections with their tasks as el-table tree rows: { key, section, title, children: [tasks] },
// plus the tasks outside any section as top rows. `wrap(task)` may decorate each task row.
export function treeRows(plan, wrap = (x) => x) {
	const rows = []
	for (const s of (plan && plan.sections) || []) {
		rows.push({
			key: `s:${s.number}`,
			isSection: true,
			number: s.number,
			title: s.title,
			children: (s.tasks || []).map((x) => ({ ...wrap(x), key: `t:${x.id ?? x.number}` })),
		})
	}
	for (const x of (plan && plan.tasks) || []) rows.push({ ...wrap(x), key: `t:${x.id ?? x.number}` })
	return rows
}
