// Preloaded into a server process by tests (`--import`): appends the file of every module the
// process loads — ES modules through Node's module hooks, CommonJS through the loader — to the
// file named by LOADED_MODULES_FILE, one per line. It observes; it changes nothing it loads.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.LOADED_MODULES_FILE;
if (out) {
  register(new URL('./loadedModulesHooks.mjs', import.meta.url), {
    data: { out },
  });
  const load = Module._load;
  Module._load = function (request, parent, isMain, ...rest) {
    try {
      appendFileSync(out, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // Unresolvable: the load below reports it.
    }
    return load.call(this, request, parent, isMain, ...rest);
  };
}
