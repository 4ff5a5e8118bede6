// Browse by place: markers on a Leaflet map that needs no tiles (no network); the list below the map
// holds the same links, so the page works without this script too.
(function () {
  "use strict";
  var data = document.getElementById("places");
  var el = document.getElementById("map");
  if (!data || !el || typeof L === "undefined") { return; }
  var places = JSON.parse(data.textContent);
  var map = L.map(el, { worldCopyJump: true, attributionControl: true, keyboard: true });
  map.attributionControl.setPrefix("Leaflet");
  // A graticule instead of tiles: every 30 degrees.
  var grid = { color: "#8a8578", weight: 1, opacity: 0.6, interactive: false };
  for (var lat = -60; lat <= 60; lat += 30) { L.polyline([[lat, -180], [lat, 180]], grid).addTo(map); }
  for (var lon = -180; lon <= 180; lon += 30) { L.polyline([[-85, lon], [85, lon]], grid).addTo(map); }
  var bounds = [];
  places.forEach(function (p) {
    var radius = Math.min(18, 5 + Math.sqrt(p.count) * 2);
    var marker = L.circleMarker([p.lat, p.lon], { radius: radius, color: "#0b5a8a", fillColor: "#0b5a8a", fillOpacity: 0.6 });
    var link = document.createElement("a");
    link.href = "/search?place=" + encodeURIComponent(p.name);
    link.textContent = p.name + " (" + p.count + ")";
    marker.bindPopup(link);
    marker.bindTooltip(p.name);
    marker.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 }); }
  else if (bounds.length === 1) { map.setView(bounds[0], 6); }
  else { map.setView([40, 20], 2); }
})();
