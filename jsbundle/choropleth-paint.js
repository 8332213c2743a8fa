// The choroplethmap trace's drawing on the map, in place of plotly.js's own
// (plotly.js/src/traces/choroplethmap/plot.js): the same source and layers, but a restyle that
// leaves the geometry as it was (an indicator, year or classification switch: new z, hover
// data, colours) recolours the features through MapLibre's feature state instead of handing
// the whole FeatureCollection to MapLibre's worker again.
//
// plotly.js re-sends every feature with its new fill colour on each restyle (GeoJSONSource
// setData): for Brazil's 5,564 municipalities that is megabytes of coordinates serialised to the
// worker and re-tiled there, most of a switch's time in the browser. Here the features are
// numbered once (property `i`, MapLibre's promoteId) and a switch sets one state per feature
// whose colour changed; the fill paints the state's colour, else the feature's own `fc` (the
// colour it was sent with). A new geometry (another country, level or level of detail, or other
// locations) goes the plotly.js way: setData, and the states are cleared. The layers are moved,
// never removed and added again, when plotly.js re-stacks the traces (see _moveLayers).
'use strict';

var convertModule = require('plotly.js/src/traces/choroplethmap/convert');
var LAYER_PREFIX = require('plotly.js/src/plots/map/constants').traceLayerPrefix;

var convert = convertModule.convert;
var convertOnSelect = convertModule.convertOnSelect;

// the fill colour: a feature's state if a restyle set one, else the colour it was sent with
var FILL_COLOUR = ['to-color', ['coalesce', ['feature-state', 'fc'], ['get', 'fc']]];

function ChoroplethPaint(subplot, uid) {
    this.type = 'choroplethmap';
    this.subplot = subplot;
    this.uid = uid;
    // fill and line layers share one source
    this.sourceId = 'source-' + uid;
    this.layerList = [
        ['fill', LAYER_PREFIX + uid + '-fill'],
        ['line', LAYER_PREFIX + uid + '-line'],
    ];
    this.below = null;
    // what the source holds: the features' geometries (objects of plotly's geojson cache,
    // the same objects while the trace's geojson and locations stay), the colour each shows
    // and the colour it was sent with
    this.geometries = null;
    this.colours = null;
    this.sent = null;
}

var proto = ChoroplethPaint.prototype;

proto.update = function (calcTrace) {
    this._update(convert(calcTrace));
    // plotly.js's selection styling finds the trace here
    calcTrace[0].trace._glTrace = this;
};

proto.updateOnSelect = function (calcTrace) {
    this._update(convertOnSelect(calcTrace));
};

function sameGeometry(features, geometries) {
    if (!geometries || geometries.length !== features.length) {
        return false;
    }
    for (var i = 0; i < features.length; i++) {
        if (features[i].geometry !== geometries[i]) {
            return false;
        }
    }
    return true;
}

// Colours that travel as feature properties: a per-feature opacity or line colour or width
// (identity functions of convert.js) is data, not state, so such a trace always goes by setData.
function onlyFillVaries(opts) {
    var paints = [opts.fill.paint, opts.line.paint];
    for (var p = 0; p < paints.length; p++) {
        for (var k in paints[p]) {
            var v = paints[p][k];
            if (k !== 'fill-color' && v && typeof v === 'object' && v.type === 'identity') {
                return false;
            }
        }
    }
    return true;
}

proto._data = function (opts) {
    // a hidden or not yet fetched trace is a blank geometry (geojson_utils makeBlank): no features
    var features = opts.geojson.features || [];
    var source = this.subplot.map.getSource(this.sourceId);
    if (source && onlyFillVaries(opts) && sameGeometry(features, this.geometries)) {
        var map = this.subplot.map;
        for (var i = 0; i < features.length; i++) {
            var fc = features[i].properties.fc;
            if (fc !== this.colours[i]) {
                map.setFeatureState({ source: this.sourceId, id: i }, { fc: fc });
                this.colours[i] = fc;
            }
        }
        return;
    }
    this.geometries = features.map(function (f, i) {
        f.properties.i = i;
        return f.geometry;
    });
    this.colours = features.map(function (f) {
        return f.properties.fc;
    });
    // the colours the source holds in its features (what a feature without state shows)
    this.sent = this.colours.slice();
    if (source) {
        this.subplot.map.removeFeatureState({ source: this.sourceId });
        source.setData(opts.geojson);
    }
};

