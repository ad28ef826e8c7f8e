/*
 * 单元与队员: units with their readiness, members, today's duty and the duty calendar of the next 14 days; training
 * records (every quarter, online and offline, township plan §7.1) and commendations (§7.4); for admins, creating and
 * editing units and the console's accounts. A unit leader sees and edits their own unit only.
 */
(function () {
  'use strict';
  var C = window.Console;
  var DAYS_SHOWN = 14;
  var ROLES = ['dispatcher', 'police', 'unit-leader', 'admin'];
  var MEMBER_ROLES = ['综治专干', '警务助理', '驻村辅警', '民兵', '村医', '治安积极分子'];

  function t() {
    return C.esc(C.t.apply(null, arguments));
  }

  function isAdmin() {
    return C.user.role === 'admin';
  }

  function mayEdit(unitId) {
    return isAdmin() || (C.user.role === 'unit-leader' && C.user.unit === unitId);
  }

  /** Today in the township (Asia/Shanghai) as yyyy-MM-dd, and days after it. */
  function today() {
    var parts = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
      day: '2-digit' }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + '-' + parts.month + '-' + parts.day;
  }

  function plusDays(isoDate, days) {
    var d = new Date(isoDate + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().substring(0, 10);
  }

  function weekday(isoDate) {
    return C.t('ui.units.weekday.' + new Date(isoDate + 'T00:00:00Z').getUTCDay());
  }

  function stateBadge(readiness) {
    var state = readiness ? readiness.state : 'unknown';
    return '<span class="badge ' + C.esc(state) + '" data-readiness="' + C.esc(state) + '">' +
      t('ui.units.state.' + state) + '</span>';
  }

  function problemText(error) {
    var p = error && error.problem;
    if (p && p.rule) {
      var key = 'ui.units.rule.' + p.rule;
      var text = p.ruleText || C.t(key);
      return text === key ? p.detail : text;
    }
    return error && error.message;
  }

  /** Runs a change from a form's button; on success shows okText and reloads the page at hash. */
  function change(button, promise, okText, hash) {
    if (button) {
      button.disabled = true;
    }
    return promise.then(function (result) {
      C.notify(okText || C.t('ui.done'), 'ok');
      C.go(hash);
      return result;
    }, function (error) {
      C.notify(C.t('ui.failed', problemText(error)), 'error');
    }).finally(function () {
      if (button) {
        button.disabled = false;
      }
    });
  }

  function field(form, name) {
    var el = form.elements[name];
    return el ? el.value.trim() : '';
  }

  function options(values, labelOf, selected) {
    return values.map(function (v) {
      return '<option value="' + C.esc(v) + '"' + (v === selected ? ' selected' : '') + '>' +
        C.esc(labelOf ? labelOf(v) : v) + '</option>';
    }).join('');
  }

  function failed(el, error) {
    el.innerHTML = '<p class="error">' + (error && error.status === 403 ? t('ui.units.forbidden')
      : t('ui.failed', problemText(error))) + '</p>';
  }

  // ------------------------------------------------------------------------------------------------ the list

  function renderList(view) {
    view.innerHTML = '<h2>' + t('ui.units.title') + '</h2>' +
      '<div class="card"><table id="units-table"><thead><tr><th>' + t('ui.units.name') + '</th><th>' +
      t('ui.units.village') + '</th><th>' + t('ui.units.callboxes') + '</th><th>' + t('ui.units.readiness') +
      '</th></tr></thead><tbody><tr><td colspan="4">' + t('ui.loading') + '</td></tr></tbody></table></div>' +
      '<div class="card"><h3>' + t('ui.units.coverage.title') + '</h3><div id="units-coverage">' +
      t('ui.loading') + '</div></div>' +
      (isAdmin() ? '<div class="card" id="unit-create"></div><div class="card" id="users"></div>' : '');

    C.api('GET', 'api/units').then(function (units) {
      units = units || [];
      var body = view.querySelector('#units-table tbody');
      body.innerHTML = units.length ? units.map(function (u) {
        return '<tr data-unit-id="' + C.esc(u.id) + '"><td><a href="#units/' + C.esc(u.id) + '">' +
          C.esc(u.name) + '</a></td><td>' + C.esc(u.village) + '</td><td>' + (u.callboxes || []).length +
          '</td><td class="readiness">' + t('ui.loading') + '</td></tr>';
      }).join('') : '<tr><td colspan="4">' + t('ui.none') + '</td></tr>';
      units.forEach(function (u) {
        C.api('GET', 'api/units/' + encodeURIComponent(u.id)).then(function (unit) {
          var cell = body.querySelector('tr[data-unit-id="' + u.id.replace(/"/g, '') + '"] .readiness');
          if (cell) {
            cell.innerHTML = stateBadge(unit.readiness);
          }
        }, function () { /* the badge stays "loading"; the detail page shows the problem */ });
      });
      if (isAdmin()) {
        renderUnitCreate(view.querySelector('#unit-create'), units);
        renderUsers(view.querySelector('#users'), units);
      }
      view.setAttribute('data-loaded', 'true');
    }, function (error) {
      failed(view.querySelector('#units-table tbody'), error);
    });

    C.api('GET', 'api/trainings/coverage').then(function (coverage) {
      renderCoverage(view.querySelector('#units-coverage'), coverage);
    }, function (error) {
      failed(view.querySelector('#units-coverage'), error);
    });
  }

  function renderCoverage(el, coverage) {
    var mark = function (done) {
      return done ? '✓' : '—';
    };
    el.innerHTML = '<p>' + t('ui.units.coverage.year', coverage.year) + '</p>' +
      '<table id="coverage-table"><thead><tr><th>' + t('ui.units.name') + '</th>' +
      [1, 2, 3, 4].map(function (q) { return '<th>' + t('ui.units.coverage.quarter', q) + '</th>'; }).join('') +
      '<th>' + t('ui.units.coverage.gaps') + '</th></tr></thead><tbody>' +
      (coverage.units || []).map(function (u) {
        return '<tr data-unit-id="' + C.esc(u.unit) + '"><td>' + C.esc(u.name) + '</td>' +
          u.quarters.map(function (q) {
            var cls = { done: 'ok', gap: 'alarm', due: 'warn', future: '' }[q.state] || '';
            return '<td data-quarter="' + q.quarter + '" data-state="' + C.esc(q.state) + '"><span class="badge ' +
              cls + '">' + t('ui.units.coverage.state.' + q.state) + '</span><br><small>' +
              t('ui.units.training.kind.online') + ' ' + mark(q.online) + ' · ' +
              t('ui.units.training.kind.offline') + ' ' + mark(q.offline) + '</small></td>';
          }).join('') + '<td class="gaps">' + (u.gaps.length ? u.gaps.map(function (g) {
            return t('ui.units.coverage.gap', g.quarter, C.t('ui.units.training.kind.' + g.kind));
          }).join('<br>') : t('ui.none')) + '</td></tr>';
      }).join('') + '</tbody></table>';
  }

  function renderUnitCreate(el, units) {
    var villages = {};
    units.forEach(function (u) { villages[u.villageId] = u.village; });
    el.innerHTML = '<h3>' + t('ui.units.create.title') + '</h3>' +
      '<form id="unit-create-form" class="actions">' +
      '<input name="unitId" required placeholder="' + t('ui.units.create.id') + '" aria-label="' +
      t('ui.units.create.id') + '">' +
      '<input name="name" required placeholder="' + t('ui.units.name') + '" aria-label="' + t('ui.units.name') + '">' +
      '<select name="villageId" aria-label="' + t('ui.units.village') + '">' +
      options(Object.keys(villages).sort(), function (v) { return villages[v] + ' (' + v + ')'; }) + '</select>' +
      '<input name="lat" type="number" step="any" required placeholder="' + t('ui.units.lat') + '" aria-label="' +
      t('ui.units.lat') + '">' +
      '<input name="lon" type="number" step="any" required placeholder="' + t('ui.units.lon') + '" aria-label="' +
      t('ui.units.lon') + '">' +
      '<button type="submit" class="primary" id="unit-create-submit">' + t('ui.units.create.submit') +
      '</button></form><p><small>' + t('ui.units.create.hint') + '</small></p>';
    var form = el.querySelector('form');
    form.onsubmit = function (e) {
      e.preventDefault();
      var id = field(form, 'unitId');
      change(form.querySelector('button'), C.api('POST', 'api/units', {
        id: id, name: field(form, 'name'), villageId: field(form, 'villageId'),
        lat: parseFloat(field(form, 'lat')), lon: parseFloat(field(form, 'lon'))
      }), C.t('ui.units.create.done'), 'units/' + id);
    };
  }

  function renderUsers(el, units) {
    el.innerHTML = '<h3>' + t('ui.units.users.title') + '</h3><div id="users-list">' + t('ui.loading') + '</div>' +
      '<h4>' + t('ui.units.users.create') + '</h4>' +
      '<form id="user-create-form" class="actions" autocomplete="off">' +
      '<input name="username" required placeholder="' + t('ui.units.users.username') + '" aria-label="' +
      t('ui.units.users.username') + '">' +
      '<input name="password" type="password" required minlength="10" autocomplete="new-password" placeholder="' +
      t('ui.units.users.password') + '" aria-label="' + t('ui.units.users.password') + '">' +
      '<select name="role" aria-label="' + t('ui.units.users.role') + '">' +
      options(ROLES, function (r) { return C.t('ui.units.role.' + r); }) + '</select>' +
      '<select name="unit" aria-label="' + t('ui.units.users.unit') + '" hidden>' +
      options(units.map(function (u) { return u.id; }), function (id) {
        var u = units.filter(function (x) { return x.id === id; })[0];
        return u.name + ' (' + id + ')';
      }) + '</select>' +
      '<button type="submit" class="primary" id="user-create-submit">' + t('ui.units.users.submit') +
      '</button></form><p><small>' + t('ui.units.users.hint') + '</small></p>';
    var form = el.querySelector('#user-create-form');
    var unitSelect = form.elements.unit;
    form.elements.role.onchange = function () {
      unitSelect.hidden = form.elements.role.value !== 'unit-leader';
    };
    form.onsubmit = function (e) {
      e.preventDefault();
      var role = field(form, 'role');
      var body = { username: field(form, 'username'), password: form.elements.password.value, role: role };
      if (role === 'unit-leader') {
        body.unit = field(form, 'unit');
      }
      change(form.querySelector('button'), C.api('POST', 'api/users', body), C.t('ui.units.users.created'),
        'units');
    };
    C.api('GET', 'api/users').then(function (users) {
      var list = el.querySelector('#users-list');
      list.innerHTML = '<table id="users-table"><thead><tr><th>' + t('ui.units.users.username') + '</th><th>' +
        t('ui.units.users.role') + '</th><th>' + t('ui.units.users.unit') + '</th><th></th></tr></thead><tbody>' +
        (users || []).map(function (u) {
          return '<tr data-username="' + C.esc(u.username) + '"><td>' + C.esc(u.username) + '</td><td>' +
            t('ui.units.role.' + u.role) + '</td><td>' + C.esc(u.unit || '') + '</td><td><div class="actions">' +
            '<input type="password" class="new-password" minlength="10" autocomplete="new-password" ' +
            'placeholder="' + t('ui.units.users.newPassword') + '" aria-label="' + t('ui.units.users.newPassword') +
            '"><button type="button" data-action="set-password">' + t('ui.units.users.setPassword') + '</button>' +
            (u.username === C.user.name ? '' : '<button type="button" class="danger" data-action="delete-user">' +
              t('ui.units.users.delete') + '</button>') + '</div></td></tr>';
        }).join('') + '</tbody></table>';
      list.querySelectorAll('tr[data-username]').forEach(function (row) {
        var name = row.getAttribute('data-username');
        var del = row.querySelector('[data-action="delete-user"]');
        if (del) {
          del.onclick = function () {
            if (window.confirm(C.t('ui.units.users.confirmDelete', name))) {
              change(del, C.api('DELETE', 'api/users/' + encodeURIComponent(name)), C.t('ui.units.users.deleted'),
                'units');
            }
          };
        }
        var set = row.querySelector('[data-action="set-password"]');
        set.onclick = function () {
          change(set, C.api('POST', 'api/users/' + encodeURIComponent(name) + '/password',
            { password: row.querySelector('.new-password').value }), C.t('ui.units.users.passwordSet'), 'units');
        };
      });
    }, function (error) {
      failed(el.querySelector('#users-list'), error);
    });
  }

  // ------------------------------------------------------------------------------------------------ one unit

  function renderUnit(view, id) {
    var editable = mayEdit(id);
    var path = 'api/units/' + encodeURIComponent(id);
    view.innerHTML = '<p><a href="#units">' + t('ui.back') + '</a></p><div id="unit-detail" data-unit-id="' +
      C.esc(id) + '">' + t('ui.loading') + '</div>';
    C.api('GET', path).then(function (unit) {
      var el = view.querySelector('#unit-detail');
      var r = unit.readiness;
      el.innerHTML = '<h2>' + C.esc(unit.name) + ' ' + stateBadge(r) + '</h2>' +
        '<p>' + t('ui.units.village') + t('ui.units.colon') + C.esc(unit.village) + ' · ' + t('ui.units.callboxes') +
        t('ui.units.colon') +
        (unit.callboxes.length ? unit.callboxes.map(function (ep) {
          return '<a href="#callboxes/' + C.esc(ep) + '">' + C.esc(ep) + '</a>';
        }).join(t('ui.units.comma')) : t('ui.none')) + '</p>' +
        shortItems(r) +
        (isAdmin() ? '<div class="card" id="unit-edit"></div>' : '') +
        '<div class="grid"><div class="card" id="unit-members"></div>' +
        '<div class="card" id="unit-today"></div></div>' +
        '<div class="card" id="unit-calendar"><h3>' + t('ui.units.calendar.title', DAYS_SHOWN) + '</h3>' +
        t('ui.loading') + '</div>' +
        '<div class="grid"><div class="card" id="unit-trainings"><h3>' + t('ui.units.training.title') + '</h3>' +
        t('ui.loading') + '</div><div class="card" id="unit-commendations"><h3>' +
        t('ui.units.commendation.title') + '</h3>' + t('ui.loading') + '</div></div>';
      var names = {};
      unit.members.forEach(function (m) { names[m.id] = m.name; });
      if (isAdmin()) {
        renderUnitEdit(el.querySelector('#unit-edit'), unit);
      }
      renderMembers(el.querySelector('#unit-members'), unit, editable);
      renderToday(el.querySelector('#unit-today'), unit, names);
      renderCalendar(el.querySelector('#unit-calendar'), unit, names, editable);
      renderTrainings(el.querySelector('#unit-trainings'), unit, names, editable);
      renderCommendations(el.querySelector('#unit-commendations'), unit);
      view.setAttribute('data-loaded', 'true');
    }, function (error) {
      failed(view.querySelector('#unit-detail'), error);
    });
  }

  /** The kit the unit lacks today, in the console's language (the API's problems are English phrases). */
  function shortItems(r) {
    var missing = ((r && r.items) || []).filter(function (i) { return i.present < i.required; });
    return missing.length ? '<p class="error" id="unit-short-items">' + t('ui.units.shortItems') +
      missing.map(function (i) {
        return '<span data-kind="' + C.esc(i.kind) + '">' + t('ui.units.shortItem', C.t('ui.item.' + i.kind),
          i.present, i.required) + '</span>';
      }).join(t('ui.units.semicolon')) + '</p>' : '';
  }

  function renderUnitEdit(el, unit) {
    el.innerHTML = '<h3>' + t('ui.units.edit.title') + '</h3><form id="unit-edit-form" class="actions">' +
      '<input name="name" required value="' + C.esc(unit.name) + '" aria-label="' + t('ui.units.name') + '">' +
      '<input name="lat" type="number" step="any" value="' + C.esc(unit.lat) + '" aria-label="' +
      t('ui.units.lat') + '">' +
      '<input name="lon" type="number" step="any" value="' + C.esc(unit.lon) + '" aria-label="' +
      t('ui.units.lon') + '">' +
      '<button type="submit" class="primary" id="unit-edit-submit">' + t('ui.save') + '</button></form>';
    var form = el.querySelector('form');
    form.onsubmit = function (e) {
      e.preventDefault();
      change(form.querySelector('button'), C.api('PATCH', 'api/units/' + encodeURIComponent(unit.id), {
        name: field(form, 'name'), lat: parseFloat(field(form, 'lat')), lon: parseFloat(field(form, 'lon'))
      }), C.t('ui.units.edit.done'), 'units/' + unit.id);
    };
  }

  function renderMembers(el, unit, editable) {
    var onDuty = (unit.duty && unit.duty.onDuty) || [];
    el.innerHTML = '<h3>' + t('ui.units.members.title', unit.members.length) + '</h3>' +
      '<table id="members-table"><thead><tr><th>' + t('ui.units.members.name') + '</th><th>' +
      t('ui.units.members.role') + '</th><th>' + t('ui.units.members.resident') + '</th><th>' +
      t('ui.units.members.today') + '</th></tr></thead><tbody>' +
      unit.members.map(function (m) {
        return '<tr data-member-id="' + C.esc(m.id) + '"><td>' + C.esc(m.name) + ' <small>' + C.esc(m.id) +
          '</small></td><td>' + C.esc(m.role) + '</td><td>' + t(m.resident ? 'ui.yes' : 'ui.no') + '</td><td>' +
          (unit.duty && unit.duty.leader === m.id ? t('ui.units.duty.leader')
            : (onDuty.indexOf(m.id) >= 0 ? t('ui.units.duty.onDuty') : '')) + '</td></tr>';
      }).join('') + '</tbody></table>' +
      (unit.members.length < 5 ? '<p class="error">' + t('ui.units.members.tooFew', unit.members.length) + '</p>'
        : '') +
      (editable ? '<h4>' + t('ui.units.members.add') + '</h4><form id="member-add-form" class="actions">' +
        '<input name="memberId" required placeholder="' + t('ui.units.members.id') + '" aria-label="' +
        t('ui.units.members.id') + '">' +
        '<input name="name" required placeholder="' + t('ui.units.members.name') + '" aria-label="' +
        t('ui.units.members.name') + '">' +
        '<input name="role" required list="member-roles" placeholder="' + t('ui.units.members.role') +
        '" aria-label="' + t('ui.units.members.role') + '"><datalist id="member-roles">' + options(MEMBER_ROLES) +
        '</datalist>' +
        '<input name="phone" type="tel" placeholder="' + t('ui.units.members.phone') + '" aria-label="' +
        t('ui.units.members.phone') + '">' +
        '<label><input name="resident" type="checkbox" checked> ' + t('ui.units.members.resident') + '</label>' +
        '<button type="submit" class="primary" id="member-add-submit">' + t('ui.units.members.submit') +
        '</button></form>' : '');
    var form = el.querySelector('#member-add-form');
    if (form) {
      form.onsubmit = function (e) {
        e.preventDefault();
        change(form.querySelector('button'), C.api('POST', 'api/units/' + encodeURIComponent(unit.id) + '/members', {
          id: field(form, 'memberId'), name: field(form, 'name'), role: field(form, 'role'),
          phone: field(form, 'phone') || null, resident: form.elements.resident.checked
        }), C.t('ui.units.members.added'), 'units/' + unit.id);
      };
    }
  }

  function memberList(ids, names) {
    return (ids || []).map(function (id) { return C.esc(names[id] || id); }).join(t('ui.units.comma'));
  }

  function renderToday(el, unit, names) {
    var d = unit.duty || {};
    el.innerHTML = '<h3>' + t('ui.units.today.title', d.day || '') + '</h3>' +
      '<p id="today-leader">' + t('ui.units.duty.leader') + t('ui.units.colon') + (d.leader ? C.esc(names[d.leader] || d.leader)
        : '<span class="error">' + t('ui.none') + '</span>') + '</p>' +
      '<p id="today-on-duty">' + t('ui.units.today.onDuty', (d.onDuty || []).length) +
      (memberList(d.onDuty, names) || t('ui.none')) + '</p>' +
      ((d.onDuty || []).length < 3 ? '<p class="error">' + t('ui.units.today.short') + '</p>' : '');
  }

  function renderCalendar(el, unit, names, editable) {
    var from = today();
    var to = plusDays(from, DAYS_SHOWN - 1);
    var path = 'api/units/' + encodeURIComponent(unit.id);
    C.api('GET', path + '/duty?from=' + from + '&to=' + to).then(function (days) {
      el.innerHTML = '<h3>' + t('ui.units.calendar.title', DAYS_SHOWN) + '</h3>' +
        '<table id="duty-calendar"><thead><tr><th>' + t('ui.units.calendar.date') + '</th><th>' +
        t('ui.units.duty.leader') + '</th><th>' + t('ui.units.duty.onDuty') + '</th><th>' +
        t('ui.units.calendar.source') + '</th>' + (editable ? '<th></th>' : '') + '</tr></thead><tbody>' +
        days.map(function (d) {
          var short = !d.leader || d.onDuty.length < 3;
          return '<tr data-date="' + C.esc(d.date) + '" data-source="' + C.esc(d.source) + '"' +
            (short ? ' class="short"' : '') + '><td>' + C.esc(d.date) + ' ' + C.esc(weekday(d.date)) + '</td><td>' +
            (d.leader ? C.esc(names[d.leader] || d.leader) : t('ui.none')) + '</td><td>' +
            (memberList(d.onDuty, names) || t('ui.none')) +
            (d.swaps.length ? '<br><small>' + d.swaps.map(function (s) {
              return t('ui.units.calendar.swap', names[s.from] || s.from, names[s.to] || s.to);
            }).join(t('ui.units.semicolon')) + '</small>' : '') + '</td><td>' + t('ui.units.calendar.source.' + d.source) + '</td>' +
            (editable ? '<td><div class="actions"><button type="button" data-action="edit-day">' +
              t('ui.units.calendar.edit') + '</button>' + (d.source === 'override'
              ? '<button type="button" class="danger" data-action="remove-override">' +
                t('ui.units.calendar.removeOverride') + '</button>' : '') + '</div></td>' : '') + '</tr>';
        }).join('') + '</tbody></table><div id="duty-editor"></div>';
      if (!editable) {
        return;
      }
      var byDate = {};
      days.forEach(function (d) { byDate[d.date] = d; });
      el.querySelectorAll('tr[data-date]').forEach(function (row) {
        var date = row.getAttribute('data-date');
        row.querySelector('[data-action="edit-day"]').onclick = function () {
          dutyEditor(el.querySelector('#duty-editor'), unit, byDate[date], names);
        };
        var remove = row.querySelector('[data-action="remove-override"]');
        if (remove) {
          remove.onclick = function () {
            change(remove, C.api('DELETE', path + '/duty/' + date), C.t('ui.units.calendar.removed'),
              'units/' + unit.id);
          };
        }
      });
    }, function (error) {
      failed(el, error);
    });
  }

  /** One day's duty as an override: a leader and the members on duty (residents only may be on duty). */
  function dutyEditor(el, unit, day, names) {
    var residents = unit.members.filter(function (m) { return m.resident; });
    el.innerHTML = '<form id="duty-edit-form" class="card" data-date="' + C.esc(day.date) + '"><h4>' +
      t('ui.units.calendar.editing', day.date + ' ' + weekday(day.date)) + '</h4>' +
      '<p><label>' + t('ui.units.duty.leader') + ' <select name="leader">' +
      options(residents.map(function (m) { return m.id; }), function (id) { return names[id] || id; }, day.leader) +
      '</select></label></p><p class="actions">' + residents.map(function (m) {
        return '<label><input type="checkbox" name="onDuty" value="' + C.esc(m.id) + '"' +
          (day.onDuty.indexOf(m.id) >= 0 ? ' checked' : '') + '> ' + C.esc(m.name) + '</label>';
      }).join('') + '</p><p><small>' + t('ui.units.calendar.rules') + '</small></p><div class="actions">' +
      '<button type="submit" class="primary" id="duty-edit-submit">' + t('ui.save') + '</button>' +
      '<button type="button" id="duty-edit-cancel">' + t('ui.cancel') + '</button></div></form>';
    var form = el.querySelector('form');
    form.querySelector('#duty-edit-cancel').onclick = function () {
      el.innerHTML = '';
    };
    form.onsubmit = function (e) {
      e.preventDefault();
      var leader = form.elements.leader.value;
      var onDuty = Array.prototype.slice.call(form.querySelectorAll('input[name="onDuty"]:checked'))
        .map(function (i) { return i.value; });
      if (onDuty.indexOf(leader) < 0) {
        onDuty.unshift(leader);
      }
      change(form.querySelector('button[type="submit"]'), C.api('PUT', 'api/units/' +
        encodeURIComponent(unit.id) + '/duty/' + day.date, { leader: leader, onDuty: onDuty }),
        C.t('ui.units.calendar.saved'), 'units/' + unit.id);
    };
    form.scrollIntoView({ block: 'nearest' });
  }

  function renderTrainings(el, unit, names, editable) {
    var path = 'api/units/' + encodeURIComponent(unit.id) + '/trainings';
    C.api('GET', path).then(function (list) {
      el.innerHTML = '<h3>' + t('ui.units.training.title') + '</h3><table id="trainings-table"><thead><tr><th>' +
        t('ui.units.calendar.date') + '</th><th>' + t('ui.units.training.kind') + '</th><th>' +
        t('ui.units.training.topic') + '</th><th>' + t('ui.units.training.attendees') + '</th></tr></thead><tbody>' +
        (list.length ? list.map(function (tr) {
          return '<tr data-training-id="' + tr.id + '"><td>' + C.esc(tr.date) + '</td><td>' +
            t('ui.units.training.kind.' + tr.kind) + '</td><td>' + C.esc(tr.topic) + '</td><td>' +
            memberList(tr.attendees, names) + '</td></tr>';
        }).join('') : '<tr><td colspan="4">' + t('ui.none') + '</td></tr>') + '</tbody></table>' +
        (editable ? '<h4>' + t('ui.units.training.add') + '</h4><form id="training-add-form">' +
          '<div class="actions"><input name="date" type="date" required value="' + today() + '" max="' + today() +
          '" aria-label="' + t('ui.units.calendar.date') + '"><select name="kind" aria-label="' +
          t('ui.units.training.kind') + '">' + options(['offline', 'online'], function (k) {
            return C.t('ui.units.training.kind.' + k);
          }) + '</select><input name="topic" required maxlength="200" placeholder="' +
          t('ui.units.training.topic') + '" aria-label="' + t('ui.units.training.topic') + '"></div>' +
          '<p class="actions">' + unit.members.map(function (m) {
            return '<label><input type="checkbox" name="attendees" value="' + C.esc(m.id) + '"> ' +
              C.esc(m.name) + '</label>';
          }).join('') + '</p><button type="submit" class="primary" id="training-add-submit">' +
          t('ui.units.training.submit') + '</button></form>' : '');
      var form = el.querySelector('#training-add-form');
      if (form) {
        form.onsubmit = function (e) {
          e.preventDefault();
          change(form.querySelector('button'), C.api('POST', path, {
            date: field(form, 'date'), kind: field(form, 'kind'), topic: field(form, 'topic'),
            attendees: Array.prototype.slice.call(form.querySelectorAll('input[name="attendees"]:checked'))
              .map(function (i) { return i.value; })
          }), C.t('ui.units.training.added'), 'units/' + unit.id);
        };
      }
    }, function (error) {
      failed(el, error);
    });
  }

  function renderCommendations(el, unit) {
    C.api('GET', 'api/commendations?unit=' + encodeURIComponent(unit.id)).then(function (list) {
      el.innerHTML = '<h3>' + t('ui.units.commendation.title') + '</h3><ul id="commendations-list">' +
        (list.length ? list.map(function (c) {
          return '<li data-commendation-id="' + c.id + '"><strong>' + C.esc(c.memberName) + '</strong> ' +
            C.esc(c.date) + t('ui.units.colon') + C.esc(c.reason) + (c.incidentId ? ' <a href="#incidents/' +
            C.esc(c.incidentId) + '">' + t('ui.units.commendation.incident', c.incidentId) + '</a>' : '') + '</li>';
        }).join('') : '<li class="none">' + t('ui.none') + '</li>') + '</ul>' +
        (isAdmin() ? '<h4>' + t('ui.units.commendation.add') + '</h4><form id="commendation-add-form">' +
          '<div class="actions"><select name="memberId" aria-label="' + t('ui.units.members.name') + '">' +
          options(unit.members.map(function (m) { return m.id; }), function (id) {
            return unit.members.filter(function (m) { return m.id === id; })[0].name;
          }) + '</select><input name="date" type="date" required value="' + today() + '" max="' + today() +
          '" aria-label="' + t('ui.units.calendar.date') + '"><input name="incidentId" placeholder="' +
          t('ui.units.commendation.incidentId') + '" aria-label="' + t('ui.units.commendation.incidentId') +
          '"></div><p><textarea name="reason" required maxlength="500" rows="2" style="width:100%" placeholder="' +
          t('ui.units.commendation.reason') + '" aria-label="' + t('ui.units.commendation.reason') +
          '"></textarea></p><button type="submit" class="primary" id="commendation-add-submit">' +
          t('ui.units.commendation.submit') + '</button></form>' : '');
      var form = el.querySelector('#commendation-add-form');
      if (form) {
        form.onsubmit = function (e) {
          e.preventDefault();
          change(form.querySelector('button'), C.api('POST', 'api/commendations', {
            memberId: field(form, 'memberId'), date: field(form, 'date'), reason: field(form, 'reason'),
            incidentId: field(form, 'incidentId') || null
          }), C.t('ui.units.commendation.added'), 'units/' + unit.id);
        };
      }
    }, function (error) {
      failed(el, error);
    });
  }

  C.section({
    id: 'units',
    order: 70,
    titleKey: 'ui.units.title',
    render: function (view, param, ctx) {
      if (param) {
        renderUnit(view, param);
        // only the badge changes: a reload would throw away what is being typed into the forms
        ctx.on('readiness', function (event) {
          var badge = view.querySelector('#unit-detail h2 [data-readiness]');
          if (badge && (event.unit === param || event.unitId === param) && event.state) {
            badge.outerHTML = stateBadge({ state: event.state });
          }
        });
      } else {
        renderList(view);
      }
    }
  });
})();
