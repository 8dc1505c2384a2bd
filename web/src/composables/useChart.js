// An ECharts chart bound to an element ref for its whole life:
//   useChart(el, echarts, option, deps)
// draws option() when the component mounts, follows the element's size (a ResizeObserver, so
// the navigation collapsing redraws it too), draws again when deps() changes, and disposes of
// the chart when the component unmounts. `echarts` is the caller's echarts/core with its charts
// and components registered (each chart imports only what it draws).
import { onBeforeUnmount, onMounted, watch } from 'vue'

export function useChart(el, echarts, option, deps) {
	let chart = null
	let observer = null

	onMounted(() => {
		chart = echarts.init(el.value, null, { renderer: 'canvas' })
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
		chart = null
	})
}
