/*
 * Loaded with the content's own scripts in the player frame (h5p-standalone's customJs), after H5P core and
 * before the content starts, so no statement is missed (H5P's "attempted" comes at the start). It hands the page,
 * through the frame document (h5p-frame.js), every xAPI statement but "interacted" (every click; progress never
 * depends on them) and every save of the learner's state. H5P core saves and loads state with jQuery requests to
 * ajax.contentUserData; in the sandboxed frame those would carry no session, so this answers them itself. Loads
 * are answered "nothing saved": the saved state came with the frame.
 */
(function () {
  'use strict';

  var INTERACTED = 'http://adlnet.gov/expapi/verbs/interacted';
  var frame = window.ieaH5PFrame;
  if (!frame || !window.H5P || !window.H5P.jQuery || !window.H5P.externalDispatcher) {
    return;
  }

  window.H5P.externalDispatcher.on('xAPI', function (event) {
    var statement = event && event.data && event.data.statement;
    if (!statement || !statement.verb || statement.verb.id === INTERACTED) {
      return;
    }
    frame.send({ kind: 'statement', statement: JSON.parse(JSON.stringify(statement)) });
  });
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
