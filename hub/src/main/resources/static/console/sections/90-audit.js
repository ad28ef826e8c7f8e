/* The audit log (操作日志): every device command and incident action, newest first. Township staff only. */
(function () {
  'use strict';
  var C = window.Console;

  C.section({
    id: 'audit',
    order: 90,
    titleKey: 'ui.audit.title',
    roles: ['admin'],
    render: function (view) {
      view.innerHTML = '<h2>' + C.esc(C.t('ui.audit.title')) + '</h2><table id="audit-log"><thead><tr>' +
        ['at', 'actor', 'action', 'target', 'detail'].map(function (k) {
          return '<th>' + C.esc(C.t('ui.audit.col.' + k)) + '</th>';
        }).join('') + '</tr></thead><tbody></tbody></table>';
      C.api('GET', 'api/audit?limit=500').then(function (entries) {
        view.querySelector('tbody').innerHTML = (entries || []).map(function (e) {
          var key = 'ui.audit.action.' + e.action;
          var action = C.t(key) === key ? e.action : C.t(key);
          return '<tr data-action="' + C.esc(e.action) + '"><td>' + C.esc(C.time(e.at)) + '</td><td>' +
            C.esc(e.actor) + '</td><td>' + C.esc(action) + '</td><td>' + C.esc(e.target) + '</td><td>' +
            C.esc(e.detail || '') + '</td></tr>';
        }).join('') || '<tr><td colspan="5">' + C.esc(C.t('ui.none')) + '</td></tr>';
      }, function (e) { C.notify(C.t('ui.failed', e.message), 'error'); });
    }
  });
})();
