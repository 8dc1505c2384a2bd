// The quality dashboard's texts (`dash.*`), added to both dictionaries when its chunk loads
// (see i18n/sc.js for why pages keep their texts apart from the entry chunk).
import zh from './dash.zh-CN.js'
import en from './dash.en.js'
import { addMessages } from './index.js'

addMessages('zh-CN', { dash: zh })
addMessages('en', { dash: en })
