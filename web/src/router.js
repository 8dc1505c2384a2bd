// Routes of the UI. Module routes are generated from src/modules.js; a module without its own
// view shows views/ComingSoon.vue. Hash history is used so that any static file server (and a
// page reload on any route) works without a server-side fallback to index.html.
//
// Route meta: `module` is the module key (for titles and the active menu entry); `public: true`
// marks pages that will stay reachable without login once identity lands.
import { createRouter, createWebHashHistory } from 'vue-router'
import MainLayout from './layouts/MainLayout.vue'
import { staffLeaves } from './modules.js'

const ComingSoon = () => import('./views/ComingSoon.vue')

const staffRoutes = staffLeaves().map((m) => ({
	path: m.path === '/' ? '' : m.path.slice(1),
	name: m.key,
	component: m.view || ComingSoon,
	meta: { module: m.key },
}))

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
