// An ECharts chart bound to an element ref for its whole life:
//   useChart(el, echarts, option, deps, { renderer, onInit })
// draws option() when the component mounts, follows the element's size (a ResizeObserver, so
// the navigation collapsing redraws it too), draws again when deps() changes, and disposes of
// the chart when the component unmounts. `echarts` is the caller's echarts/core with its charts
// and components registered (each chart imports only what it draws). `renderer` is 'canvas'
// (default) or 'svg' (its shapes are DOM nodes: the dashboard's map, for the e2e test);
// onInit(chart) runs once the chart exists (to listen to clicks). The element keeps the chart as
// `el.zlChart`, so an end-to-end test can read the option drawn.
import { onBeforeUnmount, onMounted, watch } from 'vue'

export function useChart(el, echarts, option, deps, { renderer = 'canvas', onInit } = {}) {
	let chart = null
	let observer = null

	onMounted(() => {
		chart = echarts.init(el.value, null, { renderer })
		el.value.zlChart = chart
		if (onInit) onInit(chart)
		chart.setOption(option())
		observer = new ResizeObserver(() => chart && chart.resize())
		observer.observe(el.value)
	})

	watch(
		deps,
		() => {
			if (!chart) return
			chart.setOption(option(), { notMerge: true })
			chart.resize()
		},
		{ deep: true },
	)

	onBeforeUnmount(() => {
		if (observer) observer.disconnect()
		if (chart) chart.dispose()
		if (el.value) el.value.zlChart = null
		chart = null
	})
}
