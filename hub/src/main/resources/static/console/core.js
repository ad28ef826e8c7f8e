/*
 * The console's core: texts, the REST client (session cookie + CSRF header), the live feed (server-sent events from
 * /api/events), hash routing between sections, and the alarm banner and sound for new incidents.
 *
 * A feature adds a page with a file sections/NN-name.js that calls Console.section({...}); see the README's console
 * section. No framework and no build step: plain ES2017 that Debian's Chromium and a township tablet both run.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('console-config').textContent);
  var csrfToken = meta('_csrf');
  var csrfHeader = meta('_csrf_header') || 'X-CSRF-TOKEN';
  var sections = [];
  var handlers = {};          // event name -> [fn]
  var sectionHandlers = [];   // [event, fn] registered by the section on screen, dropped when it is left
  var current = null;         // {section, cleanup}
  var source = null;
  var PROBLEM_PREFIX = 'urn:callbox:problem:';

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : null;
  }

  /** Text of the chosen language; {0}, {1}... are replaced by the arguments. Unknown keys show as the key. */
  function t(key) {
    var text = Object.prototype.hasOwnProperty.call(config.texts, key) ? config.texts[key] : key;
    var args = Array.prototype.slice.call(arguments, 1);
    return text.replace(/\{(\d+)\}/g, function (m, i) {
      return args[i] === undefined || args[i] === null ? '' : String(args[i]);
    });
  }

  function esc(value) {
    return String(value === undefined || value === null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  /** Local time of the township (Asia/Shanghai), in the console's language; '' for no time. */
  function time(iso, withDate) {
    if (!iso) {
      return '';
    }
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return String(iso);
    }
    var options = { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
    if (withDate !== false) {
      options.year = 'numeric';
      options.month = '2-digit';
      options.day = '2-digit';
    }
    return d.toLocaleString(config.lang === 'en' ? 'en-GB' : 'zh-CN', options);
  }

  /** Seconds between two ISO times, or '' when either is missing. */
  function seconds(fromIso, toIso) {
    if (!fromIso || !toIso) {
      return '';
    }
    return Math.round((new Date(toIso) - new Date(fromIso)) / 1000);
  }

  /**
   * Calls the REST API. body: absent for none, a Blob or File (an upload) sent as it is as
   * application/octet-stream, anything else sent as JSON. Resolves with the parsed JSON (null for an empty body);
   * rejects with an Error whose message is the problem's detail, with .status and .problem (the RFC 9457 body) set.
   */
  function api(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET' && csrfToken) {
      headers[csrfHeader] = csrfToken;
    }
    var init = { method: method, headers: headers, credentials: 'same-origin' };
    if (body !== undefined && typeof Blob !== 'undefined' && body instanceof Blob) {
      headers['Content-Type'] = 'application/octet-stream';
      init.body = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path.replace(/^\//, ''), init).then(function (response) {
      if (response.status === 401) {
        window.location.href = 'login';
      }
      return response.text().then(function (text) {
        var data = null;
        if (text) {
          try {
            data = JSON.parse(text);
          } catch (e) {
            data = { detail: text };
          }
        }
        if (!response.ok) {
          var error = new Error(problemText(data, response.status));
          error.status = response.status;
          error.problem = data;
          throw error;
        }
        return data;
      });
    });
  }

  /**
   * What an operator reads of a refusal: the hub's already translated rule text when it sent one (ruleText), else
   * the console's own words for the problem type (ui.problem.<type>) with the hub's English detail after them, else
   * the detail alone.
   */
  function problemText(problem, status) {
    if (!problem) {
      return 'HTTP ' + status;
    }
    var detail = problem.detail || problem.title || ('HTTP ' + status);
    if (problem.ruleText) {
      return problem.subject ? t('ui.problem.withDetail', problem.ruleText, problem.subject) : problem.ruleText;
    }
    var type = typeof problem.type === 'string' && problem.type.indexOf(PROBLEM_PREFIX) === 0
      ? problem.type.substring(PROBLEM_PREFIX.length) : null;
    var key = 'ui.problem.' + type;
    if (type && Object.prototype.hasOwnProperty.call(config.texts, key)) {
      return t('ui.problem.withDetail', t(key), detail);
    }
    return detail;
  }

  /** Follows a live event for the lifetime of the page. Returns a function that stops following. */
  function on(event, fn) {
    (handlers[event] = handlers[event] || []).push(fn);
    if (source) {
      listen(event);
    }
    return function () {
      handlers[event] = (handlers[event] || []).filter(function (h) { return h !== fn; });
    };
  }

  var listening = {};
  function listen(event) {
    if (listening[event]) {
      return;
    }
    listening[event] = true;
    source.addEventListener(event, function (e) {
      var payload;
      try {
        payload = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      (handlers[event] || []).slice().forEach(function (fn) {
        try {
          fn(payload);
        } catch (err) {
          if (window.console) {
            window.console.error('console event handler failed', event, err);
          }
        }
      });
    });
  }

  function connect() {
    source = new EventSource('api/events');
    listening = {};
    Object.keys(handlers).forEach(listen);
    listen('hello');
    source.onopen = function () {
      document.body.classList.remove('offline');
    };
    source.onerror = function () {
      document.body.classList.add('offline');
    };
  }

  /**
   * Registers a page of the console.
   * spec: {id, order, titleKey, roles (array of role names, or absent for every role),
   *        render(view, param, ctx)} where view is the emptied <main>, param the part of the hash after "id/"
   *        ('' if none), and ctx.on(event, fn) follows a live event only while this page is on screen.
   */
  function section(spec) {
    sections.push(spec);
  }

  function visibleSections() {
    return sections.filter(function (s) {
      return !s.roles || s.roles.indexOf(config.role) >= 0;
    }).sort(function (a, b) { return (a.order || 0) - (b.order || 0); });
  }

  function go(hash) {
    if (window.location.hash === '#' + hash) {
      route();
    } else {
      window.location.hash = hash;
    }
  }

  function route() {
    var hash = decodeURIComponent(window.location.hash.replace(/^#/, ''));
    var slash = hash.indexOf('/');
    var id = slash >= 0 ? hash.substring(0, slash) : hash;
    var param = slash >= 0 ? hash.substring(slash + 1) : '';
    var visible = visibleSections();
    var target = visible.filter(function (s) { return s.id === id; })[0] || visible[0];
    if (!target) {
      return;
    }
    if (current && current.cleanup) {
      try {
        current.cleanup();
      } catch (e) { /* the old page is gone either way */ }
    }
    sectionHandlers.forEach(function (off) { off(); });
    sectionHandlers = [];
    document.querySelectorAll('#nav a').forEach(function (a) {
      a.classList.toggle('active', a.getAttribute('data-section') === target.id);
    });
    var view = document.getElementById('view');
    view.innerHTML = '';
    view.className = 'section-' + target.id;
    var ctx = {
      on: function (event, fn) {
        sectionHandlers.push(on(event, fn));
      }
    };
    var cleanup = null;
    try {
      cleanup = target.render(view, param, ctx);
    } catch (e) {
      view.innerHTML = '<p class="error">' + esc(e.message) + '</p>';
    }
    current = { section: target, cleanup: typeof cleanup === 'function' ? cleanup : null };
  }

  function buildNav() {
    var nav = document.getElementById('nav');
    nav.innerHTML = visibleSections().map(function (s) {
      return '<a href="#' + esc(s.id) + '" data-section="' + esc(s.id) + '">' + esc(t(s.titleKey)) + '</a>';
    }).join('');
  }

  /** A short message in the corner; kind 'ok' or 'error'. */
  function notify(text, kind) {
    var box = document.getElementById('toasts');
    var el = document.createElement('div');
    el.className = 'toast ' + (kind || 'ok');
    el.textContent = text;
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, kind === 'error' ? 8000 : 4000);
  }

  /** Runs a REST call from a button: disables it meanwhile, shows the result or the problem. */
  function act(button, promise, okText) {
    if (button) {
      button.disabled = true;
    }
    return promise.then(function (result) {
      notify(okText || t('ui.done'), 'ok');
      return result;
    }, function (error) {
      notify(t('ui.failed', error.message), 'error');
      throw error;
    }).finally(function () {
      if (button) {
        button.disabled = false;
      }
    });
  }

  // --------------------------------------------------------------- new incidents: banner, flash and sound

  var knownIncidents = {};
  var audioContext = null;

  /**
   * Browsers keep sound off until the user has touched the page: the first click or key anywhere unlocks it, and
   * until then the header says so (an alarm must never be silent without the operator knowing).
   */
  function unlockSound() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) {
      return;
    }
    audioContext = audioContext || new Ctx();
    var hint = document.getElementById('sound-hint');
    function update() {
      if (hint) {
        hint.hidden = audioContext.state === 'running';
      }
    }
    var resume = function () {
      audioContext.resume().then(update, update);
    };
    document.addEventListener('click', resume, true);
    document.addEventListener('keydown', resume, true);
    if (audioContext.onstatechange !== undefined) {
      audioContext.onstatechange = update;
    }
    update();
  }

  function beep() {
    try {
      if (!audioContext) {
        return;
      }
      var start = audioContext.currentTime;
      // three short two-tone beeps: heard across a command-centre room, unlike any browser notification sound
      for (var i = 0; i < 3; i++) {
        [880, 660].forEach(function (frequency, j) {
          var osc = audioContext.createOscillator();
          var gain = audioContext.createGain();
          osc.frequency.value = frequency;
          gain.gain.value = 0.2;
          osc.connect(gain);
          gain.connect(audioContext.destination);
          var at = start + i * 0.6 + j * 0.25;
          osc.start(at);
          osc.stop(at + 0.22);
        });
      }
    } catch (e) { /* no sound device: the banner still flashes */ }
  }

  function isOpen(incident) {
    return ['closed', 'false-alarm', 'resolved'].indexOf(incident.state) < 0;
  }

  function alarm(incident) {
    var banner = document.getElementById('alarm-banner');
    banner.hidden = false;
    banner.className = 'flash';
    banner.innerHTML = '<a href="#incidents/' + esc(incident.id) + '">' + esc(t(incident.kind === 'drill'
      ? 'ui.banner.drill' : 'ui.banner.incident', incident.place || incident.callbox, incident.village || '')) +
      '</a> <button type="button" class="dismiss">' + esc(t('ui.banner.dismiss')) + '</button>';
    banner.querySelector('.dismiss').onclick = function () {
      banner.hidden = true;
    };
    beep();
  }

  function watchIncidents() {
    api('GET', 'api/incidents').then(function (list) {
      (list || []).forEach(function (i) { knownIncidents[i.id] = true; });
    }, function () { /* the feed still tells of new ones */ });
    on('incident', function (incident) {
      if (!knownIncidents[incident.id]) {
        knownIncidents[incident.id] = true;
        if (isOpen(incident)) {
          alarm(incident);
        }
      }
    });
  }

  function start() {
    buildNav();
    unlockSound();
    connect();
    watchIncidents();
    window.addEventListener('hashchange', route);
    route();
  }

  window.Console = {
    config: config,
    user: { name: config.user, role: config.role, unit: config.unit },
    t: t,
    esc: esc,
    time: time,
    seconds: seconds,
    api: api,
    on: on,
    section: section,
    go: go,
    notify: notify,
    act: act,
    isOpen: isOpen,
    start: start
  };
})();
