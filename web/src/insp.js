// Shared pieces of the draw and inspection pages (issue 6, item 6): their routes (router.js adds
// them), labels of states, events and tasks, the lifecycle description the server publishes
// (GET /api/v1/public/spotcheck-lifecycle, fetched once), today's date in the province, and the
// text of an API refusal naming its field.
import { reactive } from 'vue'
import { api } from './api.js'
import './insp.css'

export const inspStaffRoutes = [
	{
		path: 'draws/:id(\\d+)',
		name: 'drawDetail',
		component: () => import('./views/DrawDetail.vue'),
		meta: { module: 'draws', perm: 'spotcheck.read' },
	},
	{
		path: 'inspections/:id(\\d+)',
		name: 'inspectionDetail',
		component: () => import('./views/InspectionDetail.vue'),
		meta: { module: 'inspections', perm: 'inspection.read' },
	},
]

// The public portal's draw pages: no login.
export const inspPublicRoutes = [
	{
		path: '/public/draws',
		name: 'publicDraws',
		component: () => import('./views/PublicDraw.vue'),
		meta: { public: true, module: 'public' },
	},
	{
		path: '/public/draws/:id(\\d+)',
		name: 'publicDraw',
		component: () => import('./views/PublicDraw.vue'),
		meta: { public: true, module: 'public' },
	},
]

// Today in Asia/Shanghai (the server's "today" for event dates), as YYYY-MM-DD.
export const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)

// A label from a table of the dictionary, or the name itself when it has none.
export function label(t, te, table, name) {
	if (!name) return ''
	const k = `${table}.${name}`
	return te(k) ? t(k) : name
}

// The tag type of a state on the pages.
export function stateTag(s) {
	if (s === 'closed') return 'success'
	if (s === 'cancelled') return 'info'
	if (['failed', 'uncorrected', 'announced', 'suspended', 'refused', 'untestable'].includes(s)) return 'danger'
	if (['rectifying', 'follow_up', 'retest', 'objection_window'].includes(s)) return 'warning'
	return 'primary'
}

// The path a failure with rectification takes, for the lifecycle strip; side states are shown
// when the inspection went through them.
export const MAIN_PATH = ['planned', 'sampled', 'tested', 'notified', 'objection_window', 'failed', 'rectifying', 'follow_up', 'closed']
export const SIDE_STATES = ['refused', 'untestable', 'retest', 'uncorrected', 'announced', 'suspended', 'cancelled']

const lifecycle = reactive({ data: null, loading: null })
// The machine as data (states, transitions with guards and sources, deadlines), once per page load.
export function useLifecycle() {
	if (!lifecycle.data && !lifecycle.loading) {
		lifecycle.loading = api
			.get('/api/v1/public/spotcheck-lifecycle', { quiet: true })
			.then((d) => (lifecycle.data = d))
			.catch(() => (lifecycle.loading = null))
	}
	return lifecycle
}

// The text of an ApiError for a form: its message, and the field it names.
export function errorText(t, e) {
	if (!e) return ''
	return e.field ? t('insp.fieldError', { message: e.message, field: e.field }) : e.message
}
