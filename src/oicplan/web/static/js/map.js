// Map: Natural Earth country shapes (world-atlas TopoJSON, vendored) drawn by ECharts,
// with the plan's layers: candidates, chosen sites by center mode, rail routes, sea
// lanes, cooperation zones, existing centers and Zhejiang's hubs. A click on a site
// opens its profile. #map-status gets data-state="done" when the map is drawn.
(function () {
  "use strict";
  const oic = window.oic;
  const data = oic.readJson("map-data");
  const status = document.getElementById("map-status");
  const node = document.getElementById("map-chart");
  const MODE_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

  function name(item) {
    return data.names[item.site_id] || item.name;
  }

  // A zone's or center's name in Chinese where the dataset has one.
  function term(text) {
    return text && data.terms && data.terms[text] ? data.terms[text] : text;
  }

  // [lat, lon] points -> [[lon, lat], ...] pieces, cut where a line crosses the antimeridian.
  function pieces(points) {
    const out = [];
    let current = [];
    let last = null;
    for (const [lat, lon] of points) {
      if (lat === null || lon === null) continue;
      if (last !== null && Math.abs(lon - last) > 180) {
        if (current.length > 1) out.push(current);
        current = [];
      }
      current.push([lon, lat]);
      last = lon;
    }
    if (current.length > 1) out.push(current);
    return out;
  }

  // Country shapes for a flat map: Antarctica left out (no candidate there), and a ring
  // that crosses the antimeridian drawn east of 180° instead of across the whole map.
  function flatWorld(topo) {
    const world = window.topojson.feature(topo, topo.objects.countries);
    const fixRing = (ring) => {
      const lons = ring.map((p) => p[0]);
      if (Math.max(...lons) - Math.min(...lons) <= 180) return ring;
      return ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
    };
    world.features = world.features.filter((f) => f.id !== "010" && f.geometry).map((f) => {
      const g = f.geometry;
      if (g.type === "Polygon") g.coordinates = g.coordinates.map(fixRing);
      if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(fixRing));
      if (!f.properties) f.properties = {};
      f.properties.name = f.properties.name || String(f.id);
      return f;
    });
    return world;
  }

  function point(item, extra) {
    return Object.assign({ name: name(item), value: [item.lon, item.lat], site_id: item.site_id }, extra || {});
  }

  function series(layers) {
    const out = [];
    out.push({
      name: oic.t("map.candidates"), type: "scatter", coordinateSystem: "geo", symbolSize: 4,
      itemStyle: { color: "#8a99a8", opacity: 0.7 }, z: 2,
      data: layers.candidates.filter((c) => !c.chosen).map((c) => point(c, { rank: c.rank })),
    });
    const rail = layers.rail_lines.flatMap((line) => pieces(line)).map((coords) => ({ coords }));
    out.push({
      name: oic.t("map.rail"), type: "lines", coordinateSystem: "geo", polyline: true, z: 3,
      lineStyle: { color: "#b5651d", width: 1.6, opacity: 0.85 }, data: rail,
    });
    const sea = layers.sea_lanes.flatMap((lane) => pieces(lane.points).map((coords) => ({
      coords,
      name: `${oic.lang === "zh" && lane.hub_zh ? lane.hub_zh : lane.hub || ""} → ${
        oic.lang === "zh" && lane.port_zh ? lane.port_zh : lane.port || ""}`,
    })));
    out.push({
      name: oic.t("map.sea"), type: "lines", coordinateSystem: "geo", polyline: true, z: 3,
      lineStyle: { color: "#1f6fb2", width: 1.2, opacity: 0.75, type: "dashed" }, data: sea,
    });
    out.push({
      name: oic.t("map.zones"), type: "scatter", coordinateSystem: "geo", symbol: "triangle",
      symbolSize: 11, z: 4, itemStyle: { color: "#f2c12e", borderColor: "#6b5200", borderWidth: 1 },
      data: layers.zones.map((z) => point(z, { detail: term(z.zone) })),
    });
    out.push({
      name: oic.t("map.centers"), type: "scatter", coordinateSystem: "geo", symbol: "diamond",
      symbolSize: 12, z: 5, itemStyle: { color: "#17becf", borderColor: "#0b5560", borderWidth: 1 },
      data: layers.existing_centers.map((c) => point(c, { detail: term(c.center) })),
    });
    const modes = Array.from(new Set(layers.chosen.map((c) => c.mode)));
    modes.forEach((mode, i) => {
      out.push({
        name: data.modes[mode] || mode, type: "effectScatter", coordinateSystem: "geo",
        symbolSize: 11, z: 6, rippleEffect: { scale: 2.5, brushType: "stroke" },
        itemStyle: { color: MODE_COLORS[i % MODE_COLORS.length] },
        data: layers.chosen.filter((c) => c.mode === mode).map((c) => point(c, { rank: c.rank })),
      });
    });
    out.push({
      name: oic.t("map.hubs"), type: "scatter", coordinateSystem: "geo", symbol: "pin",
      symbolSize: 18, z: 7, itemStyle: { color: "#444" },
      data: layers.hubs.map((h) => ({ name: oic.siteName(h), value: [h.lon, h.lat] })),
    });
    return out;
  }

  function tooltip(params) {
    const d = params.data || {};
    const lines = [params.seriesName, d.name || ""];
    if (d.rank) lines.push(oic.t("map.rank", { rank: d.rank }));
    if (d.detail) lines.push(d.detail);
    // ECharts puts the tooltip text into HTML: escape it.
    return lines.filter(Boolean).map((line) => String(line)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;")).join("<br>");
  }

  async function draw() {
    if (!window.echarts || !window.topojson) {
      status.textContent = oic.t("map.no_assets");
      status.dataset.state = "error";
      return;
    }
    try {
      const [topo, layers] = await Promise.all([
        fetch("/static/vendor/countries-50m.json", { credentials: "same-origin" }).then((r) => r.json()),
        oic.api(data.layers_url),
      ]);
      window.echarts.registerMap("world", flatWorld(topo));
      const chart = window.echarts.init(node);
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: tooltip },
        legend: { type: "scroll", bottom: 0 },
        geo: {
          // The whole world, as wide as the panel (the map keeps its aspect; zoom and pan).
          map: "world", roam: true, left: 0, right: 0, top: 8, bottom: 36,
          scaleLimit: { min: 0.5, max: 20 },
          itemStyle: { areaColor: "#eef2f5", borderColor: "#b8c4ce", borderWidth: 0.5 },
          emphasis: { disabled: true }, label: { show: false }, silent: true,
        },
        series: series(layers),
      });
      chart.on("click", (params) => {
        const id = params.data && params.data.site_id;
        if (id) window.location.assign("/sites/" + encodeURIComponent(id));
      });
      window.addEventListener("resize", () => chart.resize());
      status.textContent = oic.t("map.counts", {
        candidates: layers.candidates.length, chosen: layers.chosen.length,
      });
      status.dataset.state = "done";
    } catch (error) {
      status.dataset.state = "error";
      status.textContent = oic.t("common.error", { detail: error.message });
    }
  }

  draw();
})();
