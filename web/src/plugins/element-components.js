// The Element Plus components the UI registers eagerly (see element.js): the shell, the login page
// and the dashboard need them. Re-exported from one list so the bundle keeps only these and
// element.js can register them all without naming them twice. Heavier components that only
// some pages use (tables, trees, dialogs, date pickers) are in element-lazy.js.
export {
	ElAlert,
	ElAside,
	ElButton,
	ElCard,
	ElCol,
	ElConfigProvider,
	ElContainer,
	ElDropdown,
	ElDropdownItem,
	ElDropdownMenu,
	ElEmpty,
	ElForm,
	ElFormItem,
	ElHeader,
	ElIcon,
	ElInput,
	ElLink,
	ElMain,
	ElMenu,
	ElMenuItem,
	ElResult,
	ElRow,
	ElSkeleton,
	ElSkeletonItem,
	ElStatistic,
	ElSubMenu,
	ElTag,
	ElTooltip,
} from 'element-plus'
