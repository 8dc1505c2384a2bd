// Result announcements (issue 7, publication): the staff page 抽查结果公告 and the public page
// 抽查结果查询 (router.js adds the routes), and what both show: the labels of a result and of an
// announcement's stage, and the text of the completeness refusal (field results[ID].FIELD).
export const announceStaffRoutes = [
	{
		path: 'announcements/:id(\\d+)',
		name: 'announcementDetail',
		component: () => import('./views/Announcements.vue'),
		meta: { module: 'announcements', perm: 'results.publish' },
	},
]

export const announcePublicRoutes = [
	{
		path: '/public/results',
		name: 'publicResults',
		component: () => import('./views/PublicResults.vue'),
		meta: { public: true, module: 'public' },
	},
]

// The tag type of an announcement's stage.
export function stageTag(s) {
	if (s === 'published') return 'success'
	if (s === 'withdrawn') return 'info'
	if (s === 'submitted') return 'warning'
	return 'primary'
}

// The inspection states whose result is final (the server says so too; this only narrows the
// picker): closed with a conclusion, failed and after.
export const FINAL_STATES = ['failed', 'rectifying', 'follow_up', 'uncorrected', 'announced', 'suspended', 'closed']

// {id, field} of a completeness refusal's field "results[12].batch", or null.
export function incompleteOf(err) {
	const m = err && typeof err.field === 'string' ? /^results\[(\d+)\]\.(\w+)$/.exec(err.field) : null
	return m ? { id: Number(m[1]), field: m[2] } : null
}

// The index of the inspection a refusal "inspections[i]" names, or -1.
export function indexOf(err) {
	const m = err && typeof err.field === 'string' ? /^inspections\[(\d+)\]$/.exec(err.field) : null
	return m ? Number(m[1]) : -1
}
