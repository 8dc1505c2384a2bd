// The filters of a list page kept in the route query, so that a filtered list can be linked and
// survives a reload:
//   const { filter, query, apply } = useRouteFilters('draws', ['kind', 'status'], () => list.load(query()))
// filter is reactive (one string per key, '' when unset) and follows the query of route `name`;
// query() is the non-empty filters, trimmed; apply() writes the filter into the route, and
// `changed` runs on mount and after every change of the query while route `name` is shown.
import { onMounted, reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useRouteFilters(name, keys, changed) {
	const route = useRoute()
	const router = useRouter()
	const filter = reactive(Object.fromEntries(keys.map((k) => [k, ''])))
	const read = () => {
		for (const k of keys) filter[k] = typeof route.query[k] === 'string' ? route.query[k] : ''
	}
	const query = () => {
		const q = {}
		for (const k of keys) if (filter[k]) q[k] = String(filter[k]).trim()
		return q
	}
	const apply = () => router.replace({ query: query() })
	watch(
		() => route.query,
		() => {
			if (route.name !== name) return
			read()
			changed()
		},
	)
	onMounted(() => {
		read()
		changed()
	})
	return { filter, query, apply }
}
