// Entry point of the Zhiliang browser UI: creates the app with the router, the i18n plugin and
// the on-demand Element Plus components.
import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './i18n/index.js'
import element from './plugins/element.js'
import './styles.css'

createApp(App).use(i18n).use(element).use(router).mount('#app')
