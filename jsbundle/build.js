// Build ../assets/vendor/plotly-atlas.min.js with plotly.js's own esbuild settings
// (plotly.js/esbuild-config.js), from entry.js instead of the full trace list, and copy MapLibre's
// ES module files beside it (see README.md: the page and MapLibre's worker share one copy of
// maplibre-gl-shared.mjs instead of plotly.js inlining MapLibre twice).
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const esbuild = require('esbuild');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { environmentPlugin } = require('esbuild-plugin-environment');

const vendor = path.join(__dirname, '..', 'assets', 'vendor');
const out = path.join(vendor, 'plotly-atlas.min.js');
const maplibreDist = path.join(__dirname, 'node_modules', 'maplibre-gl', 'dist');
const MAPLIBRE_FILES = ['maplibre-gl.mjs', 'maplibre-gl-shared.mjs', 'maplibre-gl-worker.mjs'];
// plotly.js's dictionaries for the interface's languages other than English (atlas/i18n.py
// PLOTLY_LOCALES), each an ES module that entry.js imports the first time a graph asks for it.
const LOCALES = ['es', 'pt-br'];
const localesDir = path.join(vendor, 'locales');

function buildLocale(locale) {
    // Only the dictionary, as a plain ES module: the atlas sets each figure's number separators
    // itself (layout.separators, atlas/i18n.py) and draws no dates, so plotly's date and number
    // formats would be bytes on every Spanish first load for nothing.
    const { name, dictionary } = require(`plotly.js/lib/locales/${locale}.js`);
    const file = path.join(localesDir, `${locale}.mjs`);
    fs.mkdirSync(localesDir, { recursive: true });
    fs.writeFileSync(
        file,
        `/* plotly.js 4.1.1 locale ${locale}. MIT licence, (c) Plotly, Inc. */\n` +
            `export default ${JSON.stringify({ moduleType: 'locale', name, dictionary })};\n`
    );
    return file;
}

// plotly.js's map subplot imports MapLibre and an inlined copy of its worker. Point it at
// maplibre-shim.js (filled by entry.js once the module files have loaded) and let MapLibre find
// its worker beside itself. Each replacement must match: a plotly.js upgrade that changes these
// lines stops the build instead of silently bundling MapLibre again.
const MAP_JS_EDITS = [
    [
        "const maplibregl = require('maplibre-gl/dist/maplibre-gl.mjs');",
        `const maplibregl = require(${JSON.stringify(path.join(__dirname, 'maplibre-shim.js'))});`,
    ],
    ["const maplibreWorkerSource = require('../../../build/maplibre_worker');", ''],
    [
        "maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([maplibreWorkerSource], { type: 'text/javascript' })));",
        '',
    ],
];
const maplibreFromFiles = {
    name: 'maplibre-from-files',
    setup(build) {
        build.onLoad({ filter: /plotly\.js[\\/]src[\\/]plots[\\/]map[\\/]map\.js$/ }, async (args) => {
            let source = await fs.promises.readFile(args.path, 'utf8');
            for (const [from, to] of MAP_JS_EDITS) {
                if (!source.includes(from)) {
                    throw new Error(`plotly.js map.js changed: cannot find ${from}`);
                }
                source = source.replace(from, to);
            }
            return { contents: source, loader: 'js', resolveDir: path.dirname(args.path) };
        });
    },
};

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: out,
        format: 'iife',
        bundle: true,
        minify: true,
        sourcemap: false,
        plugins: [
            maplibreFromFiles,
            InlineCSSPlugin(),
            glsl({ minify: true }),
            environmentPlugin({ NODE_DEBUG: false }),
        ],
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2020',
        logLevel: 'warning',
        legalComments: 'none',
        banner: {
            js: '/* plotly.js 4.1.1 partial bundle (choroplethmap, bar, scatter). MIT licence, (c) Plotly, Inc. MapLibre GL JS (BSD-3-Clause) loads from ./maplibre/. Built by jsbundle/build.js */',
        },
    })
    .then(() => {
        const localeFiles = LOCALES.map(buildLocale);
        const dir = path.join(vendor, 'maplibre');
        fs.mkdirSync(dir, { recursive: true });
        for (const name of MAPLIBRE_FILES) {
            fs.copyFileSync(path.join(maplibreDist, name), path.join(dir, name));
        }
        fs.copyFileSync(path.join(maplibreDist, '..', 'LICENSE.txt'), path.join(dir, 'LICENSE.txt'));
        // Precompressed once here, so the server sends them without compressing per request.
        for (const file of [out, ...MAPLIBRE_FILES.map((name) => path.join(dir, name)), ...localeFiles]) {
            const data = fs.readFileSync(file);
            fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
            fs.writeFileSync(
                `${file}.br`,
                zlib.brotliCompressSync(data, {
                    params: {
                        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
                    },
                })
            );
        }
        console.log(`wrote ${out}, ${dir} and ${localesDir}`);
    })
    .catch((err) => {
        console.error(err);
        process.exit(1);
    });
