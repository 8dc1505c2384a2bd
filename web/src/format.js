// Small display helpers shared by the pages.

// China Standard Time: UTC+8 all year (no daylight saving since 1991), so a fixed offset
// gives Asia/Shanghai without depending on the browser's time-zone data or its own zone.
const CST_MS = 8 * 3600 * 1000

// An RFC 3339 UTC time ("2026-11-26T08:00:00Z", maybe with fractions) shown as Beijing time,
// the way DESIGN.md asks: "2026-11-26 16:00:00". Anything else is shown as it came.
export function fmtTime(s) {
	if (!s) return ''
	const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(String(s))
	if (!m) return String(s)
	const t = Date.parse(`${m[1]}Z`)
	if (Number.isNaN(t)) return String(s)
	return new Date(t + CST_MS).toISOString().slice(0, 19).replace('T', ' ')
}
