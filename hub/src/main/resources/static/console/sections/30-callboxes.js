/*
 * Call boxes (呼叫箱): every box with its live state, and one box's detail — status (with the enclosure's tamper switch
 * and the power source: mains or battery; the clock offset), device information (firmware,
 * battery, signal), locker contents — with the operator's actions (siren test, stop siren, announcement, reboot), each
 * waiting for the box's answer. Actions only for admin and dispatcher; the API enforces the same.
 */
(function () {
  'use strict';
  var C = window.Console;
  var ACTIONS = ['siren-test', 'stop-siren', 'announce', 'reboot'];
  var ITEM_KINDS = ['whistle', 'baton', 'helmet', 'flashlight', 'loudspeaker', 'steel-fork', 'shield', 'stab-vest',
    'cut-glove', 'spray', 'armband'];
  var BADGE_CLASS = { 'offline': '', 'siren': 'alarm', 'tamper': 'alarm', 'power': 'warn', 'locker': 'warn',
    'ok': 'ok' };
  /** What the live 'callbox' event carries (the status topic's fields). */
  var LIVE_FIELDS = ['online', 'lastSeen', 'sirenSounding', 'lockerReady', 'tamper', 'onMains'];
  var MAX_TEXT = 200;

  /**
   * offline, siren (sounding), tamper (enclosure opened), power (on battery), locker (kit not ready) or ok, in that
   * order of importance.
   */
  function stateOf(box) {
    if (!box.online) {
      return 'offline';
    }
    if (box.sirenSounding) {
      return 'siren';
    }
    if (box.tamper) {
      return 'tamper';
    }
    if (box.onMains === false) {
      return 'power';
    }
    if (box.lockerReady === false) {
      return 'locker';
    }
    return 'ok';
  }

  function badge(box) {
    var state = stateOf(box);
    return '<span class="badge ' + BADGE_CLASS[state] + '" data-state="' + state + '">' +
      C.esc(C.t('ui.callboxes.state.' + state)) + '</span>';
  }

  function unknown(value, suffix) {
    return value === null || value === undefined || value === '' ? C.esc(C.t('ui.callboxes.unknown'))
      : C.esc(String(value) + (suffix || ''));
  }

  function yesNo(value) {
    return value === null || value === undefined ? C.esc(C.t('ui.callboxes.unknown'))
      : C.esc(C.t(value ? 'ui.yes' : 'ui.no'));
  }

  function canAct() {
    return C.user.role === 'admin' || C.user.role === 'dispatcher';
  }

  // ------------------------------------------------------------------------------------------------ the list

  function renderList(view, ctx) {
    var boxes = {}; // endpoint -> box (list fields, updated by live events)
    view.innerHTML = '<h2>' + C.esc(C.t('ui.callboxes.title')) + '</h2>' +
      '<p class="legend">' + ['ok', 'locker', 'power', 'tamper', 'siren', 'offline'].map(function (s) {
        return '<span class="badge ' + BADGE_CLASS[s] + '">' + C.esc(C.t('ui.callboxes.state.' + s)) + '</span>';
      }).join(' ') + '</p>' +
      '<table id="callbox-list"><thead><tr>' + ['place', 'village', 'endpoint', 'state', 'lastSeen'].map(function (k) {
        return '<th>' + C.esc(C.t('ui.callboxes.col.' + k)) + '</th>';
      }).join('') + '</tr></thead><tbody><tr><td colspan="5">' + C.esc(C.t('ui.loading')) +
      '</td></tr></tbody></table>';
    var body = view.querySelector('tbody');

    function row(b) {
      return '<tr data-endpoint="' + C.esc(b.endpoint) + '" data-state="' + stateOf(b) + '" class="callbox-row">' +
        '<td><a href="#callboxes/' + encodeURIComponent(b.endpoint) + '">' + C.esc(b.place || b.endpoint) +
        '</a></td><td>' + C.esc(b.village || '') + '</td><td>' + C.esc(b.endpoint) + '</td><td class="box-state">' +
        badge(b) + '</td><td class="box-seen">' + C.esc(C.time(b.lastSeen) || C.t('ui.callboxes.never')) +
        '</td></tr>';
    }

    function render() {
      var eps = Object.keys(boxes).sort();
      body.innerHTML = eps.length ? eps.map(function (ep) { return row(boxes[ep]); }).join('')
        : '<tr><td colspan="5">' + C.esc(C.t('ui.none')) + '</td></tr>';
    }

    body.addEventListener('click', function (e) {
      var tr = e.target.closest('tr[data-endpoint]');
      if (tr && !e.target.closest('a')) {
        C.go('callboxes/' + tr.getAttribute('data-endpoint'));
      }
    });

    C.api('GET', 'api/callboxes').then(function (list) {
      (list || []).forEach(function (b) {
        boxes[b.endpoint] = b;
      });
      render();
    }, function (e) {
      body.innerHTML = '<tr><td colspan="5" class="error">' + C.esc(C.t('ui.failed', e.message)) + '</td></tr>';
    });

    ctx.on('callbox', function (e) {
      var b = boxes[e.endpoint];
      if (!b) {
        return; // a box the page has not loaded (new box): shown on the next visit
      }
      LIVE_FIELDS.forEach(function (k) {
        if (e[k] !== undefined) {
          b[k] = e[k];
        }
      });
      var tr = body.querySelector('tr[data-endpoint="' + CSS.escape(e.endpoint) + '"]');
      if (tr) {
        tr.outerHTML = row(b);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------- one box

  function renderDetail(view, endpoint, ctx) {
    view.innerHTML = '<p><a href="#callboxes" id="callbox-back">' + C.esc(C.t('ui.callboxes.back')) + '</a></p>' +
      '<div id="callbox-detail" data-endpoint="' + C.esc(endpoint) + '">' + C.esc(C.t('ui.loading')) + '</div>';
    var root = view.querySelector('#callbox-detail');
    var box = null;

    C.api('GET', 'api/callboxes/' + encodeURIComponent(endpoint)).then(function (detail) {
      box = detail;
      draw();
    }, function (e) {
      root.innerHTML = '<p class="error" id="callbox-error">' + C.esc(e.status === 404
        ? C.t('ui.callboxes.notFound', endpoint) : e.status === 403 ? C.t('ui.callboxes.forbidden')
          : C.t('ui.failed', e.message)) + '</p>';
    });

    function statusRows() {
      return '<tr><th>' + C.esc(C.t('ui.callboxes.field.state')) + '</th><td id="box-state">' + badge(box) +
        '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.online')) + '</th><td id="box-online">' +
        yesNo(box.online) + '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.lastSeen')) +
        '</th><td id="box-last-seen">' + C.esc(C.time(box.lastSeen) || C.t('ui.callboxes.never')) +
        '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.siren')) + '</th><td id="box-siren">' +
        yesNo(box.sirenSounding) + '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.door')) +
        '</th><td id="box-door">' + (box.doorOpen === null || box.doorOpen === undefined
          ? C.esc(C.t('ui.callboxes.unknown'))
          : C.esc(C.t(box.doorOpen ? 'ui.callboxes.door.open' : 'ui.callboxes.door.closed'))) +
        '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.lockerReady')) + '</th><td id="box-locker-ready">' +
        yesNo(box.lockerReady) + '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.enclosure')) +
        '</th><td id="box-enclosure">' + (box.tamper
          ? '<span class="badge alarm">' + C.esc(C.t('ui.callboxes.enclosure.open')) + '</span>'
          : C.esc(C.t('ui.callboxes.enclosure.closed'))) +
        '</td></tr><tr><th>' + C.esc(C.t('ui.callboxes.field.power')) + '</th><td id="box-power">' +
        (box.onMains === null || box.onMains === undefined ? C.esc(C.t('ui.callboxes.unknown'))
          : box.onMains ? C.esc(C.t('ui.callboxes.power.mains'))
            : '<span class="badge warn">' + C.esc(C.t('ui.callboxes.power.battery')) + '</span>') +
        (box.batteryLow ? ' <span class="badge warn" id="box-battery-low">' +
          C.esc(C.t('ui.callboxes.power.batteryLow')) + '</span>' : '') + '</td></tr>' + clockRow();
    }

    // the box's clock against the hub's: whole seconds, the precision of the measurement (about 1 s)
    function clockRow() {
      var s = box.clockOffsetSeconds;
      var text = s === null || s === undefined ? C.t('ui.callboxes.clock.unknown')
        : s > 0 ? C.t('ui.callboxes.clock.ahead', s) : s < 0 ? C.t('ui.callboxes.clock.behind', -s)
          : C.t('ui.callboxes.clock.inSync');
      return '<tr><th>' + C.esc(C.t('ui.callboxes.field.clock')) + '</th><td id="box-clock">' + C.esc(text) +
        (box.clockSkewed ? ' <span class="badge warn" id="box-clock-skewed">' +
          C.esc(C.t('ui.callboxes.clock.skewed')) + '</span>' : '') + '</td></tr>';
    }

    function deviceRows() {
      var d = box.device || {};
      return [['firmware', d.firmware, ''], ['battery', d.battery, '%'], ['signal', d.signal, ' dBm'],
        ['manufacturer', d.manufacturer, ''], ['model', d.model, ''], ['serial', d.serial, '']]
        .map(function (f) {
          return '<tr><th>' + C.esc(C.t('ui.callboxes.device.' + f[0])) + '</th><td id="device-' + f[0] + '">' +
            unknown(f[1], f[2]) + '</td></tr>';
        }).join('') + '<tr><th>' + C.esc(C.t('ui.callboxes.device.readAt')) + '</th><td id="device-read-at">' +
        (d.readAt ? C.esc(C.time(d.readAt)) : C.esc(C.t('ui.callboxes.unknown'))) +
        (d.readAt && !box.online ? ' <small>' + C.esc(C.t('ui.callboxes.device.lastKnown')) + '</small>' : '') +
        '</td></tr>';
    }

    function itemRows() {
      var items = box.items || {};
      var kinds = ITEM_KINDS.filter(function (k) { return items[k] !== undefined; });
      Object.keys(items).forEach(function (k) {
        if (kinds.indexOf(k) < 0) {
          kinds.push(k);
        }
      });
      if (!kinds.length) {
        return '<tr><td colspan="2">' + C.esc(C.t('ui.callboxes.items.none')) + '</td></tr>';
      }
      return kinds.map(function (k) {
        var key = 'ui.item.' + k;
        return '<tr data-kind="' + C.esc(k) + '"><td>' + C.esc(C.t(key) === key ? k : C.t(key)) + '</td><td>' +
          C.esc(items[k]) + '</td></tr>';
      }).join('');
    }

    function actionsCard() {
      if (!canAct()) {
        return '';
      }
      return '<div class="card" id="callbox-actions"><h3>' + C.esc(C.t('ui.callboxes.actions')) + '</h3>' +
        '<div class="actions">' + ['siren-test', 'stop-siren'].map(function (a) {
          return '<button type="button" id="action-' + a + '" data-action="' + a + '">' +
            C.esc(C.t('ui.callboxes.action.' + a)) + '</button>';
        }).join('') + '<button type="button" class="danger" id="action-reboot" data-action="reboot">' +
        C.esc(C.t('ui.callboxes.action.reboot')) + '</button></div>' +
        '<div class="actions"><input type="text" id="announce-text" maxlength="' + MAX_TEXT + '" ' +
        'placeholder="' + C.esc(C.t('ui.callboxes.announce.placeholder')) + '" aria-label="' +
        C.esc(C.t('ui.callboxes.announce.placeholder')) + '">' +
        '<button type="button" class="primary" id="action-announce" data-action="announce">' +
        C.esc(C.t('ui.callboxes.action.announce')) + '</button></div>' +
        '<p id="action-result" data-result="" aria-live="polite"></p></div>';
    }

    function draw() {
      root.innerHTML = '<h2>' + C.esc(box.place || box.endpoint) + ' <small>' + C.esc(box.village || '') +
        ' · ' + C.esc(box.endpoint) + '</small></h2><div class="grid">' +
        '<div class="card"><h3>' + C.esc(C.t('ui.callboxes.status')) + '</h3><table id="box-status">' +
        statusRows() + '</table></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.callboxes.device')) + '</h3><table id="box-device">' +
        deviceRows() + '</table></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.callboxes.items')) + '</h3><table id="box-items"><thead><tr><th>' +
        C.esc(C.t('ui.callboxes.items.kind')) + '</th><th>' + C.esc(C.t('ui.callboxes.items.present')) +
        '</th></tr></thead><tbody>' + itemRows() + '</tbody></table></div>' +
        actionsCard() + '</div>';
      wireActions();
    }

    function showResult(kind, text) {
      var out = root.querySelector('#action-result');
      if (out) {
        out.setAttribute('data-result', kind);
        out.className = kind === 'ok' ? '' : kind === 'pending' ? '' : 'error';
        out.textContent = text;
      }
    }

    function problemText(action, e) {
      var p = e.problem || {};
      var name = C.t('ui.callboxes.action.' + action);
      switch (e.status) {
        case 502:
          return ['refused', C.t('ui.callboxes.result.refused', name, p.code || '', e.message)];
        case 504:
          return ['no-answer', C.t('ui.callboxes.result.noAnswer', name, e.message)];
        case 409:
          if (/callbox-busy$/.test(p.type || '')) {
            return ['busy', C.t('ui.callboxes.result.busy', name, e.message)];
          }
          return ['offline', C.t('ui.callboxes.result.offline', name, e.message)];
        case 400:
          return ['invalid', C.t('ui.callboxes.result.invalid', e.message)];
        case 403:
          return ['forbidden', C.t('ui.callboxes.forbidden')];
        default:
          return ['error', C.t('ui.failed', e.message)];
      }
    }

    var rebootArmed = null;

    function run(action) {
      var body = { action: action };
      if (action === 'announce') {
        var field = root.querySelector('#announce-text');
        body.text = field.value.trim();
        if (!body.text) {
          showResult('invalid', C.t('ui.callboxes.announce.empty'));
          field.focus();
          return;
        }
      }
      var buttons = root.querySelectorAll('#callbox-actions button');
      buttons.forEach(function (b) { b.disabled = true; });
      showResult('pending', C.t('ui.callboxes.result.pending', C.t('ui.callboxes.action.' + action)));
      C.api('POST', 'api/callboxes/' + encodeURIComponent(endpoint) + '/actions', body).then(function (r) {
        showResult('ok', C.t('ui.callboxes.result.ok', C.t('ui.callboxes.action.' + action), r.code || ''));
        if (action === 'announce') {
          root.querySelector('#announce-text').value = '';
        }
      }, function (e) {
        var shown = problemText(action, e);
        showResult(shown[0], shown[1]);
      }).then(function () {
        buttons.forEach(function (b) { b.disabled = false; });
      });
    }

    function wireActions() {
      ACTIONS.forEach(function (action) {
        var button = root.querySelector('#action-' + action);
        if (!button) {
          return;
        }
        button.addEventListener('click', function () {
          if (action !== 'reboot') {
            run(action);
            return;
          }
          // a reboot takes the box away for a minute: the first tap arms the button, the second (within 5 s) runs
          if (!rebootArmed) {
            button.setAttribute('data-armed', 'true');
            button.textContent = C.t('ui.callboxes.action.rebootConfirm');
            rebootArmed = setTimeout(disarm, 5000);
            return;
          }
          disarm();
          run('reboot');
        });
      });
      var field = root.querySelector('#announce-text');
      if (field) {
        field.addEventListener('keydown', function (e) {
          if (e.key === 'Enter') {
            run('announce');
          }
        });
      }
    }

    function disarm() {
      clearTimeout(rebootArmed);
      rebootArmed = null;
      var button = root.querySelector('#action-reboot');
      if (button) {
        button.removeAttribute('data-armed');
        button.textContent = C.t('ui.callboxes.action.reboot');
      }
    }

    ctx.on('callbox', function (e) {
      if (!box || e.endpoint !== endpoint) {
        return;
      }
      LIVE_FIELDS.forEach(function (k) {
        if (e[k] !== undefined) {
          box[k] = e[k];
        }
      });
      var table = root.querySelector('#box-status');
      if (table) {
        table.innerHTML = statusRows();
      }
    });

    ctx.on('callbox-action', function (e) {
      // another operator's action on this box: said on the page, so two people do not work against each other
      if (!box || e.endpoint !== endpoint || e.actor === C.user.name) {
        return;
      }
      C.notify(C.t('ui.callboxes.result.other', e.actor, C.t('ui.callboxes.action.' + e.action),
        C.t('ui.callboxes.outcome.' + e.result)), e.ok ? 'ok' : 'error');
    });

    return disarm;
  }

  C.section({
    id: 'callboxes',
    order: 30,
    titleKey: 'ui.callboxes.title',
    render: function (view, param, ctx) {
      if (param) {
        return renderDetail(view, param, ctx);
      }
      renderList(view, ctx);
      return null;
    }
  });
})();
