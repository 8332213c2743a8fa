/* Clientside callbacks (registered in callbacks/map.py and callbacks/router.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
        /* The document's language follows the page's (screen readers, hyphenation): the index
         * page is served once, in the default language, and the router may render another. */
        documentLang: function (lang) {
            if (lang) {
                document.documentElement.lang = lang;
            }
        },
        /* The router's gate (callbacks/router.py), in the browser so that a page which came
         * with the layout costs no round trip: Dash holds the view's callbacks (a cycle through
         * Back/Forward) until no other callback is outstanding. The address the layout's page
         * was rendered for leaves the page as it is (and clears the mark, so that coming back to
         * it later renders it); any other address goes to the server's router. */
        route: function (pathname, search, rendered) {
            const address = (pathname || "") + (search || "");
            const noUpdate = window.dash_clientside.no_update;
            if (rendered === null || rendered === undefined) {  // no page came with the layout
                return [address, noUpdate];
            }
            return rendered === address ? [noUpdate, null] : [address, null];
        },
        /* A link into a page's section (/data#PER, from the map) arrives before the router has
         * rendered the page, so the browser finds no element to scroll to: once the page is in
         * the document, scroll to the section and move the keyboard focus there. */
        scrollToHash: function () {
            const id = decodeURIComponent(window.location.hash.slice(1));
            if (!id) {
                return;
            }
            let tries = 40;
            const go = function () {
                const target = document.getElementById(id);
                if (target) {
                    target.scrollIntoView();
                    target.focus({preventScroll: true});
                } else if (tries-- > 0) {
                    window.requestAnimationFrame(go);
                }
            };
            window.requestAnimationFrame(go);
        },
        /* The map's download links (layouts/map_page.export_menu) follow the view: each keeps
         * its path (built by atlas/urls.py) and takes the query the view last wrote. */
        exportLinks: function (shown, ...hrefs) {
            return hrefs.map(function (href) {
                return href ? href.split("?")[0] + (shown || "") : window.dash_clientside.no_update;
            });
        },
        /* Presentation mode (layouts/present.py): its button enters, the exit button (or Esc,
         * below) leaves. */
        present: function () {
            const ctx = window.dash_clientside.callback_context;
            return ctx.triggered_id === "present-on";
        },
        /* Presentation mode's high-contrast button: the projector palette, or back to automatic. */
        contrast: function (clicks, palette) {
            return palette === "contrast" ? "auto" : "contrast";
        },
        /* The controls' drawer on a phone: the button opens and closes it and says which. */
        toggleDrawer: function (clicks, open) {
            return [!open, String(!open)];
        },
        /* The server sizes the map's zoom for a frame about 588 px across (layouts.figures.
         * view_for_bounds) and names each zoom it sets (layout.meta.fit); a smaller frame (a
         * phone) would cut the country off. Once plotly has drawn a zoom the server set and
         * not yet fitted (a zoom of the reader's own is never changed), zoom out until the box
         * fits the frame. The map may be drawn seconds after its figure arrives (MapLibre or the
         * geometry late on a slow phone): it is waited for, drawn and laid out, up to
         * FIT_WAIT_MS. Returns the name of the zoom fitted. */
        fit: function (figure, mapId, fitted) {
            const none = window.dash_clientside.no_update;
            const layout = figure && figure.layout;
            const token = layout && layout.meta ? layout.meta.fit : undefined;
            const zoom = layout && layout.map ? layout.map.zoom : undefined;
            if (!token || token === fitted || typeof zoom !== "number" || !window.Plotly) {
                return none;
            }
            const FIT_PX = 588;
            const FIT_WAIT_MS = 30000;
            const until = Date.now() + FIT_WAIT_MS;
            const go = function () {
                const frame = document.getElementById(mapId);
                const gd = frame && frame.querySelector(".js-plotly-plot");
                const drawn = gd && gd._fullLayout && gd._fullLayout.map;
                const side = gd ? Math.min(gd.clientWidth, gd.clientHeight) : 0;
                if (!drawn || Math.abs(drawn.zoom - zoom) > 1e-6 || side === 0) {
                    if (Date.now() < until) {
                        window.setTimeout(go, 50);
                    }
                    return;
                }
                if (side < FIT_PX) {
                    window.Plotly.relayout(gd, {"map.zoom": zoom - Math.log2(FIT_PX / side)});
                }
            };
            go();
            return token;
        },
        /* A number as layouts/paint.py fmt writes it (and atlas.i18n.numbers): fixed
         * decimals, thousands grouped, the language's separators, "-" before a negative. */
        fmt: function (value, decimals, lang) {
            const seps = lang === "en" ? [",", "."] : [".", ","];
            const parts = Math.abs(value).toFixed(decimals).split(".");
            const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, seps[0]);
            const text = parts.length > 1 ? whole + seps[1] + parts[1] : whole;
            return value < 0 ? "-" + text : text;
        },
        /* A switch within a large layer, sent as numbers (layouts/paint.py): rebuild the map's
         * hover texts and the ranking's x, rows and colours from them, and patch both figures
         * as the server's patches would (layouts.figures.choropleth_patch, layouts.panels.
         * ranking_patch). layouts/paint.py unpack is this function in Python. */
        paint: function (message) {
            const none = window.dash_clientside.no_update;
            if (!message || !message.columns) {
                return [none, none];
            }
            const fmt = window.dash_clientside.atlas.fmt;
            const lang = message.lang;
            /* a number column's values travel as whole numbers of 10^-d (123 for 12.3) */
            const values = function (c) {
                const scale = Math.pow(10, c.d);
                return c.v.map(function (n) { return n === null ? null : n / scale; });
            };
            const v = values(message.columns[0]);
            const columns = message.columns.map(function (c, k) {
                if (!c.v) {
                    return c.texts;
                }
                return (k === 0 ? v : values(c)).map(function (value, i) {
                    if (value === null) {
                        const fixed = c.fix[String(i)];
                        return fixed === undefined ? c.none : fixed;
                    }
                    return fmt(value, c.d, lang);
                });
            });
            const n = message.z.length;
            const customdata = new Array(n);
            for (let i = 0; i < n; i++) {
                customdata[i] = columns.map(function (c) { return c[i]; });
            }
            const rank = message.ranking;
            let x = rank.x;
            if (!x) {
                const skip = new Set(rank.unranked);
                x = v.map(function (vi, i) { return skip.has(i) ? null : vi; });
            }
            let y = rank.y;
            if (!y) {
                const tie = rank.tie;
                const dir = rank.direction;
                const ranked = [];
                x.forEach(function (xi, i) { if (xi !== null) { ranked.push(i); } });
                ranked.sort(function (a, b) {
                    return dir * x[a] - dir * x[b] || (tie ? tie[a] - tie[b] : 0) || a - b;
                });
                y = new Array(n).fill(null);
                ranked.forEach(function (i, row) { y[i] = row; });
            }
            const colour = rank.color || x.map(function (xi, i) {
                return xi === null ? 0 : message.z[i];
            });

            const map = new window.dash_clientside.Patch();
            Object.keys(message.map).forEach(function (key) {
                if (key !== "selected") {
                    map.assign(["data", 0, key], message.map[key]);
                }
            });
            map.assign(["data", 0, "z"], message.z);
            map.assign(["data", 0, "customdata"], customdata);
            map.assign(["data", 2, "locations"], message.map.selected);
            map.assign(["data", 2, "z"], message.map.selected.map(function () { return 0; }));

            const ranking = new window.dash_clientside.Patch();
            ranking.assign(["data", 0, "x"], x);
            ranking.assign(["data", 0, "y"], y);
            ranking.assign(["data", 0, "marker"], Object.assign({}, rank.marker, {color: colour}));
            ranking.assign(["data", 0, "error_x"], rank.error_x);
            ranking.assign(["data", 0, "hovertemplate"], rank.hovertemplate);
            ranking.assign(["data", 1], rank.selected);
            ranking.assign(["layout"], rank.layout);
            return [map.build(), ranking.build()];
        },
        /* On zoom, point the map's traces at the detailed (or back at the national) display
         * files that callbacks.map.geometry_record listed. It runs in the browser so a later
         * relayout event (a resize, a pan) cannot cancel it, and each file is fetched once
         * (the browser caches it). Traces: 0 values, 1 admin-1 outlines, 2 selection, 3 and 4
         * the layers over the official map (layouts/overlays.py), drawn on the units' geometry. */
        detail: function (relayout, geo) {
            const none = window.dash_clientside.no_update;
            const zoom = relayout ? relayout["map.zoom"] : undefined;
            if (typeof zoom !== "number" || !geo || !geo.files) {
                return [none, none];
            }
            const lod = zoom >= geo.detail_zoom ? "high" : "low";
            if (lod === geo.lod || !geo.files[lod]) {
                return [none, none];
            }
            const [units, admin1] = geo.files[lod];
            const patch = new window.dash_clientside.Patch();
            [0, 2, 3, 4].forEach(function (trace) {
                patch.assign(["data", trace, "geojson"], units);
            });
            if (admin1) {
                patch.assign(["data", 1, "geojson"], admin1);
            }
            return [patch.build(), Object.assign({}, geo, {lod: lod})];
        },
    },
});

