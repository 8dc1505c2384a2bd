// Routes of the UI. Module routes are generated from src/modules.js; a module without its own
// view shows views/ComingSoon.vue. Hash history is used so that any static file server (and a
// page reload on any route) works without a server-side fallback to index.html.
//
// Route meta: `module` is the module key (for titles and the active menu entry); `public: true`
// marks pages reachable without login (the login page and the public portal); `perm` is the
// permission the page needs (from modules.js).
//
// The guard: a staff page needs a session. On the first navigation the UI asks GET /api/v1/me
// (auth.js); without a session it goes to the login page with `redirect` set to where the user
// wanted to go. A signed-in user without the page's permission sees the "no access" page. A 401
// from any later API call (session expired) also lands on the login page.
import { createRouter, createWebHashHistory } from 'vue-router'
import MainLayout from './layouts/MainLayout.vue'
import { staffLeaves } from './modules.js'
import { auth, can, ensureMe, forget } from './auth.js'
import { onUnauthorized } from './api.js'
import { inspStaffRoutes, inspPublicRoutes } from './insp.js'
import { announceStaffRoutes, announcePublicRoutes } from './announce.js'

const ComingSoon = () => import('./views/ComingSoon.vue')

const staffRoutes = staffLeaves().map((m) => ({
	path: m.path === '/' ? '' : m.path.slice(1),
	name: m.key,
	component: m.view || ComingSoon,
	meta: { module: m.key, perm: m.perm },
}))
// Pages below a module (not in the navigation): the module's menu entry stays active.
staffRoutes.push(
	{
		path: 'enterprises/import',
		name: 'enterpriseImport',
		component: () => import('./views/EnterpriseImport.vue'),
		meta: { module: 'enterprises', perm: 'enterprise.write' },
	},
	{
		path: 'enterprises/:uscc',
		name: 'enterpriseDetail',
		component: () => import('./views/EnterpriseDetail.vue'),
		meta: { module: 'enterprises', perm: 'enterprise.read' },
	},
)
// Plan tracking (issue 5): the pages below 计划督办.
staffRoutes.push(
	{
		path: 'plans/import',
		name: 'planImport',
		component: () => import('./views/PlanImport.vue'),
		meta: { module: 'plans', perm: 'plan.write' },
	},
	{
		path: 'plans/my-tasks',
		name: 'myTasks',
		component: () => import('./views/MyTasks.vue'),
		meta: { module: 'plans', perm: 'plan.read' },
	},
	{
		path: 'plans/tasks/:id(\\d+)',
		name: 'planTask',
		component: () => import('./views/PlanTask.vue'),
		meta: { module: 'plans', perm: 'plan.read' },
	},
	{
		path: 'plans/:id(\\d+)/decompose',
		name: 'planDecompose',
		component: () => import('./views/PlanDecompose.vue'),
		meta: { module: 'plans', perm: 'plan.write' },
	},
	{
		path: 'plans/:id(\\d+)',
		name: 'planDetail',
		component: () => import('./views/PlanDetail.vue'),
		meta: { module: 'plans', perm: 'plan.read' },
	},
)
// Spot checks (issue 6): the plans below 监督抽查, and the key-product catalogue, which every
// signed-in user reads (its routes need no permission; the menu entry is the plans').
staffRoutes.push(
	{
		path: 'spot-checks/new',
		name: 'scPlanNew',
		component: () => import('./views/ScPlanNew.vue'),
		meta: { module: 'spotChecks', perm: 'spotcheck.plan' },
	},
	{
		// Published result tables (issue 7, docs/results.md): the enterprise import page, other kind.
		path: 'spot-checks/import',
		name: 'scImport',
		component: () => import('./views/EnterpriseImport.vue'),
		props: { kind: 'spotchecks' },
		meta: { module: 'spotChecks', perm: 'spotcheck.plan' },
	},
	{
		path: 'spot-checks/plans/:id(\\d+)',
		name: 'scPlanDetail',
		component: () => import('./views/ScPlanDetail.vue'),
		meta: { module: 'spotChecks', perm: 'spotcheck.read' },
	},
	{
		path: 'spot-checks/catalogue',
		name: 'catalogue',
		component: () => import('./views/Catalogue.vue'),
		meta: { module: 'spotChecks' },
	},
	{
		path: 'spot-checks/catalogue/:code',
		name: 'catalogueDetail',
		component: () => import('./views/CatalogueDetail.vue'),
		meta: { module: 'spotChecks' },
	},
)
staffRoutes.push(...inspStaffRoutes)
staffRoutes.push(...announceStaffRoutes)
staffRoutes.push({
	path: 'forbidden',
	name: 'forbidden',
	component: () => import('./views/Forbidden.vue'),
})

export const routes = [
	{ path: '/', component: MainLayout, children: staffRoutes },
	{
		path: '/login',
		name: 'login',
		component: () => import('./views/Login.vue'),
		meta: { public: true },
	},
	{
		path: '/public',
		name: 'public',
		component: () => import('./views/Public.vue'),
		meta: { public: true, module: 'public' },
	},
	...inspPublicRoutes,
	...announcePublicRoutes,
	{
		path: '/:pathMatch(.*)*',
		component: MainLayout,
		children: [{ path: '', name: 'notFound', component: () => import('./views/NotFound.vue') }],
	},
]

export const router = createRouter({
	history: createWebHashHistory(),
	routes,
	scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
	if (to.meta.public) return true
	let me = null
	try {
		me = await ensureMe()
	} catch {
		// The server is unreachable: the login page says so when the user tries.
		me = null
	}
	if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
	if (to.meta.perm && !can(to.meta.perm)) return { name: 'forbidden', query: { from: to.fullPath } }
	return true
})

onUnauthorized(() => {
	const was = auth.me !== null
	forget()
	const cur = router.currentRoute.value
	if (cur.meta.public) return
	const query = { redirect: cur.fullPath }
	if (was) query.expired = '1'
	router.push({ name: 'login', query })
})
