/*
 * Boots an h5p-standalone player for every [data-h5p-player] element (rendered by
 * templates/courses/blocks/h5p_block.html) and sends the learner's xAPI statements to the server.
 *
 * Statements go one at a time, in the order H5P emits them (a question's "answered" must be stored before
 * the set's "completed"), as JSON {module_id, package_id, statement} with the CSRF token in X-CSRFToken.
 * A 429 or a network/server error is retried with back-off, so a burst loses nothing; each statement is given
 * an id before its first post and keeps it through the retries, so a post whose answer was lost is stored once
 * (the server answers a known id as a duplicate). "interacted"
 * statements (every click) are not sent: progress never depends on them.
 * Resume state: the last saved state comes with the page (data-saved-state); H5P saves through its own
 * contentUserData protocol to data-user-data-url, and the frame script h5p-frame-csrf.js adds the CSRF
 * header to those POSTs.
 */
(function () {
  'use strict';

  if (window.ieaH5PPlayer) {
    return;
  }
  window.ieaH5PPlayer = {};

  var INTERACTED = 'http://adlnet.gov/expapi/verbs/interacted';
  var MAX_TRIES = 6;
  var queue = [];
  var sending = false;
  var standaloneLoading = null;

  function loadStandalone(src) {
    if (!standaloneLoading) {
      standaloneLoading = new Promise(function (resolve, reject) {
        if (window.H5PStandalone) {
          resolve();
          return;
        }
        var script = document.createElement('script');
        script.src = src;
        script.onload = resolve;
        script.onerror = function () {
          reject(new Error('Could not load ' + src));
        };
        document.head.appendChild(script);
      });
    }
    return standaloneLoading;
  }

  function wait(milliseconds) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, milliseconds);
    });
  }

  function statementId() {
    if (typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    // randomUUID exists only in a secure context (https, localhost); getRandomValues everywhere.
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC 4122 variant
    var hex = Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join('');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  }

  function sendOne(item, attempt) {
    var el = item.element;
    return fetch(el.dataset.xapiUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': el.dataset.csrfToken },
      body: JSON.stringify({
        module_id: Number(el.dataset.moduleId),
        package_id: Number(el.dataset.packageId),
        statement: item.statement
      })
    }).then(
      function (response) {
        var retry = response.status === 429 || response.status >= 500;
        if (retry && attempt < MAX_TRIES) {
          var after = Number(response.headers.get('Retry-After')) || Math.pow(2, attempt);
          return wait(Math.min(after, 60) * 1000).then(function () {
            return sendOne(item, attempt + 1);
          });
        }
        el.dispatchEvent(new CustomEvent('h5p:statement-sent', { detail: { status: response.status } }));
        return null;
      },
      function () {
        if (attempt < MAX_TRIES) {
          return wait(Math.pow(2, attempt) * 1000).then(function () {
            return sendOne(item, attempt + 1);
          });
        }
        return null;
      }
    );
  }

  function drain() {
    if (sending || !queue.length) {
      return;
    }
    sending = true;
    var item = queue.shift();
    sendOne(item, 0).then(function () {
      sending = false;
      drain();
    });
  }

  function playerFor(objectId) {
    var activity = String(objectId || '').split('?')[0];
    var players = document.querySelectorAll('[data-h5p-player]');
    for (var i = 0; i < players.length; i++) {
      if (players[i].dataset.activityIri === activity) {
        return players[i];
      }
    }
    return null;
  }

  function listen() {
    if (window.ieaH5PPlayer.listening || !window.H5P || !window.H5P.externalDispatcher) {
      return;
    }
    window.ieaH5PPlayer.listening = true;
    window.H5P.externalDispatcher.on('xAPI', function (event) {
      var statement = event && event.data && event.data.statement;
      if (!statement || !statement.verb || statement.verb.id === INTERACTED) {
        return;
      }
      var el = playerFor(statement.object && statement.object.id);
      if (!el || !el.dataset.xapiUrl) {
        return;
      }
      var copy = JSON.parse(JSON.stringify(statement));
      copy.id = copy.id || statementId();
      queue.push({ element: el, statement: copy });
      drain();
    });
  }

  function options(el) {
    var data = el.dataset;
    var settings = {
      id: data.playerId,
      h5pJsonPath: data.h5pJsonPath,
      frameJs: data.frameJs,
      frameCss: data.frameCss,
      customJs: [data.frameCsrfJs],
      xAPIObjectIRI: data.activityIri,
      fullScreen: true,
      frame: false,
      copyright: false,
      export: false,
      embed: false,
      icon: false
    };
    if (data.userDataUrl) {
      settings.saveFreq = 10;
      settings.ajax = { contentUserDataUrl: data.userDataUrl };
      // H5P saves state only for a known user; the server ignores who the browser says it is.
      settings.user = { name: data.userName || 'learner', mail: 'learner@users.invalid' };
      if (data.savedState) {
        // Handed over with the page: H5P starts the content before a state request could answer.
        settings.contentUserData = [{ state: data.savedState }];
      }
    }
    return settings;
  }

  function boot(el) {
    var container = el.querySelector('[data-h5p-container]');
    return new window.H5PStandalone.H5P(container, options(el)).then(
      function () {
        el.setAttribute('data-h5p-state', 'ready');
        var loading = el.querySelector('[data-h5p-loading]');
        if (loading) {
          loading.hidden = true;
        }
        listen();
      },
      function (error) {
        el.setAttribute('data-h5p-state', 'failed');
        var failure = el.querySelector('[data-h5p-failed]');
        if (failure) {
          failure.hidden = false;
        }
        if (window.console) {
          window.console.error('H5P player failed to start', error);
        }
      }
    );
  }

  function start() {
    var players = Array.prototype.slice.call(document.querySelectorAll('[data-h5p-player]'));
    if (!players.length) {
      return;
    }
    loadStandalone(players[0].dataset.standaloneJs).then(function () {
      // h5p-standalone shares one H5PIntegration per page: players must start one after another.
      return players.reduce(function (previous, el) {
        return previous.then(function () {
          return boot(el);
        });
      }, Promise.resolve());
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
