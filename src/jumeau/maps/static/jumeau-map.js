/* jumeau map runtime — part of jumeau (MIT licence).
 *
 * Builds the layers, legend, panels and time slider of a map written by
 * jumeau.maps. Needs only Leaflet. Every string it receives was HTML-escaped in
 * Python: this code only joins those strings with its own constant markup, and never
 * inserts anything else as HTML.
 */
var jumeau = (function () {
  "use strict";

  var layers = {};      // key -> Leaflet layer
  var background = [];  // keys of background vector layers, bottom first
  var api = {layers: layers, ready: false, rendered: false};

  function register(key, layer) {
    layer._jumeauKey = key;
    layers[key] = layer;
    return layer;
  }

  function addIf(map, spec, layer) {
    if (spec.show) { layer.addTo(map); }
    return layer;
  }

  /* Panes, zoom and scale controls, initial view. */
  api.setup = function (map, options) {
    options.panes.forEach(function (p) {
      var pane = map.createPane(p.name);
      pane.style.zIndex = String(p.z);
      if (!p.events) { pane.style.pointerEvents = "none"; }
    });
    // A top-centre corner for the title (Leaflet has only the four corners).
    map._controlCorners.topcenter = L.DomUtil.create(
      "div", "leaflet-top jm-top-center", map._controlContainer);
    L.control.zoom({position: "topleft", zoomInTitle: options.zoomIn,
                    zoomOutTitle: options.zoomOut}).addTo(map);
    L.control.scale({position: "bottomleft", imperial: false, maxWidth: 160}).addTo(map);
    map.fitBounds(options.bounds, {padding: [12, 12], animate: false});
  };

  /* A panel written (hidden) in the page body, shown as a map control. */
  api.panel = function (map, id, position) {
    var element = document.getElementById(id);
    var control = L.control({position: position});
    control.onAdd = function () {
      element.hidden = false;
      L.DomEvent.disableClickPropagation(element);
      L.DomEvent.disableScrollPropagation(element);
      return element;
    };
    control.addTo(map);
    return control;
  };

  function table(fields, values) {
    var rows = "";
    for (var i = 0; i < fields.length; i++) {
      if (values && values[i]) {
        rows += "<tr><th>" + fields[i] + "</th><td>" + values[i] + "</td></tr>";
      }
    }
    return "<table>" + rows + "</table>";
  }

  /* GeoJSON polygons, lines or points; style = spec.styles[feature.properties.s]. */
  api.vector = function (map, spec, data) {
    var styles = spec.styles;
    var interactive = !!(spec.fields || spec.popups);
    var pane = spec.pane || "overlayPane";
    function style(feature) { return styles[feature.properties.s || 0]; }
    var options = {pane: pane, interactive: interactive, style: style,
                   // Any point becomes a circle or an inline SVG icon: never Leaflet's
                   // default marker, whose icon is an image file.
                   pointToLayer: function (feature, latlng) {
                     var st = style(feature);
                     if (spec.icon) {
                       var html = spec.icon.split("%FILL%").join(st.fillColor)
                                           .split("%STROKE%").join(st.color);
                       return L.marker(latlng, {
                         interactive: interactive, keyboard: false,
                         icon: L.divIcon({className: "jm-icon", html: html,
                                          iconSize: [spec.iconSize, spec.iconSize],
                                          iconAnchor: [spec.iconSize / 2, spec.iconSize / 2]})});
                     }
                     return L.circleMarker(latlng, L.extend({pane: pane, interactive: interactive}, st));
                   }};
    var layer = L.geoJSON(data, options);
    if (spec.fields) {
      layer.bindTooltip(function (sub) { return table(spec.fields, sub.feature.properties.v); },
                        {sticky: true, className: "jm-tooltip", direction: "top", offset: [0, -8]});
    }
    if (spec.popups) {
      layer.bindPopup(function (sub) { return spec.popups[sub.feature.properties.p]; },
                      {maxWidth: 320, className: "jm-popup"});
    }
    if (spec.background) { background.push(spec.key); }
    return addIf(map, spec, register(spec.key, layer));
  };

  /* A still image (relief, a result grid), already warped to Web Mercator. */
  api.image = function (map, spec) {
    var layer = L.imageOverlay(spec.url, spec.bounds, {
      opacity: spec.opacity, pane: spec.pane, interactive: false, alt: "",
      className: spec.className || ""});
    return addIf(map, spec, register(spec.key, layer));
  };

  /* Online tiles (only when the map was written with tiles=True). */
  api.tiles = function (map, spec) {
    return addIf(map, spec, register(spec.key, L.tileLayer(spec.url, spec.options)));
  };

  /* The offline base layer: nothing but the twin's own background colour. */
  api.blank = function (map, spec) {
    return addIf(map, spec, register(spec.key, L.layerGroup()));
  };

  /* Frames of a grid over time, with a play/pause button and a time slider. */
  api.animation = function (map, spec) {
    var n = spec.frames.length, i = 0, timer = null, button = null, slider = null, label = null;
    var layer = L.imageOverlay(spec.frames[0], spec.bounds, {
      opacity: spec.opacity, pane: spec.pane, interactive: false, alt: "",
      className: spec.className || ""});
    var control = L.control({position: "bottomleft"});

    function refresh() {
      if (!button) { return; }
      button.innerHTML = timer ? spec.text.pause : spec.text.play;
      button.setAttribute("aria-pressed", timer ? "true" : "false");
      slider.value = String(i);
      label.innerHTML = spec.labels[i];
    }
    function show(k) {
      i = Math.max(0, Math.min(n - 1, k));
      layer.setUrl(spec.frames[i]);
      refresh();
    }
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      refresh();
    }
    function play() {
      if (timer) { return; }
      if (i >= n - 1) { show(0); }
      timer = setInterval(function () {
        if (i >= n - 1) { stop(); } else { show(i + 1); }
      }, spec.intervalMs);
      refresh();
    }
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "jm-panel jm-player");
      div.innerHTML = '<div class="jm-player-title">' + spec.title + "</div>";
      var row = L.DomUtil.create("div", "jm-player-row", div);
      button = L.DomUtil.create("button", "jm-play", row);
      button.type = "button";
      slider = L.DomUtil.create("input", "jm-slider", row);
      slider.type = "range";
      slider.min = "0";
      slider.max = String(n - 1);
      slider.step = "1";
      slider.setAttribute("aria-label", spec.text.time);
      label = L.DomUtil.create("span", "jm-time", row);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.on(button, "click", function () { if (timer) { stop(); } else { play(); } });
      L.DomEvent.on(slider, "input", function () { stop(); show(parseInt(slider.value, 10)); });
      refresh();
      return div;
    };
    layer.on("add", function () { control.addTo(map); });
    layer.on("remove", function () { stop(); control.remove(); });
    layer.player = {show: show, play: play, stop: stop,
                    frame: function () { return i; }, playing: function () { return !!timer; }};
    return addIf(map, spec, register(spec.key, layer));
  };

  /* Keep the background (roads, buildings) under the results when it is turned back on. */
  function restack(map) {
    for (var k = background.length - 1; k >= 0; k--) {
      var layer = layers[background[k]];
      if (layer && map.hasLayer(layer)) { layer.bringToBack(); }
    }
  }

  /* Layer control, legend that follows the visible layers, ready flags. */
  api.finish = function (map, options) {
    var bases = {}, overlays = {};
    options.bases.forEach(function (b) { bases[b[0]] = layers[b[1]]; });
    options.overlays.forEach(function (o) { overlays[o[0]] = layers[o[1]]; });
    L.control.layers(bases, overlays, {collapsed: options.collapsed, position: "topright"}).addTo(map);

    var legend = options.legend ? api.panel(map, options.legend, "bottomright") : null;
    function refreshLegend() {
      if (!legend) { return; }
      var blocks = legend.getContainer().querySelectorAll("[data-layer]"), shown = 0;
      for (var k = 0; k < blocks.length; k++) {
        var layer = layers[blocks[k].getAttribute("data-layer")];
        var on = !!layer && map.hasLayer(layer);
        blocks[k].style.display = on ? "" : "none";
        if (on) { shown++; }
      }
      legend.getContainer().style.display = shown ? "" : "none";
    }
    map.on("overlayadd", function (e) {
      if (background.indexOf(e.layer._jumeauKey) >= 0) { restack(map); }
    });
    map.on("overlayadd overlayremove", refreshLegend);
    refreshLegend();
    syncWithParent(map);
    api.map = map;
    api.ready = true;
    // Leaflet draws on the next animation frames: flag when they have passed.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { api.rendered = true; });
    });
  };

  /* Inside a comparison page (an iframe), tell the page where the map looks and follow
   * the view it sends, so that panning one pane moves the other. Messages carry only
   * numbers; nothing leaves the page. */
  function syncWithParent(map) {
    if (window.parent === window) { return; }
    var applying = false;
    map.on("moveend", function () {
      if (applying) { applying = false; return; }
      var c = map.getCenter();
      window.parent.postMessage({jumeau: "view", lat: c.lat, lng: c.lng,
                                 zoom: map.getZoom()}, "*");
    });
    window.addEventListener("message", function (e) {
      var d = e.data;
      if (!d || d.jumeau !== "setview" || typeof d.lat !== "number") { return; }
      var c = map.getCenter();
      if (Math.abs(c.lat - d.lat) < 1e-9 && Math.abs(c.lng - d.lng) < 1e-9 &&
          map.getZoom() === d.zoom) { return; }
      applying = true;
      map.setView([d.lat, d.lng], d.zoom, {animate: false});
    });
  }

  return api;
}());
