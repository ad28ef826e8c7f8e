/*
 * Readiness (战备状态) per unit with its history, and the rectification board (整改): inspect → notify → rectify →
 * verify, the loop of the township plan's spot checks.
 */
(function () {
  'use strict';
  var C = window.Console;
  var STATES = ['box-offline', 'understaffed', 'kit-missing', 'ready'];
  var STATE_COLOUR = { 'ready': '#2e7d32', 'kit-missing': '#ef6c00', 'understaffed': '#ef6c00',
    'box-offline': '#757575' };
  var BOARD = ['open', 'notified', 'overdue', 'rectified', 'closed'];

  function badge(state) {
    return '<span class="badge ' + C.esc(state) + '" data-state="' + C.esc(state) + '">' +
      C.esc(C.t('ui.readiness.state.' + state)) + '</span>';
  }

  function unitCard(unit, r) {
    if (!r) {
      return '<div class="card" data-unit="' + C.esc(unit.id) + '"><h3>' + C.esc(unit.name) + '</h3><p>' +
        C.esc(C.t('ui.readiness.unknown')) + '</p></div>';
    }
    return '<div class="card" data-unit="' + C.esc(unit.id) + '"><h3>' + C.esc(unit.name) + ' ' + badge(r.state) +
      '</h3><p>' + C.esc(C.t('ui.readiness.onDuty', r.onDuty, r.leader || C.t('ui.none'))) + '</p>' +
      '<table class="items"><thead><tr><th>' + C.esc(C.t('ui.readiness.item')) + '</th><th>' +
      C.esc(C.t('ui.readiness.required')) + '</th><th>' + C.esc(C.t('ui.readiness.present')) + '</th></tr></thead>' +
      '<tbody>' + (r.items || []).map(function (i) {
        var short = i.present < i.required;
        return '<tr data-kind="' + C.esc(i.kind) + '"' + (short ? ' class="short"' : '') + '><td>' +
          C.esc(C.t('ui.item.' + i.kind)) + '</td><td>' + i.required + '</td><td>' +
          (short ? '<strong class="error">' + i.present + '</strong>' : i.present) + '</td></tr>';
      }).join('') + '</tbody></table>' +
      '<p><button type="button" data-history="' + C.esc(unit.id) + '">' + C.esc(C.t('ui.readiness.history')) +
      '</button></p><div class="history" id="history-' + C.esc(unit.id) + '"></div></div>';
  }

  /** A band per state over the last 7 days and the on-duty count as a line; SVG, no chart library. */
  function historyChart(entries, from, to) {
    var width = 600;
    var height = 120;
    var span = to - from;
    var x = function (t) { return Math.max(0, Math.min(width, (t - from) / span * width)); };
    var maxDuty = Math.max(6, Math.max.apply(null, entries.map(function (e) { return e.onDuty; }).concat([0])));
    var bands = '';
    var line = '';
    entries.forEach(function (e, i) {
      var start = new Date(e.at).getTime();
      var end = i + 1 < entries.length ? new Date(entries[i + 1].at).getTime() : to;
      bands += '<rect x="' + x(start).toFixed(1) + '" y="70" width="' + Math.max(1, x(end) - x(start)).toFixed(1) +
        '" height="30" fill="' + (STATE_COLOUR[e.state] || '#999') + '"><title>' + C.esc(C.time(e.at) + ' ' +
        C.t('ui.readiness.state.' + e.state)) + '</title></rect>';
      var y = (60 - e.onDuty / maxDuty * 55).toFixed(1);
      line += (i === 0 ? 'M' : 'H' + x(start).toFixed(1) + ' V') + (i === 0 ? x(start).toFixed(1) + ' ' + y : y) +
        ' ';
      if (i + 1 === entries.length) {
        line += 'H' + x(end).toFixed(1);
      }
    });
    return '<svg class="readiness-chart" viewBox="0 0 ' + width + ' ' + height + '" width="100%" role="img" ' +
      'aria-label="' + C.esc(C.t('ui.readiness.history')) + '"><rect x="0" y="0" width="' + width +
      '" height="' + height + '" fill="#fafbfc"/>' + bands + (line ? '<path d="' + line +
      '" fill="none" stroke="#1565c0" stroke-width="2"/>' : '') + '<text x="4" y="114" font-size="11">' +
      C.esc(C.time(new Date(from).toISOString(), true)) + '</text><text x="' + (width - 4) +
      '" y="114" font-size="11" text-anchor="end">' + C.esc(C.time(new Date(to).toISOString(), true)) +
      '</text><text x="4" y="12" font-size="11" fill="#1565c0">' + C.esc(C.t('ui.readiness.onDutyLine')) +
      '</text></svg>' + (entries.length ? '' : '<p>' + C.esc(C.t('ui.none')) + '</p>');
  }

  function showHistory(view, unitId) {
    var box = view.querySelector('#history-' + CSS.escape(unitId));
    var to = Date.now();
    var from = to - 7 * 24 * 3600 * 1000;
    box.innerHTML = C.esc(C.t('ui.loading'));
    C.api('GET', 'api/units/' + encodeURIComponent(unitId) + '/readiness-history?from=' +
      encodeURIComponent(new Date(from).toISOString()) + '&to=' + encodeURIComponent(new Date(to).toISOString()))
      .then(function (entries) {
        box.innerHTML = historyChart(entries || [], from, to);
      }, function (e) {
        box.innerHTML = '<p class="error">' + C.esc(C.t('ui.failed', e.message)) + '</p>';
      });
  }

  /** A task's subject is an item kind, a box endpoint or a day: item kinds are named, the rest shown as is. */
  function subjectText(subject) {
    var key = 'ui.item.' + subject;
    var text = C.t(key);
    return text === key ? subject : text;
  }

  function taskCard(task, names) {
    var role = C.user.role;
    var mayRectify = role === 'admin' || (role === 'unit-leader' && C.user.unit === task.unit);
    var mayVerify = role === 'admin' || role === 'dispatcher';
    var actions = '';
    if (mayRectify && ['open', 'notified', 'overdue'].indexOf(task.state) >= 0) {
      actions += '<input data-note="' + C.esc(task.id) + '" placeholder="' + C.esc(C.t('ui.rectification.note')) +
        '"><button type="button" data-rectify="' + C.esc(task.id) + '">' + C.esc(C.t('ui.rectification.rectify')) +
        '</button>';
    }
    if (mayVerify && task.state === 'rectified') {
      actions += '<button type="button" class="primary" data-verify="' + C.esc(task.id) + '">' +
        C.esc(C.t('ui.rectification.verify')) + '</button><button type="button" data-reopen="' +
        C.esc(task.id) + '">' + C.esc(C.t('ui.rectification.reopen')) + '</button>';
    }
    return '<div class="card task" data-task="' + C.esc(task.id) + '" data-state="' + C.esc(task.state) + '"><strong>' +
      C.esc(names[task.unit] || task.unit) + '</strong> · ' + C.esc(C.t('ui.rectification.reason.' + task.reason)) +
      (task.subject ? ' · ' + C.esc(subjectText(task.subject)) : '') + '<br><small>' + C.esc(task.detail || '') + '</small><br><small>' +
      C.esc(C.t('ui.rectification.due', C.time(task.dueAt))) + '</small>' +
      (actions ? '<div class="actions">' + actions + '</div>' : '') + '</div>';
  }

  C.section({
    id: 'readiness',
    order: 60,
    titleKey: 'ui.readiness.title',
    render: function (view, param, ctx) {
      view.innerHTML = '<h2>' + C.esc(C.t('ui.readiness.title')) + '</h2><div class="grid" id="readiness-units">' +
        C.esc(C.t('ui.loading')) + '</div><h2>' + C.esc(C.t('ui.rectification.title')) + '</h2>' +
        '<div class="grid" id="rectification-board"></div>';
      var names = {};
      var units = [];

      function loadUnits() {
        return C.api('GET', 'api/units').then(function (list) {
          units = list || [];
          units.forEach(function (u) { names[u.id] = u.name; });
          return Promise.all(units.map(function (u) {
            return C.api('GET', 'api/units/' + encodeURIComponent(u.id)).then(function (d) { return d.readiness; },
              function () { return null; });
          }));
        }).then(function (readiness) {
          view.querySelector('#readiness-units').innerHTML = units.map(function (u, i) {
            return unitCard(u, readiness[i]);
          }).join('');
        });
      }

      function loadBoard() {
        return C.api('GET', 'api/rectifications').then(function (tasks) {
          view.querySelector('#rectification-board').innerHTML = BOARD.map(function (state) {
            var inState = (tasks || []).filter(function (t) { return t.state === state; });
            return '<div class="column" data-column="' + state + '"><h3>' +
              C.esc(C.t('ui.rectification.state.' + state)) + ' (' + inState.length + ')</h3>' +
              inState.map(function (t) { return taskCard(t, names); }).join('') + '</div>';
          }).join('');
        });
      }

      view.onclick = function (event) {
        var b = event.target.closest('button');
        if (!b) {
          return;
        }
        var id;
        if ((id = b.getAttribute('data-history'))) {
          showHistory(view, id);
        } else if ((id = b.getAttribute('data-rectify'))) {
          var note = view.querySelector('input[data-note="' + CSS.escape(id) + '"]');
          C.act(b, C.api('POST', 'api/rectifications/' + encodeURIComponent(id) + '/rectify',
            { note: note && note.value ? note.value : null })).then(loadBoard, function () {});
        } else if ((id = b.getAttribute('data-verify'))) {
          C.act(b, C.api('POST', 'api/rectifications/' + encodeURIComponent(id) + '/verify', {}))
            .then(loadBoard, function () {});
        } else if ((id = b.getAttribute('data-reopen'))) {
          C.act(b, C.api('POST', 'api/rectifications/' + encodeURIComponent(id) + '/reopen', {}))
            .then(loadBoard, function () {});
        }
      };
      loadUnits().then(loadBoard).catch(function (e) { C.notify(C.t('ui.failed', e.message), 'error'); });
      ctx.on('readiness', function () {
        loadUnits().then(loadBoard).catch(function () {});
      });
    }
  });
  // the states in the order the readiness engine ranks them, for anyone extending the page
  C.readinessStates = STATES;
})();
