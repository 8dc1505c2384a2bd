// Element Plus, registered on demand: only the components the UI uses are imported (with their
// styles), which keeps the bundle a fraction of the full library. Add a component to
// element-components.js (and its `element-plus/es/components/<name>/style/css` import here)
// before using a new <el-...> tag - or, when only some pages need it, to element-lazy.js (with
// its style import there) and its name to LAZY below: it is then registered as an async
// component and loads in a separate chunk the first time it renders.
import { defineAsyncComponent } from 'vue'
import * as components from './element-components.js'

import 'element-plus/es/components/base/style/css'
import 'element-plus/es/components/alert/style/css'
import 'element-plus/es/components/aside/style/css'
import 'element-plus/es/components/badge/style/css'
import 'element-plus/es/components/button/style/css'
import 'element-plus/es/components/card/style/css'
import 'element-plus/es/components/col/style/css'
import 'element-plus/es/components/config-provider/style/css'
import 'element-plus/es/components/container/style/css'
import 'element-plus/es/components/dropdown-item/style/css'
import 'element-plus/es/components/dropdown-menu/style/css'
import 'element-plus/es/components/dropdown/style/css'
import 'element-plus/es/components/empty/style/css'
import 'element-plus/es/components/form-item/style/css'
import 'element-plus/es/components/form/style/css'
import 'element-plus/es/components/header/style/css'
import 'element-plus/es/components/icon/style/css'
import 'element-plus/es/components/input/style/css'
import 'element-plus/es/components/link/style/css'
import 'element-plus/es/components/main/style/css'
import 'element-plus/es/components/menu-item/style/css'
import 'element-plus/es/components/menu/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/result/style/css'
import 'element-plus/es/components/row/style/css'
import 'element-plus/es/components/skeleton-item/style/css'
import 'element-plus/es/components/skeleton/style/css'
import 'element-plus/es/components/statistic/style/css'
import 'element-plus/es/components/sub-menu/style/css'
import 'element-plus/es/components/tag/style/css'
import 'element-plus/es/components/tooltip/style/css'

// Must match the exports of element-lazy.js (element-lazy is not imported here statically, or it
// would land in the entry chunk).
const LAZY = [
	'ElCheckbox',
	'ElDatePicker',
	'ElDialog',
	'ElDrawer',
	'ElInputNumber',
	'ElOption',
	'ElPagination',
	'ElPopconfirm',
	'ElProgress',
	'ElRadioButton',
	'ElRadioGroup',
	'ElSelect',
	'ElTable',
	'ElTableColumn',
	'ElTimeline',
	'ElTimelineItem',
	'ElTree',
	'ElTreeSelect',
]

let lazyModule = null
const loadLazy = () => (lazyModule ||= import('./element-lazy.js'))

export default {
	install(app) {
		// Register by name directly: sub-components (ElMenuItem...) have a no-op install().
		for (const c of Object.values(components)) app.component(c.name, c)
		for (const name of LAZY) {
			app.component(
				name,
				defineAsyncComponent(() =>
					loadLazy().then((m) => {
						if (!m[name]) throw new Error(`element-lazy.js does not export ${name}`)
						return m[name]
					}),
				),
			)
		}
	},
}
