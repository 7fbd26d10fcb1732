/*
 * Loaded into H5P's own iframe inside the player frame (h5p-standalone's customJs). H5P core saves and loads the
 * learner's state with jQuery requests to ajax.contentUserData; in the sandboxed frame those would carry no
 * session, so this answers them itself and hands each save to the frame document (h5p-frame.js), which passes it
 * to the page. Loads are answered "nothing saved": the saved state came with the frame.
 */
(function () {
  'use strict';

  var frame = window.ieaH5PFrame || (window.parent && window.parent.ieaH5PFrame);
  if (!frame || !window.H5P || !window.H5P.jQuery) {
    return;
  }
  var prefix = frame.stateUrl.split('?')[0];

  function decode(text) {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  }

  function query(url) {
    var found = {};
    (url.split('?')[1] || '').split('&').forEach(function (pair) {
      var parts = pair.split('=');
      found[decode(parts[0])] = decode(parts[1] || '');
    });
    return found;
  }

  window.H5P.jQuery.ajaxTransport('+*', function (options) {
    if (String(options.url).indexOf(prefix) !== 0) {
      return undefined;
    }
    return {
      send: function (headers, complete) {
        var where = query(options.url);
        if (String(options.type).toUpperCase() === 'POST') {
          var form = query('?' + (options.data || ''));
          frame.send({
            kind: 'state',
            dataType: where.dataType,
            subContentId: where.subContentId,
            data: form.data === undefined ? '' : form.data
          });
          complete(200, 'success', { text: '{"success": true}' });
        } else {
          complete(200, 'success', { text: '{"success": true, "data": false}' });
        }
      },
      abort: function () {}
    };
  });
})();
