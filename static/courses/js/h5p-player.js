/*
 * The page side of every H5P player (templates/courses/blocks/h5p_block.html). The package plays in an iframe
 * on the content origin, sandboxed without allow-same-origin (courses/h5p/player.py); its document
 * (static/courses/js/h5p-frame.js) sends us messages, and this script is the only thing that talks to the server
 * for it, with the CSRF token the frame never sees.
 *
 * A message is accepted only when it comes from this player's own frame window (event.source) with the opaque
 * origin the sandbox gives it (event.origin "null"); a statement only when its object is this player's activity.
 * Statements go one at a time, in the order H5P emits them (a question's "answered" must be stored before the
 * set's "completed"), as JSON {module_id, package_id, statement} with the CSRF token in X-CSRFToken. A 429 or a
 * network/server error is retried with back-off, so a burst loses nothing; each statement is given an id before
 * its first post and keeps it through the retries, so a post whose answer was lost is stored once (the server
 * answers a known id as a duplicate). "interacted" statements (every click) are not sent: progress never depends
 * on them. Saved state is posted to data-user-data-url (H5P's contentUserData protocol, form-encoded).
 */
(function () {
  'use strict';

  if (window.ieaH5PPlayer) {
    return;
  }
  window.ieaH5PPlayer = {};

  var INTERACTED = 'http://adlnet.gov/expapi/verbs/interacted';
  // What browsers report as the origin of a document sandboxed without allow-same-origin.
  var SANDBOXED_ORIGIN = 'null';
  var MAX_TRIES = 6;
  var MAX_HEIGHT = 20000;
  var queue = [];
  var sending = false;

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

  function post(url, options, attempt) {
    return fetch(url, options).then(
      function (response) {
        var retry = response.status === 429 || response.status >= 500;
        if (retry && attempt < MAX_TRIES) {
          var after = Number(response.headers.get('Retry-After')) || Math.pow(2, attempt);
          return wait(Math.min(after, 60) * 1000).then(function () {
            return post(url, options, attempt + 1);
          });
        }
        return response;
      },
      function () {
        if (attempt < MAX_TRIES) {
          return wait(Math.pow(2, attempt) * 1000).then(function () {
            return post(url, options, attempt + 1);
          });
        }
        return null;
      }
    );
  }

  function sendStatement(item) {
    var el = item.element;
    return post(
      el.dataset.xapiUrl,
      {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': el.dataset.csrfToken },
        body: JSON.stringify({
          module_id: Number(el.dataset.moduleId),
          package_id: Number(el.dataset.packageId),
          statement: item.statement
        })
      },
      0
    ).then(function (response) {
      if (response) {
        el.dispatchEvent(new CustomEvent('h5p:statement-sent', { detail: { status: response.status } }));
      }
    });
  }

  function drain() {
    if (sending || !queue.length) {
      return;
    }
    sending = true;
    sendStatement(queue.shift()).then(function () {
      sending = false;
      drain();
    });
  }

  function isOwnActivity(el, statement) {
    var objectId = statement && statement.object && statement.object.id;
    return typeof objectId === 'string' && objectId.split('?')[0] === el.dataset.activityIri;
  }

  function saveState(el, message) {
    var key = /^[\w-]{1,64}$/;
    if (!key.test(message.dataType) || !key.test(message.subContentId) || typeof message.data !== 'string') {
      return;
    }
    var body = new URLSearchParams();
    body.set('data', message.data);
    var url =
      el.dataset.userDataUrl +
      '?dataType=' +
      encodeURIComponent(message.dataType) +
      '&subContentId=' +
      encodeURIComponent(message.subContentId);
    post(url, { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRFToken': el.dataset.csrfToken }, body: body }, 0);
  }

  function show(el, state) {
    el.setAttribute('data-h5p-state', state);
    el.querySelector('[data-h5p-loading]').hidden = true;
    el.querySelector('[data-h5p-failed]').hidden = state !== 'failed';
  }

  function receive(el, frame, message) {
    if (message.kind === 'statement') {
      var statement = message.statement;
      if (!statement || !statement.verb || statement.verb.id === INTERACTED || !isOwnActivity(el, statement)) {
        return;
      }
      if (!el.dataset.xapiUrl) {
        return;
      }
      statement.id = statement.id || statementId();
      queue.push({ element: el, statement: statement });
      drain();
    } else if (message.kind === 'state') {
      saveState(el, message);
    } else if (message.kind === 'height') {
      var height = Number(message.height);
      if (height > 0 && height < MAX_HEIGHT) {
        frame.style.height = height + 'px';
      }
    } else if (message.kind === 'ready') {
      show(el, 'ready');
    } else if (message.kind === 'failed') {
      show(el, 'failed');
      if (window.console) {
        window.console.error('H5P player failed to start', message.reason);
      }
    }
  }

  function start() {
    var players = Array.prototype.slice.call(document.querySelectorAll('[data-h5p-player]'));
    var frames = players.map(function (el) {
      return el.querySelector('iframe[data-h5p-frame]');
    });
    window.addEventListener('message', function (event) {
      var data = event.data;
      if (event.origin !== SANDBOXED_ORIGIN || !data || data.ieaH5P !== 1) {
        return;
      }
      for (var i = 0; i < frames.length; i++) {
        if (frames[i] && event.source === frames[i].contentWindow) {
          receive(players[i], frames[i], data);
          return;
        }
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
