// The plotly.js traces the atlas draws, and nothing else: the choropleth map (MapLibre, no token),
// and scatter (in the core) and bar for the ranking. Dash's dcc.Graph uses window.Plotly when a page defines it.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/choroplethmap'),
    require('plotly.js/lib/bar'),
]);

window.Plotly = Plotly;
