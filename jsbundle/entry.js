// The plotly.js traces the atlas draws, and nothing else: the choropleth map (MapLibre, no token),
// and scatter (in the core) and bar for the ranking. Dash's dcc.Graph uses window.Plotly when a
// page defines it.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/choroplethmap'), require('plotly.js/lib/bar')]);

// MapLibre is ES modules: the page imports ./maplibre/maplibre-gl.mjs and MapLibre's module
// worker imports the same maplibre-gl-shared.mjs, which the browser therefore fetches once.
// Loading starts now, in parallel with Dash's start-up; only figures with a map wait for it (the
// ranking chart draws at once).
var maplibre = require('./maplibre-shim.js');
var here = (document.currentScript && document.currentScript.src) || window.location.href;
var maplibreUrl = new URL('maplibre/maplibre-gl.mjs', here).href;
var maplibreReady = import(maplibreUrl).then(function (module) {
    Object.assign(maplibre, module);
});
maplibreReady.catch(function (err) {
    console.error('MapLibre could not be loaded from ' + maplibreUrl + ': ' + err);
});

function hasMap(figure) {
    // Plotly.react(gd, data, layout) or Plotly.react(gd, {data, layout}), as dcc.Graph calls it.
    var data = Array.isArray(figure) ? figure : (figure && figure.data) || [];
    return data.some(function (trace) {
        return trace && /map$/.test(trace.type || '');
    });
}

['newPlot', 'react'].forEach(function (name) {
    var draw = Plotly[name];
    Plotly[name] = function () {
        var args = arguments;
        if (!hasMap(args[1])) {
            return draw.apply(Plotly, args);
        }
        return maplibreReady.then(function () {
            return draw.apply(Plotly, args);
        });
    };
});

window.Plotly = Plotly;
