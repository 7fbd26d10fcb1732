/*
 * The SCORM run-time frame (templates/courses/scorm_frame.html), on the content origin (courses/scorm/player.py).
 * It creates scorm-again's API object (window.API for SCORM 1.2, window.API_1484_11 for 2004) for one SCO at a
 * time, restores the SCO's saved data (bookmark, suspend data, status) before the SCO starts, and loads the SCO in
 * its own frame, where the SCO finds the API in window.parent. It never talks to the server: every commit (and
 * the finish) is handed to the page with postMessage, to the site's origin only; the page posts it with CSRF.
 * Navigation between SCOs: the table of contents, Previous and Next; a SCO is finished before the next starts.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('scorm-frame-config').textContent);
  var is2004 = config.version !== '1.2';
  var frame = document.querySelector('[data-sco-frame]');
  var current = null; // the SCO playing: its API object and what was sent of it
  var switching = false;

  function send(sco, cmi) {
    window.parent.postMessage(
      {
        type: 'scorm:commit',
        moduleId: config.moduleId,
        packageId: config.packageId,
        sco: sco.identifier,
        attempt: sco.attempt,
        cmi: cmi,
      },
      config.parentOrigin
    );
  }

  // A SCO that did not call LMSFinish/Terminate when it is left is finished by the run-time, so that what it set
  // is committed with what the run-time adds at the finish (a 1.2 SCO that set no status is "completed", the
  // total time): the API's finish call commits it through the SCO's own "terminate" listener.
  function finish(session) {
    if (session && session.api.isInitialized()) {
      if (is2004) {
        session.api.Terminate('');
      } else {
        session.api.LMSFinish('');
      }
    }
  }

  // Leaving a SCO unloads it first (about:blank), as closing it would: its own unload handlers finish it and
  // commit what they set last, while it still holds the current API object. Only then does the next SCO start.
  function leave(then) {
    var session = current;
    if (!session) {
      then();
      return;
    }
    var done = false;
    var unloaded = function () {
      if (done) {
        return;
      }
      done = true;
      window.clearTimeout(fallback);
      frame.removeEventListener('load', unloaded);
      finish(session);
      then();
    };
    // Should the blank page's load never be reported, the learner is not left stuck on the SCO.
    var fallback = window.setTimeout(unloaded, 5000);
    frame.addEventListener('load', unloaded);
    frame.src = 'about:blank';
  }

  function launch(index) {
    var sco = config.scos[index];
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5, mastery_override: false };
    var session = {
      index: index,
      sco: sco,
      api: is2004 ? new window.Scorm2004API(settings) : new window.Scorm12API(settings),
      ended: false,
      pending: null,
    };
    session.api.loadFromJSON(sco.resume, 'cmi');
    var commit = function () {
      window.clearTimeout(session.pending);
      if (!session.ended) {
        send(sco, session.api.renderCommitCMI(false));
      }
    };
    // Many SCOs commit only when they finish, which a learner closing the tab may never let happen: what a SCO
    // sets is also sent a second after it stops setting values.
    var changed = function () {
      window.clearTimeout(session.pending);
      session.pending = window.setTimeout(commit, 1000);
    };
    var terminate = function () {
      window.clearTimeout(session.pending);
      if (session.ended) {
        return;
      }
      session.ended = true;
      var cmi = session.api.renderCommitCMI(true);
      // SCORM 1.2: a SCO that finishes without ever setting its lesson status is "completed" (what the minimum
      // run-time calls rely on); scorm-again counts its own default "not attempted" as set by the SCO.
      if (!is2004 && cmi.cmi.core.lesson_status === 'not attempted') {
        cmi.cmi.core.lesson_status = 'completed';
      }
      send(sco, cmi);
      // A SCO finished with nothing to resume is launched afresh, as a new attempt, should the learner return to it
      // in this visit (the server's rule: tracking.attempt_to_resume).
      var data = cmi.cmi;
      var finished = is2004
        ? data.completion_status === 'completed' || data.success_status === 'passed'
        : ['passed', 'completed', 'failed'].indexOf(data.core.lesson_status) >= 0;
      if (finished && !data.suspend_data) {
        sco.attempt += 1;
        sco.resume = sco.fresh;
      }
    };
    if (is2004) {
      session.api.on('Commit', commit);
      session.api.on('SetValue.cmi.*', changed);
      session.api.on('Terminate', terminate);
      window.API_1484_11 = session.api;
    } else {
      session.api.on('LMSCommit', commit);
      session.api.on('LMSSetValue.cmi.*', changed);
      session.api.on('LMSFinish', terminate);
      window.API = session.api;
    }
    current = session;
    document.querySelectorAll('[data-sco]').forEach(function (button) {
      button.setAttribute('aria-current', button.dataset.sco === sco.identifier ? 'true' : 'false');
    });
    frame.setAttribute('title', sco.title);
    frame.src = sco.url;
  }

  function go(index) {
    if (index < 0 || index >= config.scos.length || switching) {
      return;
    }
    switching = true;
    leave(function () {
      switching = false;
      launch(index);
    });
  }

  document.querySelectorAll('[data-sco]').forEach(function (button) {
    button.addEventListener('click', function () {
      var index = config.scos.findIndex(function (sco) {
        return sco.identifier === button.dataset.sco;
      });
      go(index);
    });
  });
  var previous = document.querySelector('[data-previous]');
  var next = document.querySelector('[data-next]');
  if (previous) {
    previous.addEventListener('click', function () {
      go(current.index - 1);
    });
  }
  if (next) {
    next.addEventListener('click', function () {
      go(current.index + 1);
    });
  }
  window.addEventListener('pagehide', function () {
    finish(current);
  });
  // Start where the learner is: the first SCO not completed yet, else the first.
  var start = config.scos.findIndex(function (sco) {
    return !sco.completed;
  });
  launch(start < 0 ? 0 : start);
})();
