/*
 * 固件升级 (firmware over the air): the signed packages the hub holds and the upload of a new one; starting a
 * roll-out (package, wave size, every box or the boxes ticked) with a two-tap button; the roll-outs, and one roll-out
 * box by box with its state, last Update Result (LwM2M 5/0/5) and the hub's detail, live. Admin only, as its API
 * (/api/firmware/**). What the states mean: docs/firmware.md.
 */
(function () {
  'use strict';
  var C = window.Console;
  var BOX_STATES = ['pending', 'downloading', 'installing', 'confirming', 'succeeded', 'failed', 'rolled-back',
    'skipped', 'cancelled'];
  var BOX_BADGE = { 'downloading': 'acknowledged', 'installing': 'acknowledged', 'confirming': 'acknowledged',
    'succeeded': 'ok',
    'failed': 'alarm', 'rolled-back': 'alarm' };
  var ROLLOUT_BADGE = { 'running': 'warn', 'completed': 'ok', 'halted': 'alarm' };
  var REASONS = ['untrusted', 'integrity', 'malformed', 'unsupported', 'not-edge-firmware'];
  var DEFAULT_WAVE_SIZE = 5;
  var MAX_WAVE_SIZE = 100;
  var ARMED_MS = 5000;

  /** A translated name, or the wire name itself for one this page does not know yet. */
  function named(prefix, value) {
    var key = prefix + value;
    var text = C.t(key);
    return text === key ? String(value) : text;
  }

  function badge(classes, prefix, state) {
    return '<span class="badge ' + (classes[state] || '') + '" data-state="' + C.esc(state) + '">' +
      C.esc(named(prefix, state)) + '</span>';
  }

  function megabytes(bytes) {
    return C.t('ui.firmware.megabytes', (Number(bytes) / (1024 * 1024)).toFixed(1));
  }

  /** "code meaning", e.g. "5 签名或校验失败"; '—' before the box reported any. */
  function result(code) {
    if (code === null || code === undefined) {
      return '—';
    }
    return code + ' ' + named('ui.firmware.result.', code);
  }

  /** The box states a roll-out has boxes in, e.g. "成功 3 · 等待 7". */
  function counts(map) {
    var parts = BOX_STATES.filter(function (s) { return map && map[s]; }).map(function (s) {
      return C.t('ui.firmware.count', named('ui.firmware.box.', s), map[s]);
    });
    return parts.length ? parts.join(' · ') : '—';
  }

  /** What a refused upload means for the operator: the translated reason, then the hub's detail. */
  function uploadProblem(error) {
    var problem = error.problem || {};
    var text;
    if (error.status === 422 && REASONS.indexOf(problem.reason) >= 0) {
      text = C.t('ui.firmware.reason.' + problem.reason);
    } else if (error.status === 409) {
      text = C.t('ui.firmware.exists');
    } else if (error.status === 413) {
      text = C.t('ui.firmware.tooLarge');
    } else {
      text = C.t('ui.firmware.uploadFailed');
    }
    return { text: text, detail: problem.detail || error.message };
  }

  /**
   * A button that acts only on its second tap within 5 s: the first one arms it and says so. Returns a function
   * that puts it back to its first state.
   */
  function twoTap(button, label, onConfirm) {
    var timer = null;
    function disarm() {
      clearTimeout(timer);
      button.removeAttribute('data-confirm');
      button.classList.remove('primary');
      button.textContent = label;
    }
    button.addEventListener('click', function () {
      if (button.getAttribute('data-confirm') !== 'armed') {
        if (onConfirm.check && !onConfirm.check()) {
          return;
        }
        button.setAttribute('data-confirm', 'armed');
        button.classList.add('primary');
        button.textContent = C.t('ui.firmware.confirm');
        timer = setTimeout(function () {
          if (button.isConnected) {
            disarm();
          }
        }, ARMED_MS);
        return;
      }
      disarm();
      onConfirm.run();
    });
    return disarm;
  }

  function showError(el, text, detail) {
    el.innerHTML = C.esc(text) + (detail ? '<br><small>' + C.esc(detail) + '</small>' : '');
    el.hidden = false;
  }

  C.section({
    id: 'firmware',
    order: 85,
    titleKey: 'ui.firmware.title',
    roles: ['admin'],
    render: function (view, param, ctx) {
      var openId = param || null;   // the roll-out shown in detail
      var packages = [];
      var reloadTimer = null;
      var detailTimer = null;
      var disarmCancel = null;

      view.innerHTML =
        '<h2>' + C.esc(C.t('ui.firmware.title')) + '</h2>' +
        '<div class="card"><h3>' + C.esc(C.t('ui.firmware.packages')) + '</h3>' +
        '<div class="actions"><input type="file" id="firmware-file" accept=".cbfw">' +
        '<button type="button" class="primary" id="firmware-upload">' + C.esc(C.t('ui.firmware.upload')) +
        '</button></div><p><small>' + C.esc(C.t('ui.firmware.uploadHint')) + '</small></p>' +
        '<p class="error" id="firmware-upload-error" hidden></p>' +
        '<div class="scroll"><table id="firmware-packages"><thead><tr>' +
        ['version', 'size', 'keyId', 'uploadedAt', 'uploadedBy'].map(function (k) {
          return '<th>' + C.esc(C.t('ui.firmware.col.' + k)) + '</th>';
        }).join('') + '</tr></thead><tbody><tr><td colspan="5">' + C.esc(C.t('ui.loading')) +
        '</td></tr></tbody></table></div></div>' +

        '<div class="card" id="rollout-form"><h3>' + C.esc(C.t('ui.firmware.start')) + '</h3>' +
        '<div class="actions"><label>' + C.esc(C.t('ui.firmware.package')) +
        ' <select id="rollout-firmware"></select></label>' +
        '<label>' + C.esc(C.t('ui.firmware.waveSize')) + ' <input id="rollout-wave-size" type="number" min="1" ' +
        'max="' + MAX_WAVE_SIZE + '" value="' + DEFAULT_WAVE_SIZE + '"></label></div>' +
        '<div class="actions"><label><input type="radio" name="rollout-boxes" value="all" checked> ' +
        C.esc(C.t('ui.firmware.allBoxes')) + '</label><label><input type="radio" name="rollout-boxes" ' +
        'value="some"> ' + C.esc(C.t('ui.firmware.someBoxes')) + '</label></div>' +
        '<div id="rollout-boxes" hidden><label><input type="checkbox" id="rollout-boxes-all"> <strong>' +
        C.esc(C.t('ui.firmware.tickAll')) + '</strong></label><div class="box-picks"></div></div>' +
        '<p><small>' + C.esc(C.t('ui.firmware.startHint')) + '</small></p>' +
        '<div class="actions"><button type="button" class="danger" id="rollout-start">' +
        C.esc(C.t('ui.firmware.startButton')) + '</button></div>' +
        '<p class="error" id="rollout-error" hidden></p></div>' +

        '<div class="card"><h3>' + C.esc(C.t('ui.firmware.rollouts')) + '</h3>' +
        '<div class="scroll"><table id="rollout-list"><thead><tr>' +
        ['state', 'version', 'wave', 'counts', 'created'].map(function (k) {
          return '<th>' + C.esc(C.t('ui.firmware.col.' + k)) + '</th>';
        }).join('') + '</tr></thead><tbody><tr><td colspan="5">' + C.esc(C.t('ui.loading')) +
        '</td></tr></tbody></table></div></div>' +
        '<div class="card" id="rollout-detail" hidden></div>';

      var uploadError = view.querySelector('#firmware-upload-error');
      var startError = view.querySelector('#rollout-error');
      var detailCard = view.querySelector('#rollout-detail');

      function failed(e) {
        C.notify(C.t('ui.failed', e.message), 'error');
      }

      // ------------------------------------------------------------------------------------------ packages

      function renderPackages() {
        view.querySelector('#firmware-packages tbody').innerHTML = packages.length
          ? packages.map(function (p) {
            return '<tr data-firmware-id="' + C.esc(p.id) + '"><td title="' + C.esc(p.id + ' · SHA-256 ' +
              p.sha256) + '"><strong>' + C.esc(p.version) + '</strong></td><td title="' +
              C.esc(C.t('ui.firmware.bytes', p.size)) + '">' + C.esc(megabytes(p.size)) + '</td><td>' +
              C.esc(p.keyId) + '</td><td>' + C.esc(C.time(p.uploadedAt)) + '</td><td>' + C.esc(p.uploadedBy) +
              '</td></tr>';
          }).join('')
          : '<tr class="none"><td colspan="5">' + C.esc(C.t('ui.firmware.noPackages')) + '</td></tr>';
        var select = view.querySelector('#rollout-firmware');
        var chosen = select.value;
        select.innerHTML = packages.length
          ? packages.map(function (p) {
            return '<option value="' + C.esc(p.id) + '"' + (p.id === chosen ? ' selected' : '') + '>' +
              C.esc(C.t('ui.firmware.packageOption', p.version, C.time(p.uploadedAt))) + '</option>';
          }).join('')
          : '<option value="">' + C.esc(C.t('ui.firmware.uploadFirst')) + '</option>';
      }

      function loadPackages() {
        return C.api('GET', 'api/firmware').then(function (list) {
          packages = list || [];
          renderPackages();
        }, failed);
      }

      view.querySelector('#firmware-upload').onclick = function (e) {
        var input = view.querySelector('#firmware-file');
        var file = input.files && input.files[0];
        uploadError.hidden = true;
        if (!file) {
          showError(uploadError, C.t('ui.firmware.chooseFile'));
          return;
        }
        C.act(e.target, C.api('POST', 'api/firmware', file), C.t('ui.firmware.uploaded', file.name))
          .then(function (stored) {
            input.value = '';
            loadPackages().then(function () {
              if (stored && stored.id) {
                view.querySelector('#rollout-firmware').value = stored.id;
              }
            });
          }, function (error) {
            var shown = uploadProblem(error);
            showError(uploadError, shown.text, shown.detail);
          });
      };

      // ------------------------------------------------------------------------------------------ start

      function picked() {
        return Array.prototype.slice.call(view.querySelectorAll('#rollout-boxes .box-picks input:checked'))
          .map(function (i) { return i.value; });
      }

      function loadBoxes() {
        return C.api('GET', 'api/callboxes').then(function (list) {
          var boxes = (list || []).slice().sort(function (a, b) {
            return a.endpoint < b.endpoint ? -1 : (a.endpoint > b.endpoint ? 1 : 0);
          });
          view.querySelector('#rollout-boxes .box-picks').innerHTML = boxes.length
            ? boxes.map(function (b) {
              return '<label data-endpoint="' + C.esc(b.endpoint) + '"><input type="checkbox" value="' +
                C.esc(b.endpoint) + '"> ' + C.esc(b.place || b.endpoint) + ' <small>' + C.esc(b.endpoint) +
                (b.village ? ' · ' + C.esc(b.village) : '') + (b.online ? '' : ' · ' +
                C.esc(C.t('ui.firmware.offline'))) + '</small></label>';
            }).join('')
            : '<p>' + C.esc(C.t('ui.firmware.noBoxes')) + '</p>';
        }, failed);
      }

      Array.prototype.forEach.call(view.querySelectorAll('input[name="rollout-boxes"]'), function (radio) {
        radio.onchange = function () {
          view.querySelector('#rollout-boxes').hidden = radio.value !== 'some' || !radio.checked;
        };
      });
      view.querySelector('#rollout-boxes-all').onchange = function (e) {
        Array.prototype.forEach.call(view.querySelectorAll('#rollout-boxes .box-picks input'), function (i) {
          i.checked = e.target.checked;
        });
      };

      /** The request the form describes, or null after showing what is missing. */
      function startRequest() {
        startError.hidden = true;
        var firmware = view.querySelector('#rollout-firmware').value;
        if (!firmware) {
          showError(startError, C.t('ui.firmware.uploadFirst'));
          return null;
        }
        var waveSize = Number(view.querySelector('#rollout-wave-size').value);
        if (!(waveSize >= 1 && waveSize <= MAX_WAVE_SIZE && Math.floor(waveSize) === waveSize)) {
          showError(startError, C.t('ui.firmware.badWaveSize', MAX_WAVE_SIZE));
          return null;
        }
        var request = { firmware: firmware, waveSize: waveSize };
        if (view.querySelector('input[name="rollout-boxes"][value="some"]').checked) {
          request.endpoints = picked();
          if (!request.endpoints.length) {
            showError(startError, C.t('ui.firmware.pickBoxes'));
            return null;
          }
        }
        return request;
      }

      var startButton = view.querySelector('#rollout-start');
      twoTap(startButton, C.t('ui.firmware.startButton'), {
        check: function () { return startRequest() !== null; },
        run: function () {
          var request = startRequest();
          if (!request) {
            return;
          }
          C.act(startButton, C.api('POST', 'api/firmware/rollouts', request), C.t('ui.firmware.started'))
            .then(function (rollout) {
              loadRollouts();
              if (rollout && rollout.id) {
                C.go('firmware/' + rollout.id);
              }
            }, function (error) {
              showError(startError, error.status === 409 ? C.t('ui.firmware.running') : C.t('ui.firmware.refused'),
                (error.problem && error.problem.detail) || error.message);
            });
        }
      });

      // ------------------------------------------------------------------------------------------ roll-outs

      function waveText(r) {
        return C.t('ui.firmware.waveOf', r.wave, r.waves, r.waveSize);
      }

      function renderRollouts(list) {
        view.querySelector('#rollout-list tbody').innerHTML = list.length
          ? list.map(function (r) {
            return '<tr data-rollout-id="' + C.esc(r.id) + '" class="rollout-row' + (r.id === openId ? ' selected' : '') +
              '"><td>' + badge(ROLLOUT_BADGE, 'ui.firmware.rollout.', r.state) + '</td><td><a href="#firmware/' +
              encodeURIComponent(r.id) + '">' + C.esc(r.version) + '</a></td><td>' + C.esc(waveText(r)) +
              '</td><td>' + C.esc(counts(r.counts)) + '</td><td>' + C.esc(C.time(r.createdAt)) + '<br><small>' +
              C.esc(r.createdBy) + '</small></td></tr>';
          }).join('')
          : '<tr class="none"><td colspan="5">' + C.esc(C.t('ui.firmware.noRollouts')) + '</td></tr>';
      }

      function loadRollouts() {
        return C.api('GET', 'api/firmware/rollouts').then(function (list) {
          renderRollouts(list || []);
        }, failed);
      }

      view.querySelector('#rollout-list tbody').addEventListener('click', function (e) {
        var tr = e.target.closest('tr[data-rollout-id]');
        if (tr && !e.target.closest('a')) {
          C.go('firmware/' + tr.getAttribute('data-rollout-id'));
        }
      });

      function boxRow(b) {
        return '<tr data-endpoint="' + C.esc(b.endpoint) + '" data-state="' + C.esc(b.state) + '"><td>' +
          C.esc(b.endpoint) + '</td><td>' + C.esc(b.wave) + '</td><td>' +
          badge(BOX_BADGE, 'ui.firmware.box.', b.state) + '</td><td class="result"' +
          (b.result === null || b.result === undefined ? '' : ' data-result="' + C.esc(b.result) + '"') + '>' +
          C.esc(result(b.result)) + '</td><td class="detail">' + C.esc(b.detail || '') + '</td><td>' +
          C.esc(b.fromVersion || '—') + '</td><td>' + C.esc(C.time(b.updatedAt)) + '</td></tr>';
      }

      function renderDetail(r) {
        if (disarmCancel) {
          disarmCancel();
          disarmCancel = null;
        }
        var first = detailCard.hidden;
        detailCard.hidden = false;
        detailCard.setAttribute('data-rollout-id', r.id);
        detailCard.innerHTML = '<h3>' + C.esc(C.t('ui.firmware.detailTitle', r.version)) + ' ' +
          badge(ROLLOUT_BADGE, 'ui.firmware.rollout.', r.state) + '</h3>' +
          '<p>' + C.esc(waveText(r)) + ' · ' + C.esc(counts(r.counts)) + '<br><small>' +
          C.esc(C.t('ui.firmware.createdBy', C.time(r.createdAt), r.createdBy)) +
          (r.endedAt ? ' · ' + C.esc(C.t('ui.firmware.endedAt', C.time(r.endedAt))) : '') + ' · ' + C.esc(r.id) +
          '</small></p>' + (r.detail ? '<p class="rollout-ended"><small>' + C.esc(r.detail) + '</small></p>' : '') +
          '<div class="actions">' + (r.state === 'running' ? '<button type="button" class="danger" ' +
          'id="rollout-cancel">' + C.esc(C.t('ui.firmware.cancel')) + '</button>' : '') +
          '<button type="button" id="rollout-close">' + C.esc(C.t('ui.firmware.close')) + '</button></div>' +
          '<div class="scroll"><table id="rollout-boxes-table"><thead><tr>' +
          ['endpoint', 'boxWave', 'boxState', 'result', 'detail', 'fromVersion', 'updatedAt'].map(function (k) {
            return '<th>' + C.esc(C.t('ui.firmware.col.' + k)) + '</th>';
          }).join('') + '</tr></thead><tbody>' + ((r.boxes || []).length ? r.boxes.map(boxRow).join('')
          : '<tr class="none"><td colspan="7">' + C.esc(C.t('ui.none')) + '</td></tr>') + '</tbody></table></div>';
        detailCard.querySelector('#rollout-close').onclick = function () {
          C.go('firmware');
        };
        if (first && detailCard.scrollIntoView) {
          detailCard.scrollIntoView({ block: 'nearest' });
        }
        var cancel = detailCard.querySelector('#rollout-cancel');
        if (cancel) {
          disarmCancel = twoTap(cancel, C.t('ui.firmware.cancel'), {
            run: function () {
              C.act(cancel, C.api('POST', 'api/firmware/rollouts/' + encodeURIComponent(r.id) + '/cancel'),
                C.t('ui.firmware.cancelled')).then(function (fresh) {
                if (fresh && fresh.id === openId) {
                  renderDetail(fresh);
                }
                loadRollouts();
              }, function () {
                loadDetail();
              });
            }
          });
        }
      }

      function loadDetail() {
        if (!openId) {
          return Promise.resolve();
        }
        var id = openId;
        return C.api('GET', 'api/firmware/rollouts/' + encodeURIComponent(id)).then(function (r) {
          if (id === openId && r) {
            renderDetail(r);
          }
        }, function (e) {
          if (e.status === 404) {
            detailCard.hidden = false;
            detailCard.innerHTML = '<p class="error">' + C.esc(C.t('ui.firmware.notFound', id)) + '</p>';
          } else {
            failed(e);
          }
        });
      }

      /** The open roll-out again, once its cancel button is no longer armed (a reload would disarm it). */
      function refreshDetail() {
        clearTimeout(detailTimer);
        if (detailCard.querySelector('#rollout-cancel[data-confirm="armed"]')) {
          detailTimer = setTimeout(refreshDetail, 1000);
        } else {
          loadDetail();
        }
      }

      /** A burst of events (a whole wave moving) reloads once. */
      ctx.on('firmware-rollout', function (summary) {
        var forOpen = openId && (!summary || !summary.id || summary.id === openId);
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(function () {
          loadRollouts();
          if (forOpen) {
            refreshDetail();
          }
        }, 300);
      });

      loadPackages();
      loadBoxes();
      loadRollouts();
      loadDetail();
      return function () {
        clearTimeout(reloadTimer);
        clearTimeout(detailTimer);
      };
    }
  });
})();
