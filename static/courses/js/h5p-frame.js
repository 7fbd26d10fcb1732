/*
 * The player frame's own script (templates/courses/h5p_frame.html), on the content origin inside a frame
 * sandboxed without allow-same-origin. It boots h5p-standalone with the options the server wrote into
 * #h5p-frame-config and hands the page, with postMessage to the page's origin only, the height the content needs
 * and whether it started; h5p-frame-relay.js hands it xAPI statements and saved state through ieaH5PFrame.send. The frame holds no CSRF token and no cookie: the page decides what
 * to post (static/courses/js/h5p-player.js).
 */
(function () {
  'use strict';

  // Only saves and restores pass through this URL; h5p-frame-relay.js answers them without a request.
  var STATE_URL = 'iea-relay:state?contentId=:contentId&dataType=:dataType&subContentId=:subContentId';
  var config = JSON.parse(document.getElementById('h5p-frame-config').textContent);

  function send(message) {
    message.ieaH5P = 1;
    window.parent.postMessage(message, config.parentOrigin);
  }

  // The sandbox gives this document no storage, and H5P core reads localStorage (its clipboard, the request
  // queue) without guarding every access: it gets a store that lives as long as the frame.
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) {
        return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null;
      },
      setItem: function (key, value) {
        items[key] = String(value);
      },
      removeItem: function (key) {
        delete items[key];
      },
      clear: function () {
        items = {};
      },
      key: function (index) {
        return Object.keys(items)[index] || null;
      },
      get length() {
        return Object.keys(items).length;
      }
    };
  }
  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      if (window[name]) {
        return;
      }
    } catch (denied) {
      Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
    }
  });

  // h5p-frame-relay.js, loaded with the content's scripts, reaches us here.
  window.ieaH5PFrame = { send: send, stateUrl: STATE_URL };

  function reportHeight() {
    send({ kind: 'height', height: Math.ceil(document.documentElement.scrollHeight) });
  }

  var options = {
    // The content runs in this document: it is already the isolated frame H5P's own iframe would be, and a
    // document sandboxed without allow-same-origin could not reach into an about:blank iframe of its own.
    embedType: 'div',
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
      send({ kind: 'ready' });
      reportHeight();
    },
    function (error) {
      send({ kind: 'failed', reason: String(error && error.message ? error.message : error) });
    }
  );
})();