proto._update = function (opts) {
    var subplot = this.subplot;
    var below = subplot.belowLookup['trace-' + this.uid];
    this._data(opts);
    if (below !== this.below) {
        this._moveLayers(below);
        this.below = below;
    }
    for (var i = 0; i < this.layerList.length; i++) {
        var kind = this.layerList[i][0];
        var id = this.layerList[i][1];
        var layerOpts = opts[kind];
        subplot.setOptions(id, 'setLayoutProperty', layerOpts.layout);
        if (layerOpts.layout.visibility === 'visible') {
            subplot.setOptions(id, 'setPaintProperty', paint(kind, layerOpts));
        }
    }
};

function paint(kind, layerOpts) {
    if (kind !== 'fill') {
        return layerOpts.paint;
    }
    return Object.assign({}, layerOpts.paint, { 'fill-color': FILL_COLOUR });
}

proto._addLayers = function (opts, below) {
    var subplot = this.subplot;
    for (var i = 0; i < this.layerList.length; i++) {
        var kind = this.layerList[i][0];
        subplot.addLayer(
            {
                type: kind,
                id: this.layerList[i][1],
                source: this.sourceId,
                layout: opts[kind].layout,
                paint: paint(kind, opts[kind]),
            },
            below
        );
    }
};

// Where plotly.js removes the trace's layers and adds them again: on every restyle when several
// traces share a `below` (the atlas's map and its outlines all do), its way of keeping the traces
// stacked in their order. MapLibre then reloads the source (a layer removed and added again in one
// batch): it re-tiles all the geometry in its worker and draws the map once more when the tiles
// are back, after the switch's own frame. Moving the layers to the same place keeps the order
// and the tiles; and where the traces are already stacked as the moves would leave them, nothing
// moves: any move marks MapLibre's style changed, and a changed style draws the map a second time
// after the frame that applied it (hundreds of milliseconds for Brazil where WebGL is slow).
proto._moveLayers = function (below) {
    var map = this.subplot.map;
    var before = below && map.getLayer(below) ? below : undefined;
    if (this._stacked(below, before)) {
        return;
    }
    for (var i = 0; i < this.layerList.length; i++) {
        map.moveLayer(this.layerList[i][1], before);
    }
};

// The layers of the traces that share this `below` are already one after the other in the
// figure's trace order, right under `before` (or on top without one): what moving each of them
// there, in that order, would give.
proto._stacked = function (below, before) {
    var subplot = this.subplot;
    var hash = subplot.traceHash;
    var index = {};
    (subplot.gd._fullData || []).forEach(function (trace) {
        index[trace.uid] = trace.index;
    });
    var group = Object.keys(hash)
        .filter(function (uid) {
            return hash[uid] && hash[uid].layerList && subplot.belowLookup['trace-' + uid] === below;
        })
        .sort(function (a, b) {
            return index[a] - index[b];
        });
    if (group.indexOf(this.uid) < 0) {
        return false;
    }
    var expected = [];
    group.forEach(function (uid) {
        hash[uid].layerList.forEach(function (layer) {
            expected.push(layer[1]);
        });
    });
    var order = subplot.map.getLayersOrder();
    var end = before ? order.indexOf(before) : order.length;
    var start = end - expected.length;
    if (start < 0) {
        return false;
    }
    for (var i = 0; i < expected.length; i++) {
        if (order[start + i] !== expected[i]) {
            return false;
        }
    }
    return true;
};

proto._removeLayers = function () {
    var map = this.subplot.map;
    for (var i = this.layerList.length - 1; i >= 0; i--) {
        map.removeLayer(this.layerList[i][1]);
    }
};

proto.dispose = function () {
    this._removeLayers();
    this.subplot.map.removeSource(this.sourceId);
};

module.exports = function createChoroplethPaint(subplot, calcTrace) {
    var trace = calcTrace[0].trace;
    var obj = new ChoroplethPaint(subplot, trace.uid);
    var opts = convert(calcTrace);
    obj._data(opts); // numbers the features (no source yet: nothing else happens)
    obj.below = subplot.belowLookup['trace-' + trace.uid];
    subplot.map.addSource(obj.sourceId, { type: 'geojson', data: opts.geojson, promoteId: 'i' });
    obj._addLayers(opts, obj.below);
    calcTrace[0].trace._glTrace = obj;
    return obj;
};