/* The line shown while the atlas loads (app.boot_message) in the language the URL asks for. */
(function () {
    const lang = new URLSearchParams(window.location.search).get("lang");
    const lines = document.querySelectorAll(".atlas-boot [lang]");
    if (lang && Array.from(lines).some(function (el) { return el.lang === lang; })) {
        lines.forEach(function (el) { el.hidden = el.lang !== lang; });
    }
})();

/* The place search box (layouts/search.py). Dash 4.4's dropdown, when it opens on a selected
 * value, puts the keyboard focus on that option instead of its search field: letters typed then
 * are lost and a space "clicks" the option, which closes the box and drops the text ("Oaxaca de
 * Juárez" became "juarez"). While the box is open, a printable key pressed anywhere in it but the
 * search field goes to the search field, appended to what is there. */
document.addEventListener(
    "keydown",
    function (event) {
        const target = event.target;
        const box = target && target.closest ? target.closest(".unit-search") : null;
        if (!box || event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        const field = box.querySelector(".dash-dropdown-search");
        if (!field || target === field) {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        field.focus();
        /* React listens to the input event; set the value through the native setter so that
         * React sees the change. */
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
        setter.call(field, field.value + event.key);
        field.dispatchEvent(new Event("input", {bubbles: true}));
    },
    true,
);

/* Presentation mode's keys: Esc leaves it, the arrow keys (and Page Up / Page Down, which
 * presenter remotes send) step through a tour's slides; each presses the button on screen that
 * does the same (layouts/present.py), so keys and buttons cannot disagree. Not while typing. */
document.addEventListener("keydown", function (event) {
    if (!document.querySelector(".present-mode") || event.ctrlKey || event.metaKey || event.altKey) {
        return;
    }
    const target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) {
        return;
    }
    const button = {
        Escape: "present-off",
        ArrowLeft: "tour-prev",
        PageUp: "tour-prev",
        ArrowRight: "tour-next",
        PageDown: "tour-next",
    }[event.key];
    const element = button ? document.getElementById(button) : null;
    if (element && element.offsetParent !== null) {
        event.preventDefault();
        event.stopPropagation();  /* the map would pan on an arrow key */
        element.click();
    }
}, true);

/* The mouse wheel over the map scrolls the page, as everywhere else on it; with Ctrl (or ⌘)
 * held it zooms the map (the help text under the map says so). The wheel event is stopped on
 * its way down to the map, so plotly's map never sees it and the browser scrolls the page. In
 * presentation mode the map is the whole screen: the wheel zooms it. */
document.addEventListener("wheel", function (event) {
    const frame = event.target && event.target.closest ? event.target.closest(".map-frame") : null;
    if (!frame || event.ctrlKey || event.metaKey || frame.closest(".present-mode")) {
        return;
    }
    event.stopPropagation();
}, {capture: true, passive: true});

/* The unit report's "Download PDF" (layouts/report.py): the browser's own print, which offers
 * "Save as PDF", laid out by the print stylesheet. While printing, the document's title (the PDF's
 * default file name) names the report, and the report's footer gives the page's full address. */
document.addEventListener("click", function (event) {
    const button = event.target && event.target.closest ? event.target.closest("[data-print]") : null;
    if (!button) {
        return;
    }
    const before = document.title;
    document.title = button.getAttribute("data-print") || before;
    window.addEventListener("afterprint", function () {
        document.title = before;
    }, {once: true});
    window.print();
});
window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-page-url]").forEach(function (el) {
        el.textContent = window.location.href;
    });
});

