// `npm run build`: Remix's classic compiler (`remix build`), with one change to how it bundles
// for the browser.
//
// The compiler swaps every `.server` module a route imports for an empty CommonJS module, and
// esbuild, unable to tell that an empty CommonJS module has no side effects, keeps each import
// alive. Every such module shared by two routes became a chunk of its own: seven to ten ~100-byte
// scripts on every page, each a request of its own before the page is interactive (and, in
// Lighthouse's phone simulation, before it is drawn: docs/benchmarks.md). Remix has known this
// since 2021 (remix-run/remix#209) and 2.17.5, the last of v2, still does it. Marking those
// empty modules free of side effects lets esbuild drop the imports: the code shipped is the
// same, minus the empty chunks. The same plugin's setup also asks for UTF-8 output (below).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The compiler reads this export when it builds, so replacing it here reaches every compilation.
const emptyModules = require("@remix-run/dev/dist/compiler/plugins/emptyModules.js");
const emptyModulesPlugin = emptyModules.emptyModulesPlugin;

emptyModules.emptyModulesPlugin = (...args) => {
  const plugin = emptyModulesPlugin(...args);
  return {
    ...plugin,
    setup(build) {
      // And the bundles as UTF-8: esbuild otherwise writes every non-ASCII character as a
      // \uXXXX escape, which makes the Hebrew catalog three times its size (and 20% more when
      // gzipped). Browsers read module scripts as UTF-8 always; the server's too.
      build.initialOptions.charset = "utf8";
      plugin.setup({
        ...build,
        onResolve(options, resolve) {
          build.onResolve(options, async (resolving) => {
            const resolved = await resolve(resolving);
            return resolved && { ...resolved, sideEffects: false };
          });
        },
      });
    },
  };
};

const { cli } = require("@remix-run/dev");
cli.run(["build", ...process.argv.slice(2)]).then(
  () => process.exit(0),
  (error) => {
    if (error) console.error(error);
    process.exit(1);
  },
);
