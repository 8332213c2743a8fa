// The plotly.js traces the atlas draws, and nothing else: the choropleth map (MapLibre, no token),
// and scatter (in the core) and bar for the ranking. Dash's dcc.Graph uses window.Plotly when a
// page defines it.
var Plotly = require('plotly.js/lib/core');

// The choropleth draws through choropleth-paint.js: a switch that keeps the geometry recolours
// the features in place instead of re-sending them to MapLibre's worker.
var choroplethmap = require('plotly.js/lib/choroplethmap');
choroplethmap.plot = require('./choropleth-paint.js');

Plotly.register([choroplethmap, require('plotly.js/lib/bar')]);

// MapLibre is ES modules: the page imports ./maplibre/maplibre-gl.mjs and MapLibre's module
// worker imports the same maplibre-gl-shared.mjs, which the browser therefore fetches once.
// Loading starts now, in parallel with Dash's start-up; only figures with a map wait for it (the
// ranking chart draws at once, or once its locale has loaded).
var maplibre = require('./maplibre-shim.js');
var here = (document.currentScript && document.currentScript.src) || window.location.href;
var maplibreUrl = new URL('maplibre/maplibre-gl.mjs', here).href;
var maplibreReady = import(maplibreUrl).then(function (module) {
    Object.assign(maplibre, module);
});
maplibreReady.catch(function (err) {
    console.error('MapLibre could not be loaded from ' + maplibreUrl + ': ' + err);
});

// plotly.js's toolbar tooltips in the reader's language: the page's graphs name their locale in
// config.locale ('es', 'pt-br'; layouts/figures.py graph_config) and its dictionary loads from
// ./locales/ the first time a graph asks for it, so an English page fetches none and a Spanish
// one only Spanish. An unknown or unbuilt locale leaves plotly's English in place.
var LOCALES = { es: true, 'pt-br': true };
var localeLoads = {};
function localeReady(locale) {
    if (!locale || !LOCALES[locale]) {
        return null;
    }
    if (!localeLoads[locale]) {
        var url = new URL('locales/' + locale + '.mjs', here).href;
        localeLoads[locale] = import(url).then(
            function (module) {
                Plotly.register(module.default);
            },
            function (err) {
                console.error('plotly.js locale ' + locale + ' could not be loaded from ' + url + ': ' + err);
            }
        );
    }
    return localeLoads[locale];
}

function figureParts(args) {
    // Plotly.react(gd, data, layout, config) or Plotly.react(gd, {data, layout, config}), as
    // dcc.Graph calls it.
    var figure = args[1];
    if (Array.isArray(figure)) {
        return { data: figure, config: args[3] || {} };
    }
    return { data: (figure && figure.data) || [], config: (figure && figure.config) || {} };
}

function hasMap(data) {
    return data.some(function (trace) {
        return trace && /map$/.test(trace.type || '');
    });
}

// Beside a map (the atlas page's .map-frame, layouts/map_page.py), a figure with traces but no
// map (the ranking: thousands of SVG points) is drawn once the map has painted what it was given, so that
// when one answer changes both the map is not held behind the ranking: MapLibre has loaded and
// the map's sources are loaded (the geometry tiled in MapLibre's worker: an idle main thread
// before that is only the worker's turn), then two animation frames (MapLibre draws in the next
// one) and an idle main thread (at most a second later). While a map figure is being drawn
// (plotly.js's promise for it resolves once MapLibre has rendered it loaded, or rejects when
// MapLibre or the geometry failed) the ranking waits up to MAP_LOAD_MS (a slow phone tiles Brazil
// in several seconds); a page where no map figure comes within MAP_START_MS, or whose map
// reports an error, stops holding it. Elsewhere (the compare page) the ranking draws at once, and
// so does a figure without traces (the 'loading' text of layouts/map_page.py loading_figure) and
// any figure drawn in the map's own frame: dcc.Graph draws its figures one after another, so the
// map's real figure would otherwise wait behind its loading text, itself waiting for a map.
var MAP_START_MS = 10000;
var MAP_LOAD_MS = 30000;
// map figures handed to plotly.js and not yet drawn (or failed)
var mapsDrawing = 0;

function afterFrames(n) {
    return new Promise(function (resolve) {
        (function next(left) {
            if (left <= 0) {
                resolve();
            } else {
                requestAnimationFrame(function () {
                    next(left - 1);
                });
            }
        })(n);
    });
}

// the page's MapLibre map once plotly.js has given it its traces (in its subplot's traceHash)
function mapWithTraces() {
    var gd = document.querySelector('.map-frame .js-plotly-plot');
    var subplot = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return subplot && subplot.map && Object.keys(subplot.traceHash || {}).length ? subplot.map : null;
}

function whenMapLoaded() {
    return new Promise(function (resolve) {
        var start = performance.now();
        var watched = null;
        var failed = false;
        (function check() {
            var map = mapWithTraces();
            var waited = performance.now() - start;
            if (map && map !== watched) {
                watched = map;
                map.once('error', function () {
                    failed = true;
                });
            }
            // MapLibre's loaded(): the style and every source and tile it asked for
            var loaded = map && !mapsDrawing && map.loaded();
            var patience = map || mapsDrawing ? MAP_LOAD_MS : MAP_START_MS;
            if (failed || loaded || waited > patience) {
                resolve();
            } else {
                requestAnimationFrame(check);
            }
        })();
    });
}

function whenIdle(gd, data) {
    var el = typeof gd === 'string' ? document.getElementById(gd) : gd;
    var inMapFrame = el && el.closest && el.closest('.map-frame');
    if (!data.length || inMapFrame || !document.querySelector('.map-frame')) {
        return null;
    }
    // without MapLibre (it failed to load) the ranking still draws
    return maplibreReady
        .catch(function () {})
        .then(whenMapLoaded)
        .then(function () {
            return afterFrames(2);
        })
        .then(function () {
            return new Promise(function (resolve) {
                if (window.requestIdleCallback) {
                    window.requestIdleCallback(resolve, { timeout: 1000 });
                } else {
                    setTimeout(resolve, 0);
                }
            });
        });
}

['newPlot', 'react'].forEach(function (name) {
    var draw = Plotly[name];
    Plotly[name] = function () {
        var args = arguments;
        var parts = figureParts(args);
        var map = hasMap(parts.data);
        var waits = [map ? maplibreReady : whenIdle(args[0], parts.data), localeReady(parts.config.locale)].filter(
            Boolean
        );
        if (!waits.length) {
            return draw.apply(Plotly, args);
        }
        var drawn = Promise.all(waits).then(function () {
            return draw.apply(Plotly, args);
        });
        if (map) {
            mapsDrawing += 1;
            var done = function () {
                mapsDrawing -= 1;
            };
            drawn.then(done, done);
        }
        return drawn;
    };
});

window.Plotly = Plotly;
