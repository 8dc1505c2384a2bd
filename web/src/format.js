// Small display helpers shared by the pages.

// An RFC 3339 UTC time ("2026-11-26T08:00:00Z", maybe with fractions) as "2026-11-26 08:00:00 UTC";
// anything else is shown as it came.
export function fmtTime(s) {
	if (!s) return ''
	const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(String(s))
	return m ? `${m[1]} ${m[2]} UTC` : String(s)
}
