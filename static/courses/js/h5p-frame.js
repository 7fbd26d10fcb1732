/*
 * The player frame's own script (templates/courses/h5p_frame.html), on the content origin inside a frame
 * sandboxed without allow-same-origin. It boots h5p-standalone with the options the server wrote into
 * #h5p-frame-config and hands the page everything that must reach the server, with postMessage to the page's
 * origin only: xAPI statements, saved state (from h5p-frame-relay.js, loaded into H5P's own iframe), the height
 * the content needs, and whether it started. The frame holds no CSRF token and no cookie: the page decides what
 * to post (static/courses/js/h5p-player.js).
 */
(function () {
  'use strict';

  var INTERACTED = 'http://adlnet.gov/expapi/verbs/interacted';
  // Only saves and restores pass through this URL; h5p-frame-relay.js answers them without a request.
  var STATE_URL = 'iea-relay:state?contentId=:contentId&dataType=:dataType&subContentId=:subContentId';
  var config = JSON.parse(document.getElementById('h5p-frame-config').textContent);

  function send(message) {
    message.ieaH5P = 1;
    window.parent.postMessage(message, config.parentOrigin);
  }

  // h5p-frame-relay.js, running in H5P's iframe (same sandboxed origin as this document), reaches us here.
  window.ieaH5PFrame = { send: send, stateUrl: STATE_URL };

  function reportHeight() {
    send({ kind: 'height', height: Math.ceil(document.documentElement.scrollHeight) });
  }

  function listen() {
    if (!window.H5P || !window.H5P.externalDispatcher) {
      return;
    }
    window.H5P.externalDispatcher.on('xAPI', function (event) {
      var statement = event && event.data && event.data.statement;
      if (!statement || !statement.verb || statement.verb.id === INTERACTED) {
        return;
      }
      send({ kind: 'statement', statement: JSON.parse(JSON.stringify(statement)) });
    });
  }

  var options = {
    h5pJsonPath: config.h5pJsonPath,
    frameJs: config.frameJs,
    frameCss: config.frameCss,
    customJs: [config.relayJs],
    xAPIObjectIRI: config.activityIri,
    fullScreen: true,
    frame: false,
    copyright: false,
    export: false,
    embed: false,
    icon: false,
    saveFreq: 10,
    ajax: { contentUserDataUrl: STATE_URL },
    // H5P saves state only for a known user. The package is not told who the learner is: the server knows.
    user: { name: 'learner', mail: 'learner@users.invalid' }
  };
  if (config.savedState) {
    // Handed over with the frame: H5P starts the content before a state request could answer.
    options.contentUserData = [{ state: config.savedState }];
  }

  if (window.ResizeObserver) {
    new window.ResizeObserver(reportHeight).observe(document.documentElement);
  }
  new window.H5PStandalone.H5P(document.querySelector('[data-h5p-container]'), options).then(
    function () {
      listen();
      send({ kind: 'ready' });
      reportHeight();
    },
    function (error) {
      send({ kind: 'failed', reason: String(error && error.message ? error.message : error) });
    }
  );
})();
