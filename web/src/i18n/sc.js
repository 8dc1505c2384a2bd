// The spot-check pages' texts (`sc.*`), added to both dictionaries when a page of 监督抽查 loads:
// each of those pages imports this module, so the texts travel in a chunk of their own instead
// of the entry chunk.
import zh from './sc.zh-CN.js'
import en from './sc.en.js'
import { addMessages } from './index.js'

addMessages('zh-CN', { sc: zh })
addMessages('en', { sc: en })
