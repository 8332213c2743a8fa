// Build ../assets/vendor/plotly-atlas.min.js with plotly.js's own esbuild settings
// (plotly.js/esbuild-config.js), from entry.js instead of the full trace list.
const path = require('path');
const esbuild = require('esbuild');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { environmentPlugin } = require('esbuild-plugin-environment');

const out = path.join(__dirname, '..', 'assets', 'vendor', 'plotly-atlas.min.js');

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: out,
        format: 'iife',
        bundle: true,
        minify: true,
        sourcemap: false,
        plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2016',
        logLevel: 'warning',
        legalComments: 'none',
        banner: { js: '/* plotly.js 4.1.1 partial bundle (choroplethmap, bar, scatter). MIT licence, (c) Plotly, Inc. Built by jsbundle/build.js */' },
    })
    .then(() => console.log(`wrote ${out}`))
    .catch(() => process.exit(1));
