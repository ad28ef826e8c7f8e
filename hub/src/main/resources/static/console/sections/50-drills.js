/*
 * 拉动测试 (readiness drills): the year's coverage of units × months against the township rules, the plan of surprise
 * drills, "start drill now" per unit, the drills with their scores (live), and the reports per unit and month.
 * Score: four steps of 25 points (first ack 60 s, quorum = duty leader + 2 members 180 s, locker opened 300 s,
 * on-scene 900 s): full points within target, none at twice the target, linear between; passed = quorum and locker
 * within target. Only for admin, dispatcher and police: planned dates are a surprise for the units.
 */
(function () {
  'use strict';
  var C = window.Console;
  var STEPS = [['firstAckSeconds', 'first-ack'], ['quorumSeconds', 'quorum'], ['lockerOpenedSeconds', 'locker'],
    ['arrivalSeconds', 'arrival']];

  function seconds(value) {
    return value === null || value === undefined ? '—' : C.t('ui.drills.seconds', value);
  }

  function monthsOf(year) {
    var months = [];
    for (var m = 1; m <= 12; m++) {
      months.push(year + '-' + (m < 10 ? '0' : '') + m);
    }
    return months;
  }

  function stateBadge(drill) {
    var cls = drill.state === 'completed' ? (drill.passed ? 'ok' : 'alarm') : (drill.state === 'running' ? 'warn' : '');
    return '<span class="badge ' + cls + '" data-state="' + C.esc(drill.state) + '">' +
      C.esc(C.t('ui.drills.state.' + drill.state)) + '</span>';
  }

  function drillRow(drill, names) {
    return '<tr data-drill-id="' + C.esc(drill.id) + '" data-incident-id="' + C.esc(drill.incidentId) + '">' +
      '<td>' + C.esc(names[drill.unit] || drill.unit) + '</td>' +
      '<td>' + C.esc(C.time(drill.startedAt)) + '<br><small>' + C.esc(drill.startedBy) +
      (drill.planId ? ' · ' + C.esc(C.t('ui.drills.fromPlan')) : '') + '</small></td>' +
      '<td>' + stateBadge(drill) + ' <a href="#incidents/' + C.esc(drill.incidentId) + '">' +
      C.esc(C.t('ui.drills.incident')) + '</a></td>' +
      STEPS.map(function (s) {
        return '<td class="' + s[1] + '">' + C.esc(seconds(drill[s[0]])) + '</td>';
      }).join('') +
      '<td class="score"><strong>' + C.esc(drill.score) + '</strong> ' + (drill.passed
        ? '<span class="badge ok passed">' + C.esc(C.t('ui.drills.passed')) + '</span>'
        : '<span class="badge failed">' + C.esc(C.t('ui.drills.notPassed')) + '</span>') + '</td></tr>';
  }

  C.section({
    id: 'drills',
    order: 50,
    titleKey: 'ui.drills.title',
    roles: ['admin', 'dispatcher', 'police'],
    render: function (view, param, ctx) {
      var thisYear = Number(new Date().toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric' }));
      var year = /^\d{4}$/.test(param) ? Number(param) : thisYear;
      var names = {};       // unit id -> name
      var drills = [];      // newest first
      var reloadTimer = null;

      view.innerHTML =
        '<h2>' + C.esc(C.t('ui.drills.title')) + '</h2>' +
        '<div class="card"><div class="actions">' +
        '<label>' + C.esc(C.t('ui.drills.year')) + ' <select id="drill-year">' +
        [thisYear - 1, thisYear, thisYear + 1].map(function (y) {
          return '<option value="' + y + '"' + (y === year ? ' selected' : '') + '>' + y + '</option>';
        }).join('') + '</select></label>' +
        '<label>' + C.esc(C.t('ui.drills.perMonth')) + ' <input id="drill-per-month" type="number" min="3" ' +
        'max="100" value="3"></label>' +
        '<button type="button" class="primary" id="drill-generate-plan">' + C.esc(C.t('ui.drills.generate')) +
        '</button></div><p><small>' + C.esc(C.t('ui.drills.generateHint')) + '</small></p></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.drills.coverage')) + '</h3>' +
        '<p><small>' + C.esc(C.t('ui.drills.legend')) + '</small></p>' +
        '<div class="scroll"><table id="drill-coverage"></table></div>' +
        '<h3>' + C.esc(C.t('ui.drills.violations')) + '</h3><ul id="drill-violations"></ul></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.drills.list')) + '</h3>' +
        '<p><small>' + C.esc(C.t('ui.drills.scoreRule')) + '</small></p>' +
        '<div class="scroll"><table id="drill-list"><thead><tr><th>' + C.esc(C.t('ui.drills.unit')) +
        '</th><th>' + C.esc(C.t('ui.drills.startedAt')) + '</th><th>' + C.esc(C.t('ui.drills.state')) + '</th><th>' +
        C.esc(C.t('ui.drills.firstAck')) + '</th><th>' + C.esc(C.t('ui.drills.quorum')) + '</th><th>' +
        C.esc(C.t('ui.drills.locker')) + '</th><th>' + C.esc(C.t('ui.drills.arrival')) + '</th><th>' +
        C.esc(C.t('ui.drills.score')) + '</th></tr></thead><tbody></tbody></table></div></div>' +
        '<div class="grid"><div class="card"><h3>' + C.esc(C.t('ui.drills.reportUnits')) + '</h3>' +
        '<div class="scroll"><table id="drill-report-units"></table></div></div>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.drills.reportMonths')) + '</h3>' +
        '<table id="drill-report-months"></table></div></div>';

      function renderCoverage(coverage) {
        var months = monthsOf(coverage.year);
        coverage.units.forEach(function (u) { names[u.unit] = u.name || u.unit; });
        var head = '<thead><tr><th>' + C.esc(C.t('ui.drills.unit')) + '</th>' + months.map(function (m) {
          return '<th>' + C.esc(C.t('ui.drills.monthShort', Number(m.substring(5)))) + '</th>';
        }).join('') + '<th>' + C.esc(C.t('ui.drills.halves')) + '</th><th></th></tr></thead>';
        var rows = coverage.units.map(function (u) {
          var cells = months.map(function (m) {
            var done = u.drills.filter(function (d) { return d.substring(0, 7) === m; });
            var planned = u.planned.filter(function (d) { return d.substring(0, 7) === m; });
            var missed = (u.missed || []).filter(function (d) { return d.substring(0, 7) === m; });
            var mark = (done.length ? '✓' : '') + (planned.length ? '○' : '') + (missed.length ? '✗' : '');
            var title = done.map(function (d) { return C.t('ui.drills.doneOn', d); })
              .concat(planned.map(function (d) { return C.t('ui.drills.plannedOn', d); }))
              .concat(missed.map(function (d) { return C.t('ui.drills.missedOn', d); })).join('\n');
            return '<td data-unit="' + C.esc(u.unit) + '" data-month="' + m + '"' +
              (done.length ? ' data-done="' + done.length + '"' : '') +
              (planned.length ? ' data-planned="' + planned.length + '"' : '') +
              (title ? ' title="' + C.esc(title) + '"' : '') + '>' + C.esc(mark) +
              (planned.length ? '<br><small>' + C.esc(planned.map(function (d) { return d.substring(8); })
                .join(',')) + '</small>' : '') + '</td>';
          }).join('');
          return '<tr data-coverage-unit="' + C.esc(u.unit) + '"><td>' + C.esc(u.name || u.unit) + '</td>' + cells +
            '<td>' + half(u.firstHalf, 'ui.drills.firstHalf') + ' ' + half(u.secondHalf, 'ui.drills.secondHalf') +
            '</td><td><button type="button" class="danger" data-drill-unit="' + C.esc(u.unit) + '">' +
            C.esc(C.t('ui.drills.startNow')) + '</button></td></tr>';
        }).join('');
        var totals = '<tr class="totals"><th>' + C.esc(C.t('ui.drills.monthTotal')) + '</th>' +
          coverage.months.map(function (m) {
            return '<td data-month-total="' + C.esc(m.month) + '">' + C.esc(C.t('ui.drills.doneAndPlanned', m.done,
              m.planned)) + '</td>';
          }).join('') + '<td></td><td></td></tr>';
        view.querySelector('#drill-coverage').innerHTML = head + '<tbody>' + rows + totals + '</tbody>';
        view.querySelector('#drill-violations').innerHTML = coverage.violations.length
          ? coverage.violations.map(function (v) {
            return '<li data-rule="' + C.esc(v.rule) + '"' + (v.unit ? ' data-unit="' + C.esc(v.unit) + '"' : '') +
              (v.month ? ' data-month="' + C.esc(v.month) + '"' : '') + '><span class="badge warn">' +
              C.esc(C.t('ui.drills.rule.' + v.rule)) + '</span> ' + C.esc(v.text) + '</li>';
          }).join('')
          : '<li class="none">' + C.esc(C.t('ui.drills.noViolations')) + '</li>';
      }

      function half(ok, key) {
        return '<span class="badge ' + (ok ? 'ok' : 'warn') + '">' + C.esc(C.t(key)) + (ok ? ' ✓' : ' ✗') +
          '</span>';
      }

      function renderDrills() {
        var shown = drills.filter(function (d) { return d.startedAt.substring(0, 4) === String(year) ||
          d.state === 'running'; });
        view.querySelector('#drill-list tbody').innerHTML = shown.length
          ? shown.map(function (d) { return drillRow(d, names); }).join('')
          : '<tr class="none"><td colspan="8">' + C.esc(C.t('ui.none')) + '</td></tr>';
      }

      function renderReports(r) {
        function times(t) {
          return C.esc(seconds(t.median)) + ' / ' + C.esc(seconds(t.best));
        }
        view.querySelector('#drill-report-units').innerHTML = '<thead><tr><th>' + C.esc(C.t('ui.drills.unit')) +
          '</th><th>' + C.esc(C.t('ui.drills.count')) + '</th><th>' + C.esc(C.t('ui.drills.passedCount')) +
          '</th><th>' + C.esc(C.t('ui.drills.firstAck')) + '</th><th>' + C.esc(C.t('ui.drills.quorum')) + '</th><th>' +
          C.esc(C.t('ui.drills.locker')) + '</th><th>' + C.esc(C.t('ui.drills.arrival')) + '</th><th>' +
          C.esc(C.t('ui.drills.medianScore')) + '</th></tr></thead><tbody>' + r.units.map(function (u) {
            return '<tr data-report-unit="' + C.esc(u.unit) + '"><td>' + C.esc(u.name || u.unit) + '</td><td>' +
              u.count + '</td><td>' + u.passed + '</td><td>' + times(u.firstAck) + '</td><td>' + times(u.quorum) +
              '</td><td>' + times(u.locker) + '</td><td>' + times(u.arrival) + '</td><td>' +
              C.esc(u.medianScore === null ? '—' : u.medianScore) + '</td></tr>';
          }).join('') + '</tbody><tfoot><tr><td colspan="8"><small>' + C.esc(C.t('ui.drills.medianBest')) +
          '</small></td></tr></tfoot>';
        view.querySelector('#drill-report-months').innerHTML = '<thead><tr><th>' + C.esc(C.t('ui.drills.month')) +
          '</th><th>' + C.esc(C.t('ui.drills.count')) + '</th><th>' + C.esc(C.t('ui.drills.passedCount')) +
          '</th></tr></thead><tbody>' + r.months.map(function (m) {
            return '<tr data-report-month="' + C.esc(m.month) + '"><td>' + C.esc(m.month) + '</td><td>' + m.count +
              '</td><td>' + m.passed + '</td></tr>';
          }).join('') + r.quarters.map(function (q) {
            return '<tr data-report-quarter="' + C.esc(q.quarter) + '"><th>' + C.esc(q.quarter) + '</th><th>' +
              q.count + '</th><th>' + q.passed + '</th></tr>';
          }).join('') + '<tr data-report-total="' + r.year + '"><th>' + C.esc(C.t('ui.drills.yearTotal', r.year)) +
          '</th><th>' + r.total.count + '</th><th>' + r.total.passed + '</th></tr></tbody>';
      }

      function failed(e) {
        C.notify(C.t('ui.failed', e.message), 'error');
      }

      function loadCoverage() {
        return C.api('GET', 'api/drills/coverage?year=' + year).then(renderCoverage, failed);
      }

      function loadReports() {
        return C.api('GET', 'api/drills/reports?year=' + year).then(renderReports, failed);
      }

      function loadAll() {
        return Promise.all([loadCoverage(), C.api('GET', 'api/drills').then(function (list) {
          drills = list || [];
        }, failed)]).then(function () {
          renderDrills();
          return loadReports();
        });
      }

      /** Coverage and reports follow the drills; many events in a row reload them once. */
      function reloadSoon() {
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(function () {
          loadCoverage();
          loadReports();
        }, 1000);
      }

      function upsert(drill) {
        var found = false;
        drills = drills.map(function (d) {
          if (d.id === drill.id) {
            found = true;
            return drill;
          }
          return d;
        });
        if (!found) {
          drills.unshift(drill);
        }
        renderDrills();
      }

      view.querySelector('#drill-year').onchange = function (e) {
        C.go('drills/' + e.target.value);
      };

      view.querySelector('#drill-generate-plan').onclick = function (e) {
        var perMonth = Number(view.querySelector('#drill-per-month').value);
        C.act(e.target, C.api('POST', 'api/drills/plan', { year: year, perMonth: perMonth }),
          C.t('ui.drills.generated')).then(loadCoverage, function () { /* shown by act */ });
      };

      // "start drill now" sounds the unit's sirens: a first tap arms the button, a second one within 5 s starts
      view.querySelector('#drill-coverage').addEventListener('click', function (e) {
        var button = e.target.closest('button[data-drill-unit]');
        if (!button) {
          return;
        }
        var unit = button.getAttribute('data-drill-unit');
        if (button.getAttribute('data-confirm') !== 'armed') {
          button.setAttribute('data-confirm', 'armed');
          button.classList.add('primary');
          button.textContent = C.t('ui.drills.confirmStart');
          setTimeout(function () {
            if (button.isConnected && button.getAttribute('data-confirm') === 'armed') {
              button.removeAttribute('data-confirm');
              button.classList.remove('primary');
              button.textContent = C.t('ui.drills.startNow');
            }
          }, 5000);
          return;
        }
        button.removeAttribute('data-confirm');
        C.act(button, C.api('POST', 'api/drills', { unit: unit }), C.t('ui.drills.started', names[unit] || unit))
          .then(function (drill) {
            upsert(drill);
            reloadSoon();
          }, function () { /* shown by act */ }).then(function () {
            button.classList.remove('primary');
            button.textContent = C.t('ui.drills.startNow');
          });
      });

      ctx.on('drill', function (drill) {
        if (drill && drill.id) {
          upsert(drill);
          reloadSoon();
        }
      });
      ctx.on('drill-plan', function (change) {
        if (change && change.year === year) {
          loadCoverage();
        }
      });
      ctx.on('incident', function (incident) {
        drills.filter(function (d) { return d.incidentId === incident.id; }).forEach(function (d) {
          C.api('GET', 'api/drills/' + encodeURIComponent(d.id)).then(function (fresh) {
            upsert(fresh);
            reloadSoon();
          }, function () { /* the next event or a reload shows it */ });
        });
      });

      loadAll();
      return function () {
        clearTimeout(reloadTimer);
      };
    }
  });
})();
