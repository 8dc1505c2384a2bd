// The module registry: one entry per business module of the platform.
//
// The navigation menu and the router are both generated from this list, so a module is added in
// one place. A module whose `view` is missing shows the "coming in a later release" page
// (views/ComingSoon.vue) with its translated title and description (keys
// `modules.<key>.title` and `modules.<key>.desc` in src/i18n/*.js). When a later issue builds the
// module, it sets `view` to a lazy import of its page, e.g. `view: () => import('./views/Plans.vue')`.
// Entries with `children` become a sub-menu; `external: true` entries leave the staff layout
// (the public portal needs no login). `perm` is the permission (a name from
// src/domain/perms.def) a user needs to see the entry and open the route; entries without it are
// open to every signed-in user. A sub-menu shows when any of its children does.
import {
	Aim,
	Connection,
	DataAnalysis,
	DocumentChecked,
	Flag,
	Grid,
	List,
	Medal,
	Notification,
	Odometer,
	OfficeBuilding,
	PieChart,
	RefreshLeft,
	Search,
	Setting,
	Tools,
	Trophy,
	User,
	Warning,
} from '@element-plus/icons-vue'

export const modules = [
	{ key: 'dashboard', path: '/', icon: Odometer, view: () => import('./views/Dashboard.vue') },
	{ key: 'plans', path: '/plans', icon: Flag, perm: 'plan.read', view: () => import('./views/Plans.vue') },
	{
		key: 'enterprises',
		path: '/enterprises',
		icon: OfficeBuilding,
		perm: 'enterprise.read',
		view: () => import('./views/Enterprises.vue'),
	},
	{
		key: 'spotChecks',
		path: '/spot-checks',
		icon: Aim,
		perm: 'spotcheck.read',
		view: () => import('./views/SpotChecks.vue'),
	},
	{ key: 'quality', path: '/quality', icon: PieChart, perm: 'stats.read', view: () => import('./views/Quality.vue') },
	{ key: 'draws', path: '/draws', icon: Aim, perm: 'spotcheck.read', view: () => import('./views/Draws.vue') },
	{ key: 'inspections', path: '/inspections', icon: List, perm: 'inspection.read', view: () => import('./views/Inspections.vue') },
	{ key: 'results', path: '/results', icon: DocumentChecked },
	{
		key: 'announcements',
		path: '/announcements',
		icon: Notification,
		perm: 'results.publish',
		view: () => import('./views/Announcements.vue'),
	},
	{ key: 'classified', path: '/classified', icon: Grid },
	{ key: 'credit', path: '/credit', icon: Medal },
	{ key: 'risk', path: '/risk', icon: Warning },
	{ key: 'recalls', path: '/recalls', icon: RefreshLeft },
	{ key: 'equipment', path: '/equipment', icon: Tools },
	{ key: 'statistics', path: '/statistics', icon: DataAnalysis, perm: 'stats.read' },
	{ key: 'assessment', path: '/assessment', icon: Trophy, perm: 'stats.read' },
	{
		key: 'system',
		icon: Setting,
		children: [
			{
				key: 'organizations',
				path: '/system/organizations',
				icon: Connection,
				perm: 'org.read',
				view: () => import('./views/Organizations.vue'),
			},
			{
				key: 'users',
				path: '/system/users',
				icon: User,
				perm: 'user.read',
				view: () => import('./views/Users.vue'),
			},
			{
				key: 'audit',
				path: '/system/audit',
				icon: List,
				perm: 'audit.read',
				view: () => import('./views/Audit.vue'),
			},
		],
	},
	{ key: 'public', path: '/public', icon: Search, external: true },
]

// Every leaf module inside the staff layout, in menu order (sub-menu children flattened).
export function staffLeaves() {
	const out = []
	for (const m of modules) {
		if (m.external) continue
		if (m.children) out.push(...m.children.map((c) => ({ ...c, parent: m.key })))
		else out.push(m)
	}
	return out
}

// The navigation as the user `allowed(perm)` may see it: entries filtered by permission, sub-menus
// without a visible child dropped.
export function visibleModules(allowed) {
	const out = []
	for (const m of modules) {
		if (m.children) {
			const children = m.children.filter((c) => allowed(c.perm))
			if (children.length) out.push({ ...m, children })
		} else if (allowed(m.perm)) out.push(m)
	}
	return out
}
