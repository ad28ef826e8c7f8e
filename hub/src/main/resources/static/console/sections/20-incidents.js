/*
 * Incidents: the list (live), and one incident with its timeline, the units alerted with alert/ack/muster times,
 * reports, and the command centre's actions (alert another unit, call the police, false alarm, close).
 */
(function () {
  'use strict';
  var C = window.Console;
  var STEERS = ['admin', 'dispatcher'];

  function stateBadge(state) {
    return '<span class="badge ' + C.esc(state) + '" data-state="' + C.esc(state) + '">' +
      C.esc(C.t('ui.incidents.state.' + state)) + '</span>';
  }

  function kindText(kind) {
    return C.t('ui.incidents.kind.' + kind);
  }

  function row(i) {
    var acked = (i.units || []).filter(function (u) { return u.acknowledgedAt; }).length;
    return '<tr data-incident-id="' + C.esc(i.id) + '" class="' + (C.isOpen(i) ? 'open' : '') + '">' +
      '<td><a href="#incidents/' + C.esc(i.id) + '">' + C.esc(i.id) + '</a></td>' +
      '<td>' + C.esc(kindText(i.kind)) + '</td><td>' + stateBadge(i.state) + '</td>' +
      '<td>' + C.esc(i.place || '') + '<br><small>' + C.esc(i.village || '') + '</small></td>' +
      '<td>' + C.esc(C.time(i.raisedAt)) + '</td>' +
      '<td>' + C.esc(C.t('ui.incidents.acked', acked, (i.units || []).length)) + '</td></tr>';
  }

  function renderList(view, ctx) {
    view.innerHTML = '<h2>' + C.esc(C.t('ui.incidents.title')) + '</h2><table id="incident-list"><thead><tr>' +
      ['id', 'kind', 'state', 'place', 'raisedAt', 'units'].map(function (k) {
        return '<th>' + C.esc(C.t('ui.incidents.col.' + k)) + '</th>';
      }).join('') + '</tr></thead><tbody><tr><td colspan="6">' + C.esc(C.t('ui.loading')) +
      '</td></tr></tbody></table>';
    var incidents = {};
    function draw() {
      var list = Object.keys(incidents).map(function (id) { return incidents[id]; })
        .sort(function (a, b) { return a.raisedAt < b.raisedAt ? 1 : -1; });
      view.querySelector('tbody').innerHTML = list.length ? list.map(row).join('')
        : '<tr><td colspan="6">' + C.esc(C.t('ui.none')) + '</td></tr>';
    }
    C.api('GET', 'api/incidents').then(function (list) {
      (list || []).forEach(function (i) { incidents[i.id] = i; });
      draw();
    }, function (e) { C.notify(C.t('ui.failed', e.message), 'error'); });
    ctx.on('incident', function (i) {
      incidents[i.id] = i;
      draw();
    });
  }

  /** Seconds from the unit's alert to its first muster (locker opened), from the log. */
  function musterSeconds(incident, unit) {
    var entry = (incident.log || []).filter(function (l) { return l.type === 'muster' && l.unit === unit.unit; })[0];
    return entry ? C.seconds(unit.alertedAt, entry.at) : '';
  }

  function unitsTable(incident, names) {
    return '<table id="incident-units"><thead><tr>' +
      ['unit', 'role', 'alertedAt', 'acknowledgedAt', 'acknowledgedBy', 'muster', 'distance'].map(function (k) {
        return '<th>' + C.esc(C.t('ui.incidents.unit.' + k)) + '</th>';
      }).join('') + '</tr></thead><tbody>' + (incident.units || []).map(function (u) {
        var muster = musterSeconds(incident, u);
        return '<tr data-unit="' + C.esc(u.unit) + '"><td>' + C.esc(names[u.unit] || u.unit) + '</td>' +
          '<td>' + C.esc(C.t('ui.incidents.role.' + u.role)) + (u.byEscalation ? ' · ' +
          C.esc(C.t('ui.incidents.byEscalation')) : '') + '</td>' +
          '<td>' + C.esc(C.time(u.alertedAt)) + '</td>' +
          '<td class="acked-at">' + C.esc(C.time(u.acknowledgedAt)) + '</td>' +
          '<td class="acked-by">' + C.esc(u.acknowledgedBy || '') + '</td>' +
          '<td>' + (muster === '' ? '' : C.esc(C.t('ui.incidents.seconds', muster))) + '</td>' +
          '<td>' + C.esc(u.distanceKm === undefined ? '' : u.distanceKm.toFixed(1) + ' km') + '</td></tr>';
      }).join('') + '</tbody></table>';
  }

  function timeline(incident, names) {
    return '<ol class="timeline" id="incident-log">' + (incident.log || []).map(function (l) {
      var who = [l.unit ? (names[l.unit] || l.unit) : '', l.member || ''].filter(Boolean).join(' · ');
      return '<li data-type="' + C.esc(l.type) + '"><time>' + C.esc(C.time(l.at)) + '</time><strong>' +
        C.esc(C.t('ui.incidents.log.' + l.type)) + '</strong>' + (who ? ' · ' + C.esc(who) : '') +
        (l.text ? '<br><small>' + C.esc(l.text) + '</small>' : '') + '</li>';
    }).join('') + '</ol>';
  }

  function actions(incident, units, members) {
    if (!C.isOpen(incident)) {
      return '';
    }
    var alerted = (incident.units || []).map(function (u) { return u.unit; });
    var html = '<div class="card"><h3>' + C.esc(C.t('ui.incidents.actions')) + '</h3>';
    // acknowledge on behalf of a member who phoned in, and reports from the scene: every role may
    html += '<div class="actions"><select id="ack-member">' + members.map(function (m) {
      return '<option value="' + C.esc(m.id) + '">' + C.esc(m.unitName + ' · ' + m.name) + '</option>';
    }).join('') + '</select><button type="button" id="incident-ack">' + C.esc(C.t('ui.incidents.ack')) +
      '</button></div>';
    html += '<div class="actions"><select id="report-status">' +
      ['on-scene', 'needs-police', 'needs-ambulance', 'resolved', 'false-alarm'].map(function (s) {
        return '<option value="' + s + '">' + C.esc(C.t('ui.incidents.log.' + s)) + '</option>';
      }).join('') + '</select><input id="report-note" maxlength="500" placeholder="' +
      C.esc(C.t('ui.incidents.note')) + '"><button type="button" id="incident-report">' +
      C.esc(C.t('ui.incidents.report')) + '</button></div>';
    if (STEERS.indexOf(C.user.role) >= 0) {
      var others = units.filter(function (u) { return alerted.indexOf(u.id) < 0; });
      html += '<div class="actions"><select id="alert-unit">' + others.map(function (u) {
        return '<option value="' + C.esc(u.id) + '">' + C.esc(u.name) + '</option>';
      }).join('') + '</select><button type="button" id="incident-alert-unit"' + (others.length ? '' : ' disabled') +
        '>' + C.esc(C.t('ui.incidents.alertUnit')) + '</button></div><div class="actions">' +
        '<button type="button" id="incident-police" class="danger">' + C.esc(C.t('ui.incidents.police')) +
        '</button><button type="button" id="incident-false-alarm">' + C.esc(C.t('ui.incidents.falseAlarm')) +
        '</button><button type="button" id="incident-close" class="primary">' + C.esc(C.t('ui.incidents.close')) +
        '</button></div>';
    }
    return html + '</div>';
  }

  function renderDetail(view, id, ctx) {
    view.innerHTML = '<p><a href="#incidents">← ' + C.esc(C.t('ui.back')) + '</a></p><div id="incident-detail">' +
      C.esc(C.t('ui.loading')) + '</div>';
    var units = [];
    var names = {};
    var members = [];
    var incident = null;
    var box = view.querySelector('#incident-detail');

    function loadMembers() {
      var alerted = (incident.units || []).map(function (u) { return u.unit; }).filter(function (u) {
        return !members.some(function (m) { return m.unit === u; });
      });
      return Promise.all(alerted.map(function (u) {
        return C.api('GET', 'api/units/' + encodeURIComponent(u)).then(function (unit) {
          (unit.members || []).forEach(function (m) {
            members.push({ id: m.id, name: m.name, unit: u, unitName: unit.name });
          });
        }, function () { /* a unit the caller may not see: no members to pick */ });
      }));
    }

    function draw() {
      var i = incident;
      box.innerHTML = '<div class="card" data-incident-id="' + C.esc(i.id) + '"><h2>' +
        C.esc(kindText(i.kind)) + ' · ' + C.esc(i.place || '') + ' ' + stateBadge(i.state) + '</h2><p>' +
        C.esc(C.t('ui.incidents.summary', i.id, i.village || '', i.callbox || '', C.time(i.raisedAt),
          C.time(i.recordedAt))) + '</p>' +
        (i.needsPolice ? '<p class="error">' + C.esc(C.t('ui.incidents.log.needs-police')) + '</p>' : '') +
        (i.needsAmbulance ? '<p class="error">' + C.esc(C.t('ui.incidents.log.needs-ambulance')) + '</p>' : '') +
        (i.escalated ? '<p>' + C.esc(C.t('ui.incidents.escalated')) + '</p>' : '') +
        (i.presses > 1 ? '<p class="error">' + C.esc(C.t('ui.incidents.presses', i.presses)) + '</p>' : '') +
        ((i.warnings || []).length ? '<p class="error">' +
          C.esc(C.t('ui.incidents.log.press-time-implausible')) + '</p>' : '') + '</div>' +
        '<div class="grid"><div class="card"><h3>' + C.esc(C.t('ui.incidents.units')) + '</h3>' +
        unitsTable(i, names) + '</div><div class="card"><h3>' + C.esc(C.t('ui.incidents.log')) + '</h3>' +
        timeline(i, names) + '</div></div>' + actions(i, units, members);
      bind();
    }

    function post(button, path, body, okKey) {
      C.act(button, C.api('POST', 'api/incidents/' + encodeURIComponent(id) + path, body), C.t(okKey))
        .then(function (updated) {
          if (updated) {
            incident = updated;
            loadMembers().then(draw);
          }
        }, function () { /* shown by act */ });
    }

    function bind() {
      var q = function (sel) { return box.querySelector(sel); };
      if (q('#incident-ack')) {
        q('#incident-ack').onclick = function () {
          post(this, '/acks', { memberId: q('#ack-member').value }, 'ui.incidents.acked.ok');
        };
        q('#incident-report').onclick = function () {
          post(this, '/reports', { status: q('#report-status').value, note: q('#report-note').value || null },
            'ui.incidents.reported.ok');
        };
      }
      if (q('#incident-alert-unit')) {
        q('#incident-alert-unit').onclick = function () {
          post(this, '/alerts', { unit: q('#alert-unit').value }, 'ui.incidents.alerted.ok');
        };
        q('#incident-police').onclick = function () {
          post(this, '/police', { note: q('#report-note').value || null }, 'ui.incidents.police.ok');
        };
        q('#incident-false-alarm').onclick = function () {
          if (window.confirm(C.t('ui.incidents.confirmFalseAlarm'))) {
            post(this, '/false-alarm', { note: q('#report-note').value || null }, 'ui.done');
          }
        };
        q('#incident-close').onclick = function () {
          if (window.confirm(C.t('ui.incidents.confirmClose'))) {
            post(this, '/close', { note: q('#report-note').value || null }, 'ui.done');
          }
        };
      }
    }

    Promise.all([C.api('GET', 'api/incidents/' + encodeURIComponent(id)), C.api('GET', 'api/units')])
      .then(function (results) {
        incident = results[0];
        units = results[1] || [];
        units.forEach(function (u) { names[u.id] = u.name; });
        return loadMembers();
      }).then(draw, function (e) {
        box.innerHTML = '<p class="error">' + C.esc(C.t('ui.failed', e.message)) + '</p>';
      });
    ctx.on('incident', function (i) {
      if (i.id === id) {
        incident = i;
        // keep what the user is typing: only redraw when no field has focus
        var focused = document.activeElement && box.contains(document.activeElement) &&
          /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName);
        if (!focused) {
          loadMembers().then(draw);
        }
      }
    });
  }

  C.section({
    id: 'incidents',
    order: 20,
    titleKey: 'ui.incidents.title',
    render: function (view, param, ctx) {
      if (param) {
        renderDetail(view, param, ctx);
      } else {
        renderList(view, ctx);
      }
    }
  });
})();
