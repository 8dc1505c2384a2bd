// A small i18n plugin: zh-CN (default) and English dictionaries and a $t function.
//
// Why not vue-i18n: its message compiler builds functions with `new Function`, which the
// production Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids, and the
// runtime-only build needs a precompile step. Our texts need only `{name}` interpolation, so a
// plain lookup is enough and the bundle stays free of eval.
//
// The chosen locale is kept in localStorage under `zl.locale`; it also sets <html lang> and the
// document title. Components use `$t('a.b')` in templates or `const { t, locale } = useI18n()`.
// A missing key renders as the key itself, so a gap is visible but never breaks a page.
import { computed, inject, ref } from 'vue'
import zhCN from './zh-CN.js'
import en from './en.js'
import inspZh from './insp.zh-CN.js'
import inspEn from './insp.en.js'
import annZh from './announce.zh-CN.js'
import annEn from './announce.en.js'

// Pages may keep their texts in files of their own, merged in here (deep, theirs last).
function merge(into, from) {
	for (const [k, v] of Object.entries(from)) {
		if (v && typeof v === 'object' && into[k] && typeof into[k] === 'object') merge(into[k], v)
		else into[k] = v
	}
	return into
}
merge(zhCN, inspZh)
merge(en, inspEn)
merge(zhCN, annZh)
merge(en, annEn)

export const LOCALES = { 'zh-CN': zhCN, en }
export const DEFAULT_LOCALE = 'zh-CN'
const STORAGE_KEY = 'zl.locale'
const KEY = Symbol('zl-i18n')

function readStored() {
	try {
		const v = window.localStorage.getItem(STORAGE_KEY)
		return v && LOCALES[v] ? v : DEFAULT_LOCALE
	} catch {
		// Storage can be disabled by policy; the default language still works.
		return DEFAULT_LOCALE
	}
}

function lookup(dict, key) {
	let node = dict
	for (const part of key.split('.')) {
		if (node == null || typeof node !== 'object') return undefined
		node = node[part]
	}
	return typeof node === 'string' ? node : undefined
}

function interpolate(text, params) {
	if (!params) return text
	return text.replace(/\{(\w+)\}/g, (all, name) =>
		Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : all,
	)
}

// addMessages(locale, messages): merge the top-level keys of a page's own texts into a
// dictionary (i18n/sc.js). Called when the page's chunk loads, before it renders; a key already
// there is replaced.
export function addMessages(locale, messages) {
	if (LOCALES[locale]) Object.assign(LOCALES[locale], messages)
}

// createI18n returns the plugin object; it is also usable outside components (api.js).
export function createI18n() {
	const locale = ref(readStored())
	const t = (key, params) => {
		const text = lookup(LOCALES[locale.value], key) ?? lookup(LOCALES[DEFAULT_LOCALE], key)
		return text === undefined ? key : interpolate(text, params)
	}
	// te tells whether a key exists (used for labels of open-ended sets such as count keys).
	const te = (key) => lookup(LOCALES[locale.value], key) !== undefined
	const apply = () => {
		document.documentElement.lang = locale.value
		document.title = t('app.title')
	}
	const setLocale = (next) => {
		if (!LOCALES[next]) return
		locale.value = next
		try {
			window.localStorage.setItem(STORAGE_KEY, next)
		} catch {
			// Not persisted; the switch still applies to this page view.
		}
		apply()
	}
	const i18n = {
		locale: computed(() => locale.value),
		t,
		te,
		setLocale,
		toggle: () => setLocale(locale.value === 'zh-CN' ? 'en' : 'zh-CN'),
		install(app) {
			app.config.globalProperties.$t = t
			app.provide(KEY, i18n)
			apply()
		},
	}
	return i18n
}

export const i18n = createI18n()

export function useI18n() {
	return inject(KEY, i18n)
}
