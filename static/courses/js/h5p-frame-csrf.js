/*
 * Loaded inside each H5P player's iframe (h5p-standalone's customJs). H5P core saves the learner's state
 * with jQuery POSTs that know nothing of Django's CSRF protection: this adds the page's token to every
 * same-origin request that changes something.
 */
(function () {
  'use strict';

  var frame = window.frameElement;
  var host = frame && frame.closest ? frame.closest('[data-h5p-player]') : null;
  var token = host ? host.getAttribute('data-csrf-token') : '';
  if (!token || !window.H5P || !window.H5P.jQuery) {
    return;
  }
  window.H5P.jQuery.ajaxPrefilter(function (options, original, xhr) {
    if (!/^(GET|HEAD|OPTIONS|TRACE)$/i.test(options.type) && !options.crossDomain) {
      xhr.setRequestHeader('X-CSRFToken', token);
    }
  });
})();
