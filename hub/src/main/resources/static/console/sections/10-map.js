/*
 * 一图展示: the township on one map — villages, call boxes coloured by state, units, live incidents. Works without
 * map tiles (plain background, village outlines and labels drawn from the registry's points); with
 * callbox.console.tile-url set, the tiles go underneath.
 */
(function () {
  'use strict';
  var C = window.Console;

  /** offline > siren sounding > locker not ready > ok: what the command centre must see first. */
  function boxState(box) {
    if (!box.online) {
      return 'offline';
    }
    if (box.sirenSounding) {
      return 'siren';
    }
    if (box.lockerReady === false) {
      return 'locker';
    }
    return 'ok';
  }

  var STATE_CLASS = { offline: 'off', siren: 'alarm', locker: 'warn', ok: 'ok' };

  function boxIcon(box) {
    var state = boxState(box);
    return L.divIcon({
      className: '',
      iconSize: [22, 22],
      html: '<div class="box-marker dot ' + STATE_CLASS[state] + (state === 'siren' ? ' alarm' : '') +
        '" style="width:22px;height:22px" data-endpoint="' + C.esc(box.endpoint) + '" data-state="' + state +
        '" title="' + C.esc(box.place) + '"></div>'
    });
  }

  function incidentIcon(incident) {
    return L.divIcon({
      className: '',
      iconSize: [34, 34],
      html: '<div class="incident-marker" data-incident-id="' + C.esc(incident.id) + '"></div>'
    });
  }

  /** Outline of a village: a circle round its points, wide enough to hold them all (the registry has no borders). */
  function villageOutlines(map, boxes, units) {
    var byVillage = {};
    boxes.concat(units).forEach(function (p) {
      var key = p.village || '';
      (byVillage[key] = byVillage[key] || []).push(p);
    });
    Object.keys(byVillage).forEach(function (name) {
      var points = byVillage[name];
      var lat = 0;
      var lon = 0;
      points.forEach(function (p) { lat += p.lat; lon += p.lon; });
      var centre = L.latLng(lat / points.length, lon / points.length);
      var radius = 400;
      points.forEach(function (p) {
        radius = Math.max(radius, centre.distanceTo(L.latLng(p.lat, p.lon)) + 300);
      });
      L.circle(centre, { radius: radius, color: '#5c7c99', weight: 2, dashArray: '6 4', fillColor: '#c8d8e4',
        fillOpacity: 0.35, interactive: false }).addTo(map);
      // the name sits on the outline's northern edge, where it hides no box
      L.tooltip({ permanent: true, direction: 'top', className: 'map-label', interactive: false })
        .setLatLng(L.latLng(centre.lat + radius / 111320, centre.lng)).setContent(C.esc(name)).addTo(map);
    });
  }

  function stateText(state) {
    return C.t('ui.map.state.' + state);
  }

  C.section({
    id: 'map',
    order: 10,
    titleKey: 'ui.map.title',
    render: function (view, param, ctx) {
      view.innerHTML = '<div id="map" role="region" aria-label="' + C.esc(C.t('ui.map.title')) + '"></div>' +
        '<aside class="map-side"><div class="card legend">' +
        ['ok', 'locker', 'siren', 'offline'].map(function (s) {
          return '<span><i class="dot ' + STATE_CLASS[s] + '"></i>' + C.esc(stateText(s)) + '</span>';
        }).join('') + '</div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.map.incidents')) + '</h3><ul id="map-incidents"></ul></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.map.callboxes')) + '</h3><ul id="map-boxes"></ul></div>' +
        '</aside>';
      var map = L.map('map', { zoomControl: true, attributionControl: !!C.config.tileUrl });
      if (C.config.tileUrl) {
        L.tileLayer(C.config.tileUrl, { attribution: C.config.tileAttribution || '',
          subdomains: C.config.tileSubdomains || 'abc', maxZoom: 18 }).addTo(map);
      }
      map.setView([30, 110], 13);
      var boxes = {};      // endpoint -> {data, marker}
      var incidents = {};  // id -> {data, marker}

      function renderBoxList() {
        var list = view.querySelector('#map-boxes');
        list.innerHTML = Object.keys(boxes).sort().map(function (ep) {
          var b = boxes[ep].data;
          var state = boxState(b);
          return '<li data-endpoint="' + C.esc(ep) + '" data-state="' + state + '"><i class="dot ' +
            STATE_CLASS[state] + '"></i> <a href="#callboxes/' + C.esc(ep) + '">' + C.esc(b.place || ep) +
            '</a> · <span class="box-state">' + C.esc(stateText(state)) + '</span></li>';
        }).join('');
      }

      function renderIncidentList() {
        var open = Object.keys(incidents).map(function (id) { return incidents[id].data; })
          .filter(C.isOpen).sort(function (a, b) { return a.raisedAt < b.raisedAt ? 1 : -1; });
        view.querySelector('#map-incidents').innerHTML = open.length ? open.map(function (i) {
          return '<li data-incident-id="' + C.esc(i.id) + '"><a href="#incidents/' + C.esc(i.id) + '">' +
            C.esc(i.place || i.callbox || i.id) + '</a> <span class="badge ' + C.esc(i.state) + '">' +
            C.esc(C.t('ui.incidents.state.' + i.state)) + '</span><br><small>' + C.esc(C.time(i.raisedAt)) +
            '</small></li>';
        }).join('') : '<li class="none">' + C.esc(C.t('ui.none')) + '</li>';
      }

      function showBox(box) {
        var entry = boxes[box.endpoint];
        if (!entry) {
          if (box.lat === undefined) {
            return; // a live event of a box the page has not loaded (new box): shown on the next reload
          }
          entry = boxes[box.endpoint] = { data: box };
          entry.marker = L.marker([box.lat, box.lon], { icon: boxIcon(box), riseOnHover: true }).addTo(map)
            .on('click', function () { C.go('callboxes/' + box.endpoint); });
          entry.marker.bindTooltip(C.esc(box.place || box.endpoint));
        } else {
          Object.keys(box).forEach(function (k) { entry.data[k] = box[k]; });
          entry.marker.setIcon(boxIcon(entry.data));
        }
        renderBoxList();
      }

      function showIncident(incident) {
        var entry = incidents[incident.id];
        if (entry && entry.marker) {
          map.removeLayer(entry.marker);
        }
        entry = incidents[incident.id] = { data: incident };
        if (C.isOpen(incident) && incident.lat !== undefined) {
          entry.marker = L.marker([incident.lat, incident.lon], { icon: incidentIcon(incident), zIndexOffset: 1000 })
            .addTo(map).on('click', function () { C.go('incidents/' + incident.id); });
          entry.marker.bindTooltip(C.esc(C.t('ui.map.incidentAt', incident.place || incident.callbox || '')));
        }
        renderIncidentList();
      }

      Promise.all([C.api('GET', 'api/callboxes'), C.api('GET', 'api/units'), C.api('GET', 'api/incidents')])
        .then(function (results) {
          var boxList = results[0] || [];
          var units = results[1] || [];
          villageOutlines(map, boxList, units);
          units.forEach(function (u) {
            L.circleMarker([u.lat, u.lon], { radius: 6, color: '#0d3c61', fillColor: '#fff', fillOpacity: 1,
              weight: 3 }).addTo(map).bindTooltip(C.esc(u.name)).on('click', function () {
              C.go('units/' + u.id);
            });
          });
          boxList.forEach(showBox);
          (results[2] || []).filter(C.isOpen).forEach(showIncident);
          var points = boxList.concat(units).map(function (p) { return [p.lat, p.lon]; });
          if (points.length) {
            // room above for the village names on the outlines' northern edges
            map.fitBounds(points, { paddingTopLeft: [60, 110], paddingBottomRight: [60, 60], maxZoom: 15 });
          }
          renderIncidentList();
          view.setAttribute('data-loaded', 'true');
        }, function (error) {
          C.notify(C.t('ui.failed', error.message), 'error');
        });

      ctx.on('callbox', showBox);
      ctx.on('incident', showIncident);
      // the map is sized by CSS after it is created
      setTimeout(function () { map.invalidateSize(); }, 0);
      return function () { map.remove(); };
    }
  });
})();
