/*
 * The page side of every SCORM player (templates/courses/blocks/scorm_block.html). The run-time frame on the
 * content origin (static/courses/js/scorm-frame.js) hands us each commit of a SCO's CMI data with postMessage; we
 * accept a message only from that frame's window and the content origin, and post it to the commit endpoint with
 * the CSRF token the frame never sees. Commits go one at a time, in order; a 429 or a network/server error is
 * retried with back-off.
 */
(function () {
  'use strict';

  if (window.ieaScormPlayer) {
    return;
  }
  window.ieaScormPlayer = {};
  var MAX_TRIES = 6;
  var queue = Promise.resolve();

  function wait(milliseconds) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, milliseconds);
    });
  }

  function post(el, body, attempt) {
    return fetch(el.dataset.commitUrl, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: body.length < 60000,
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': el.dataset.csrfToken },
      body: body,
    }).then(
      function (response) {
        if ((response.status === 429 || response.status >= 500) && attempt < MAX_TRIES) {
          return wait(Math.pow(2, attempt) * 1000).then(function () {
            return post(el, body, attempt + 1);
          });
        }
        return response;
      },
      function () {
        if (attempt < MAX_TRIES) {
          return wait(Math.pow(2, attempt) * 1000).then(function () {
            return post(el, body, attempt + 1);
          });
        }
        return null;
      }
    );
  }

  window.addEventListener('message', function (event) {
    var players = document.querySelectorAll('[data-scorm-player]');
    Array.prototype.forEach.call(players, function (el) {
      var frame = el.querySelector('[data-scorm-frame]');
      if (!frame || event.source !== frame.contentWindow || event.origin !== el.dataset.frameOrigin) {
        return;
      }
      var data = event.data;
      if (!data || data.type !== 'scorm:commit' || typeof data.sco !== 'string') {
        return;
      }
      var body = JSON.stringify({
        module_id: Number(el.dataset.moduleId),
        package_id: Number(el.dataset.packageId),
        sco: data.sco,
        attempt: data.attempt,
        cmi: data.cmi,
      });
      queue = queue.then(function () {
        return post(el, body, 0).then(function (response) {
          var failed = !response || !response.ok;
          el.querySelector('[data-scorm-failed]').hidden = !failed;
          el.dataset.lastCommit = failed ? 'failed' : 'stored';
        });
      });
    });
  });
})();
