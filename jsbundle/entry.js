// The plotly.js traces the atlas draws, and nothing else: the choropleth map (MapLibre, no token),
// and scatter (in the core) and bar for the ranking. Dash's dcc.Graph uses window.Plotly when a
// page defines it.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/choroplethmap'), require('plotly.js/lib/bar')]);

// MapLibre is ES modules: the page imports ./maplibre/maplibre-gl.mjs and MapLibre's module
// worker imports the same maplibre-gl-shared.mjs, which the browser therefore fetches once.
// Loading starts now, in parallel with Dash's start-up; plotting waits for it.
var maplibre = require('./maplibre-shim.js');
var here = (document.currentScript && document.currentScript.src) || window.location.href;
var maplibreUrl = new URL('maplibre/maplibre-gl.mjs', here).href;
var maplibreReady = import(maplibreUrl).then(function (module) {
    Object.assign(maplibre, module);
});
maplibreReady.catch(function (err) {
    console.error('MapLibre could not be loaded from ' + maplibreUrl + ': ' + err);
});

['newPlot', 'react'].forEach(function (name) {
    var draw = Plotly[name];
    Plotly[name] = function () {
        var args = arguments;
        return maplibreReady.then(function () {
            return draw.apply(Plotly, args);
        });
    };
});

window.Plotly = Plotly;
