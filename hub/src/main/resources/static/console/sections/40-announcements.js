/*
 * 广播通知 (announcements): say a text or play a clip on the loudspeakers of chosen boxes, villages and units now
 * (the per-box results come back within 10 s), keep schedules (market days, days of the week) and see the recent
 * broadcasts (live). For admin and dispatcher; the server refuses everyone else too.
 */
(function () {
  'use strict';
  var C = window.Console;
  var MAX_TEXT = 200;
  var DAYS_OF_WEEK = [1, 2, 3, 4, 5, 6, 7];

  function range(from, to) {
    var list = [];
    for (var i = from; i <= to; i++) {
      list.push(i);
    }
    return list;
  }

  function checked(root, attribute) {
    return Array.prototype.slice.call(root.querySelectorAll('input[' + attribute + ']:checked'))
      .map(function (input) { return input.getAttribute(attribute); });
  }

  function setChecked(root, attribute, values) {
    root.querySelectorAll('input[' + attribute + ']').forEach(function (input) {
      input.checked = values.map(String).indexOf(input.getAttribute(attribute)) >= 0;
    });
  }

  function checkbox(attribute, value, label) {
    // a whole row to tap on a tablet: the global 40 px input height would push the text below the box
    return '<label class="pick" style="display:inline-flex;align-items:center;gap:8px;min-height:40px;' +
      'margin-right:12px"><input type="checkbox" style="min-height:0;width:22px;height:22px;margin:0" ' + attribute +
      '="' + C.esc(value) + '">' + C.esc(label) + '</label>';
  }

  function said(a) {
    return a.clip ? C.t('ui.announcements.clipSaid', C.t('ui.announcements.clip.' + a.clip)) : (a.text || '');
  }

  /** The target pickers: boxes, villages (from the units) and units, as checkboxes. */
  function targetPickers(boxes, units) {
    var villages = {};
    units.forEach(function (u) {
      if (u.villageId) {
        villages[u.villageId] = u.village || u.villageId;
      }
    });
    return '<div class="grid">' +
      '<fieldset class="targets-boxes"><legend>' + C.esc(C.t('ui.announcements.boxes')) + '</legend>' +
      (boxes.length ? boxes.map(function (b) {
        return checkbox('data-endpoint', b.endpoint, (b.place || b.endpoint) + (b.online ? '' : ' · ' +
          C.t('ui.announcements.offline')));
      }).join('<br>') : C.esc(C.t('ui.none'))) + '</fieldset>' +
      '<fieldset class="targets-villages"><legend>' + C.esc(C.t('ui.announcements.villages')) + '</legend>' +
      Object.keys(villages).sort().map(function (id) {
        return checkbox('data-village', id, villages[id]);
      }).join('<br>') + '</fieldset>' +
      '<fieldset class="targets-units"><legend>' + C.esc(C.t('ui.announcements.units')) + '</legend>' +
      units.map(function (u) {
        return checkbox('data-unit', u.id, u.name || u.id);
      }).join('<br>') + '</fieldset></div>';
  }

  function clipOptions(clips, selected) {
    return '<option value="">' + C.esc(C.t('ui.announcements.ownText')) + '</option>' + clips.map(function (c) {
      return '<option value="' + C.esc(c) + '"' + (c === selected ? ' selected' : '') + '>' +
        C.esc(C.t('ui.announcements.clip.' + c)) + '</option>';
    }).join('');
  }

  function repeatOptions(selected) {
    return range(1, 10).map(function (n) {
      return '<option value="' + n + '"' + (n === selected ? ' selected' : '') + '>' +
        C.esc(C.t('ui.announcements.times', n)) + '</option>';
    }).join('');
  }

  /** announced / offline / timeout in words; a box's refusal as it came. */
  function detailText(detail) {
    var key = 'ui.announcements.detail.' + detail;
    var text = C.t(key);
    return text === key ? (detail || '') : text;
  }

  function resultsTable(a, names) {
    var ok = a.results.filter(function (r) { return r.ok; }).length;
    return '<p data-announcement-id="' + C.esc(a.id) + '">' + C.esc(C.t('ui.announcements.summary', ok,
      a.results.length)) + '</p><table id="announcement-results"><thead><tr><th>' +
      C.esc(C.t('ui.announcements.box')) + '</th><th>' + C.esc(C.t('ui.announcements.result')) + '</th><th>' +
      C.esc(C.t('ui.announcements.detail')) + '</th></tr></thead><tbody>' + a.results.map(function (r) {
        return '<tr data-endpoint="' + C.esc(r.endpoint) + '" data-ok="' + (r.ok ? 'true' : 'false') + '"><td>' +
          C.esc(names[r.endpoint] || r.endpoint) + ' <small>' + C.esc(r.endpoint) + '</small></td><td>' +
          '<span class="badge ' + (r.ok ? 'ok' : 'alarm') + '">' +
          C.esc(C.t(r.ok ? 'ui.announcements.ok' : 'ui.announcements.failed')) + '</span></td><td>' +
          C.esc(detailText(r.detail)) + '</td></tr>';
      }).join('') + '</tbody></table>';
  }

  function days(s) {
    var parts = [];
    if (s.daysOfWeek.length) {
      parts.push(C.t('ui.announcements.weekly', s.daysOfWeek.map(function (d) {
        return C.t('ui.announcements.dow.' + d);
      }).join(C.t('ui.announcements.separator'))));
    }
    if (s.daysOfMonth.length) {
      parts.push(C.t('ui.announcements.monthly', s.daysOfMonth.join(C.t('ui.announcements.separator'))));
    }
    return parts.join(' · ');
  }

  function targetsText(s, names) {
    return [].concat(s.callboxes.map(function (e) { return names.boxes[e] || e; }),
      s.villages.map(function (v) { return names.villages[v] || v; }),
      s.units.map(function (u) { return names.units[u] || u; })).join(C.t('ui.announcements.separator'));
  }

  C.section({
    id: 'announcements',
    order: 40,
    titleKey: 'ui.announcements.title',
    roles: ['admin', 'dispatcher'],
    render: function (view, param, ctx) {
      var clips = [];
      var boxes = [];
      var units = [];
      var names = { boxes: {}, villages: {}, units: {} };
      var schedules = [];
      var history = [];
      var editing = null;   // the schedule being edited, or {} for a new one

      view.innerHTML =
        '<h2>' + C.esc(C.t('ui.announcements.title')) + '</h2>' +
        '<div class="card" id="announcement-form"><h3>' + C.esc(C.t('ui.announcements.now')) + '</h3>' +
        '<p><textarea id="announcement-text" rows="3" maxlength="' + MAX_TEXT + '" style="width:100%" ' +
        'placeholder="' + C.esc(C.t('ui.announcements.textHint', MAX_TEXT)) + '"></textarea>' +
        '<br><small id="announcement-count">0/' + MAX_TEXT + '</small></p>' +
        '<div class="actions"><label>' + C.esc(C.t('ui.announcements.clipLabel')) +
        ' <select id="announcement-clip"></select></label><label>' + C.esc(C.t('ui.announcements.repeat')) +
        ' <select id="announcement-repeat">' + repeatOptions(1) + '</select></label></div>' +
        '<div class="announcement-targets">' + C.esc(C.t('ui.loading')) + '</div>' +
        '<div class="actions"><button type="button" class="primary" id="announcement-send">' +
        C.esc(C.t('ui.announcements.send')) + '</button></div>' +
        '<div id="announcement-outcome"></div></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.announcements.schedules')) + '</h3>' +
        '<div class="actions"><button type="button" id="schedule-new">' +
        C.esc(C.t('ui.announcements.schedule.new')) + '</button></div>' +
        '<div id="schedule-editor" hidden></div>' +
        '<div style="overflow-x:auto"><table id="announcement-schedules"><thead><tr><th>' +
        C.esc(C.t('ui.announcements.schedule.name')) + '</th><th>' + C.esc(C.t('ui.announcements.what')) +
        '</th><th>' + C.esc(C.t('ui.announcements.targets')) + '</th><th>' +
        C.esc(C.t('ui.announcements.schedule.when')) + '</th><th>' + C.esc(C.t('ui.announcements.schedule.state')) +
        '</th><th>' + C.esc(C.t('ui.announcements.schedule.lastRun')) + '</th><th>' +
        C.esc(C.t('ui.announcements.schedule.nextRun')) + '</th><th></th></tr></thead><tbody></tbody></table></div>' +
        '</div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.announcements.history')) + '</h3>' +
        '<div style="overflow-x:auto"><table id="announcement-history"><thead><tr><th>' +
        C.esc(C.t('ui.announcements.at')) + '</th><th>' + C.esc(C.t('ui.announcements.requestedBy')) + '</th><th>' +
        C.esc(C.t('ui.announcements.what')) + '</th><th>' + C.esc(C.t('ui.announcements.reached')) +
        '</th></tr></thead><tbody></tbody></table></div></div>';

      var form = view.querySelector('#announcement-form');
      var text = view.querySelector('#announcement-text');
      var clip = view.querySelector('#announcement-clip');
      var editor = view.querySelector('#schedule-editor');

      function failed(e) {
        C.notify(C.t('ui.failed', e.message), 'error');
      }

      text.addEventListener('input', function () {
        view.querySelector('#announcement-count').textContent = text.value.length + '/' + MAX_TEXT;
      });
      clip.addEventListener('change', function () {
        text.disabled = !!clip.value;
      });

      // ------------------------------------------------------------------------------------------ send now

      view.querySelector('#announcement-send').addEventListener('click', function () {
        var button = this;
        var body = {
          callboxes: checked(form, 'data-endpoint'),
          villages: checked(form, 'data-village'),
          units: checked(form, 'data-unit'),
          repeat: Number(view.querySelector('#announcement-repeat').value)
        };
        if (clip.value) {
          body.clip = clip.value;
        } else {
          body.text = text.value.trim();
          if (!body.text) {
            C.notify(C.t('ui.announcements.needText'), 'error');
            return;
          }
        }
        if (!body.callboxes.length && !body.villages.length && !body.units.length) {
          C.notify(C.t('ui.announcements.needTarget'), 'error');
          return;
        }
        button.disabled = true;
        button.textContent = C.t('ui.announcements.sending');
        C.api('POST', 'api/announcements', body).then(function (a) {
          var ok = a.results.filter(function (r) { return r.ok; }).length;
          C.notify(C.t('ui.announcements.summary', ok, a.results.length), ok === a.results.length ? 'ok' : 'error');
          view.querySelector('#announcement-outcome').innerHTML = resultsTable(a, names.boxes);
          addToHistory(a);
        }, failed).finally(function () {
          button.disabled = false;
          button.textContent = C.t('ui.announcements.send');
        });
      });

      // ------------------------------------------------------------------------------------------ history

      function addToHistory(a) {
        history = [a].concat(history.filter(function (h) { return h.id !== a.id; })).slice(0, 100);
        renderHistory();
      }

      function renderHistory() {
        view.querySelector('#announcement-history tbody').innerHTML = history.length ? history.map(function (a) {
          var ok = a.results.filter(function (r) { return r.ok; }).length;
          var failedBoxes = a.results.filter(function (r) { return !r.ok; }).map(function (r) {
            return names.boxes[r.endpoint] || r.endpoint;
          });
          return '<tr data-announcement-id="' + C.esc(a.id) + '"><td>' + C.esc(C.time(a.at)) + '</td><td>' +
            C.esc(a.requestedBy.indexOf('schedule:') === 0 ? C.t('ui.announcements.bySchedule',
              a.requestedBy.substring(9)) : a.requestedBy) + '</td><td>' + C.esc(said(a)) +
            (a.repeat > 1 ? ' <small>' + C.esc(C.t('ui.announcements.times', a.repeat)) + '</small>' : '') +
            '</td><td><span class="badge ' + (ok === a.results.length ? 'ok' : 'warn') + '">' + ok + '/' +
            a.results.length + '</span>' + (failedBoxes.length ? '<br><small>' +
            C.esc(C.t('ui.announcements.failedBoxes', failedBoxes.join(C.t('ui.announcements.separator')))) +
            '</small>' : '') + '</td></tr>';
        }).join('') : '<tr class="none"><td colspan="4">' + C.esc(C.t('ui.none')) + '</td></tr>';
      }

      // ------------------------------------------------------------------------------------------ schedules

      function renderSchedules() {
        view.querySelector('#announcement-schedules tbody').innerHTML = schedules.length
          ? schedules.map(function (s) {
            return '<tr data-schedule-id="' + C.esc(s.id) + '" data-enabled="' + s.enabled + '"><td>' +
              C.esc(s.name) + '</td><td>' + C.esc(said(s)) + '</td><td>' + C.esc(targetsText(s, names)) +
              '</td><td>' + C.esc(days(s)) + ' ' + C.esc(s.time) + '</td><td><span style="white-space:nowrap" class="badge ' +
              (s.enabled ? 'ok' : '') + '">' + C.esc(C.t(s.enabled ? 'ui.announcements.schedule.on'
                : 'ui.announcements.schedule.off')) + '</span></td><td>' + C.esc(C.time(s.lastRunAt)) + '</td><td>' +
              C.esc(C.time(s.nextRunAt)) + '</td><td><div class="actions">' +
              '<button type="button" data-action="edit">' + C.esc(C.t('ui.announcements.schedule.edit')) +
              '</button><button type="button" data-action="toggle">' + C.esc(C.t(s.enabled
                ? 'ui.announcements.schedule.disable' : 'ui.announcements.schedule.enable')) + '</button>' +
              '<button type="button" class="danger" data-action="delete">' +
              C.esc(C.t('ui.announcements.schedule.delete')) + '</button></div></td></tr>';
          }).join('') : '<tr class="none"><td colspan="8">' + C.esc(C.t('ui.none')) + '</td></tr>';
      }

      function loadSchedules() {
        return C.api('GET', 'api/announcement-schedules').then(function (list) {
          schedules = list || [];
          renderSchedules();
        }, failed);
      }

      function bodyOf(s) {
        var body = {
          name: s.name, callboxes: s.callboxes, villages: s.villages, units: s.units, repeat: s.repeat,
          daysOfWeek: s.daysOfWeek, daysOfMonth: s.daysOfMonth, time: s.time, enabled: s.enabled
        };
        if (s.clip) {
          body.clip = s.clip;
        } else {
          body.text = s.text;
        }
        return body;
      }

      view.querySelector('#announcement-schedules').addEventListener('click', function (e) {
        var button = e.target.closest('button[data-action]');
        if (!button) {
          return;
        }
        var id = button.closest('tr').getAttribute('data-schedule-id');
        var s = schedules.filter(function (x) { return x.id === id; })[0];
        if (!s) {
          return;
        }
        var action = button.getAttribute('data-action');
        if (action === 'edit') {
          openEditor(s);
        } else if (action === 'toggle') {
          var body = bodyOf(s);
          body.enabled = !s.enabled;
          C.act(button, C.api('PUT', 'api/announcement-schedules/' + encodeURIComponent(id), body))
            .then(loadSchedules, function () { /* shown */ });
        } else if (action === 'delete' &&
            window.confirm(C.t('ui.announcements.schedule.confirmDelete', s.name))) {
          C.act(button, C.api('DELETE', 'api/announcement-schedules/' + encodeURIComponent(id)))
            .then(loadSchedules, function () { /* shown */ });
        }
      });

      view.querySelector('#schedule-new').addEventListener('click', function () {
        openEditor({});
      });

      function openEditor(s) {
        editing = s;
        editor.hidden = false;
        editor.innerHTML = '<div class="card" id="schedule-form" data-schedule-id="' + C.esc(s.id || '') + '">' +
          '<h3>' + C.esc(C.t(s.id ? 'ui.announcements.schedule.editTitle' : 'ui.announcements.schedule.new')) +
          '</h3><div class="actions"><label>' + C.esc(C.t('ui.announcements.schedule.name')) +
          ' <input id="schedule-name" maxlength="100" value="' + C.esc(s.name || '') + '"></label>' +
          '<label>' + C.esc(C.t('ui.announcements.schedule.time')) + ' <input id="schedule-time" type="time" ' +
          'value="' + C.esc(s.time || '09:00') + '"></label><label style="display:inline-flex;align-items:center;' +
          'gap:8px"><input type="checkbox" id="schedule-enabled" style="min-height:0;width:22px;height:22px"' +
          (s.enabled === false ? '' : ' checked') + '>' + C.esc(C.t('ui.announcements.schedule.on')) +
          '</label></div><p><textarea id="schedule-text" rows="2" maxlength="' + MAX_TEXT +
          '" style="width:100%" placeholder="' + C.esc(C.t('ui.announcements.textHint', MAX_TEXT)) + '">' +
          C.esc(s.text || '') + '</textarea></p><div class="actions"><label>' +
          C.esc(C.t('ui.announcements.clipLabel')) + ' <select id="schedule-clip">' + clipOptions(clips, s.clip) +
          '</select></label><label>' + C.esc(C.t('ui.announcements.repeat')) + ' <select id="schedule-repeat">' +
          repeatOptions(s.repeat || 1) + '</select></label></div>' +
          '<fieldset><legend>' + C.esc(C.t('ui.announcements.schedule.daysOfWeek')) + '</legend>' +
          DAYS_OF_WEEK.map(function (d) {
            return checkbox('data-dow', d, C.t('ui.announcements.dow.' + d));
          }).join(' ') + '</fieldset><fieldset><legend>' +
          C.esc(C.t('ui.announcements.schedule.daysOfMonth')) + '</legend>' +
          range(1, 31).map(function (d) { return checkbox('data-dom', d, String(d)); }).join(' ') +
          '<div class="actions"><button type="button" id="schedule-market-days">' +
          C.esc(C.t('ui.announcements.schedule.marketDays')) + '</button></div></fieldset>' +
          '<h4>' + C.esc(C.t('ui.announcements.targets')) + '</h4>' + targetPickers(boxes, units) +
          '<div class="actions"><button type="button" class="primary" id="schedule-save">' + C.esc(C.t('ui.save')) +
          '</button><button type="button" id="schedule-cancel">' + C.esc(C.t('ui.cancel')) + '</button></div></div>';
        var root = editor.querySelector('#schedule-form');
        setChecked(root, 'data-dow', s.daysOfWeek || []);
        setChecked(root, 'data-dom', s.daysOfMonth || []);
        setChecked(root, 'data-endpoint', s.callboxes || []);
        setChecked(root, 'data-village', s.villages || []);
        setChecked(root, 'data-unit', s.units || []);
        var scheduleText = root.querySelector('#schedule-text');
        var scheduleClip = root.querySelector('#schedule-clip');
        scheduleText.disabled = !!scheduleClip.value;
        scheduleClip.addEventListener('change', function () {
          scheduleText.disabled = !!scheduleClip.value;
        });
        root.querySelector('#schedule-market-days').addEventListener('click', function () {
          // 逢三、六、九赶场
          setChecked(root, 'data-dom', [3, 6, 9, 13, 16, 19, 23, 26, 29]);
        });
        root.querySelector('#schedule-cancel').addEventListener('click', closeEditor);
        root.querySelector('#schedule-save').addEventListener('click', function () {
          var body = {
            name: root.querySelector('#schedule-name').value.trim(),
            callboxes: checked(root, 'data-endpoint'),
            villages: checked(root, 'data-village'),
            units: checked(root, 'data-unit'),
            repeat: Number(root.querySelector('#schedule-repeat').value),
            daysOfWeek: checked(root, 'data-dow').map(Number),
            daysOfMonth: checked(root, 'data-dom').map(Number),
            time: root.querySelector('#schedule-time').value,
            enabled: root.querySelector('#schedule-enabled').checked
          };
          if (scheduleClip.value) {
            body.clip = scheduleClip.value;
          } else {
            body.text = scheduleText.value.trim();
          }
          var call = editing && editing.id
            ? C.api('PUT', 'api/announcement-schedules/' + encodeURIComponent(editing.id), body)
            : C.api('POST', 'api/announcement-schedules', body);
          C.act(this, call).then(function () {
            closeEditor();
            return loadSchedules();
          }, function () { /* shown; the form stays open to be corrected */ });
        });
      }

      function closeEditor() {
        editing = null;
        editor.hidden = true;
        editor.innerHTML = '';
      }

      // ------------------------------------------------------------------------------------------ loading

      Promise.all([
        C.api('GET', 'api/announcements/clips').then(function (list) { clips = list || []; }, failed),
        C.api('GET', 'api/callboxes').then(function (list) { boxes = list || []; }, failed),
        C.api('GET', 'api/units').then(function (list) { units = list || []; }, failed)
      ]).then(function () {
        boxes.forEach(function (b) { names.boxes[b.endpoint] = b.place || b.endpoint; });
        units.forEach(function (u) {
          names.units[u.id] = u.name || u.id;
          if (u.villageId) {
            names.villages[u.villageId] = u.village || u.villageId;
          }
        });
        clip.innerHTML = clipOptions(clips, '');
        form.querySelector('.announcement-targets').innerHTML = targetPickers(boxes, units);
        return loadSchedules();
      });
      C.api('GET', 'api/announcements').then(function (list) {
        history = list || [];
        renderHistory();
      }, failed);

      ctx.on('announcement', addToHistory);
      ctx.on('announcement-schedule', function () {
        if (!editing) {
          loadSchedules();
        }
      });
    }
  });
})();
