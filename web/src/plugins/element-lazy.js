// Element Plus components used only by some pages (the administration pages so far): tables,
// trees, selects, dialogs, drawers, date pickers. element.js registers each of them globally as an
// async component that loads this module - one chunk, with its styles - the first time any of
// them renders, so the entry chunk (and the login page) stays small. Add a component here, with
// its style import, when it is not needed by the shell, the login page or the dashboard.
import 'element-plus/es/components/checkbox/style/css'
import 'element-plus/es/components/date-picker/style/css'
import 'element-plus/es/components/dialog/style/css'
import 'element-plus/es/components/drawer/style/css'
import 'element-plus/es/components/input-number/style/css'
import 'element-plus/es/components/option/style/css'
import 'element-plus/es/components/pagination/style/css'
import 'element-plus/es/components/popconfirm/style/css'
import 'element-plus/es/components/progress/style/css'
import 'element-plus/es/components/radio/style/css'
import 'element-plus/es/components/radio-button/style/css'
import 'element-plus/es/components/radio-group/style/css'
import 'element-plus/es/components/select/style/css'
import 'element-plus/es/components/table/style/css'
import 'element-plus/es/components/table-column/style/css'
import 'element-plus/es/components/timeline/style/css'
import 'element-plus/es/components/timeline-item/style/css'
import 'element-plus/es/components/tree/style/css'
import 'element-plus/es/components/tree-select/style/css'

export {
	ElCheckbox,
	ElDatePicker,
	ElDialog,
	ElDrawer,
	ElInputNumber,
	ElOption,
	ElPagination,
	ElPopconfirm,
	ElProgress,
	ElRadioButton,
	ElRadioGroup,
	ElSelect,
	ElTable,
	ElTableColumn,
	ElTimeline,
	ElTimelineItem,
	ElTree,
	ElTreeSelect,
} from 'element-plus'
