// Vite build of the Zhiliang browser UI.
//
// The output in dist/ is served by `zhiliang serve` under a strict Content-Security-Policy
// (script-src 'self', no eval), so the build must not emit inline scripts: the module preload
// polyfill, which Vite would inline into index.html, is switched off (every browser we support
// has native modulepreload). In development `npm run dev` proxies the API to a local server.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const backend = process.env.ZL_DEV_BACKEND || 'http://127.0.0.1:8080'

// lodash-es (used by Element Plus) falls back to `Function('return this')()` to find the global
// object. Browsers never reach that branch, but replacing it with `globalThis` keeps the bundle
// free of any eval-like construct, so "no eval under our CSP" can be checked with grep.
function noFunctionConstructor() {
	return {
		name: 'zl-no-function-constructor',
		transform(code, id) {
			if (!id.includes('/lodash-es/_root.js')) return null
			return { code: code.replace("Function('return this')()", 'globalThis'), map: null }
		},
	}
}

export default defineConfig({
	plugins: [vue(), noFunctionConstructor()],
	base: '/',
	build: {
		outDir: 'dist',
		assetsDir: 'assets',
		target: 'es2020',
		sourcemap: false,
		modulePreload: { polyfill: false },
		chunkSizeWarningLimit: 800,
	},
	server: {
		host: '127.0.0.1',
		port: 5173,
		proxy: {
			'/api': { target: backend, changeOrigin: false },
			'/healthz': { target: backend, changeOrigin: false },
		},
	},
})
