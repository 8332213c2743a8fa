// What plotly.js's map subplot sees as the `maplibre-gl` module: filled with MapLibre's exports by
// entry.js once ./maplibre/maplibre-gl.mjs has loaded (entry.js delays plotting until then).
module.exports = {};
