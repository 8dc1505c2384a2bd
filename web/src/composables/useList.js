// Paging a list endpoint (http/list.h: {"items","total","next_cursor"}) with "load more":
//   const list = useList('/api/v1/users')
//   list.load({ org, role })   first page with these filters (replaces what is shown)
//   list.more()                next page appended (when list.nextCursor)
// State: items, total, nextCursor, loading, error (the ApiError of the last failure, shown by
// the page itself: requests are quiet), query (the filters of what is shown; reactive, for
// export links).
import { reactive } from 'vue'
import { api } from '../api.js'

export function useList(path, { limit = 50 } = {}) {
	let controller = null
	const state = reactive({
		items: [],
		total: 0,
		nextCursor: null,
		loading: false,
		error: null,
		loaded: false,
		query: {},
	})

	async function fetchPage(cursor) {
		if (controller) controller.abort()
		const mine = new AbortController()
		controller = mine
		state.loading = true
		state.error = null
		try {
			const res = await api.get(path, {
				query: { ...state.query, limit, cursor: cursor || undefined },
				signal: mine.signal,
				quiet: true,
			})
			const items = (res && res.items) || []
			state.items = cursor ? state.items.concat(items) : items
			state.total = res && typeof res.total === 'number' ? res.total : state.items.length
			state.nextCursor = (res && res.next_cursor) || null
			state.loaded = true
		} catch (e) {
			if (e && e.name === 'AbortError') return
			if (!cursor) {
				state.items = []
				state.total = 0
				state.nextCursor = null
			}
			state.error = e
		} finally {
			// A newer request replaced this one: it owns the loading state now.
			if (controller === mine) state.loading = false
		}
	}

	state.load = (f = {}) => {
		state.query = { ...f }
		return fetchPage(null)
	}
	state.reload = () => fetchPage(null)
	state.more = () => (state.nextCursor ? fetchPage(state.nextCursor) : Promise.resolve())
	return state
}
