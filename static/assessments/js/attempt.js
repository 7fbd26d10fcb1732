// Saves the attempt form on the server as the learner answers, and counts down the time left. Without this file
// the form's own buttons save and submit: nothing here is needed to take a quiz.
(function () {
  "use strict";
  var form = document.querySelector("form[data-save-url]");
  if (!form) return;
  var status = document.querySelector("[data-quiz-save-status]");
  var pending = null;

  function save() {
    pending = null;
    fetch(form.dataset.saveUrl, {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (reply) {
          if (reply.saved) {
            status.textContent = status.dataset.savedText || "✓";
          } else if (reply.review_url) {
            window.location.assign(reply.review_url);
          }
        });
      })
      .catch(function () { status.textContent = "…"; });
  }

  function later(delay) {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function () { later(200); });
  form.addEventListener("input", function () { later(1500); });

  var timer = document.querySelector("[data-quiz-timer]");
  if (timer) {
    var left = parseInt(timer.dataset.secondsLeft, 10);
    var countdown = timer.querySelector("[data-quiz-countdown]");
    var end = Date.now() + left * 1000;
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      countdown.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (seconds === 0) {
        window.location.reload();
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