/* The share menu (layouts/share.py, callbacks/share.py): the view's address, the embed snippet
 * and the social links, rebuilt from the page's own address whenever the view changes; the
 * document's title follows the map's. The copy buttons ([data-copy]) copy their field. */
window.dash_clientside.atlas.share = function () {
    const menu = document.getElementById("share-menu");
    const title = document.getElementById("map-title");
    const url = window.location.href;
    if (!menu) {
        return window.dash_clientside.no_update;
    }
    const site = menu.getAttribute("data-site") || "";
    const heading = title && title.innerText ? title.innerText.trim() : "";
    if (heading) {
        document.title = heading + " · " + site;
    }
    const embedUrl = window.location.origin + menu.getAttribute("data-embed-path") + window.location.search;
    const frameTitle = (heading || menu.getAttribute("data-embed-title") || "").replace(/"/g, "&quot;");
    const snippet = '<iframe src="' + embedUrl.replace(/"/g, "%22") + '" title="' + frameTitle +
        '" width="100%" height="620" style="border:0" loading="lazy"></iframe>';
    const u = encodeURIComponent(url);
    const text = encodeURIComponent(heading || site);
    return [
        url,
        snippet,
        "https://twitter.com/intent/tweet?url=" + u + "&text=" + text,
        "https://www.facebook.com/sharer/sharer.php?u=" + u,
        "https://wa.me/?text=" + text + "%20" + u,
        "https://www.linkedin.com/sharing/share-offsite/?url=" + u,
        "mailto:?subject=" + text + "&body=" + u,
    ];
};
document.addEventListener("click", function (event) {
    const button = event.target && event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) {
        return;
    }
    const field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
        return;
    }
    field.select();
    const done = function () {
        const label = button.textContent;
        button.textContent = button.getAttribute("data-copied") || label;
        window.setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
            document.execCommand("copy");
            done();
        });
    } else {
        document.execCommand("copy");
        done();
    }
});
