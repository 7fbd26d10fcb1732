/*
 * IEA.Quiz 1.0: IE Academy's own multiple-choice quiz for H5P players (MIT licence).
 *
 * Parameters (content.json):
 *   title, intro, introTranslation, passPercentage (0-100), lang (of the main text, e.g. "zh-Hant"),
 *   translationLang (e.g. "en"), l10n {check, retry, correct, incorrect, result, passed, failed,
 *   questionLabel, chooseOne, chooseAll, noAnswer},
 *   questions [{id, text, translation, answers [{text, translation, correct, feedback}]}]
 *
 * A question with one correct answer shows radio buttons, otherwise checkboxes. A question scores 1 when the
 * chosen set equals the correct set. xAPI: "answered" per question (object id "<content>?subContentId=<id>",
 * response = chosen answer indexes joined by "[,]"), then "completed" for the quiz once every question is
 * checked (response = "<id>[.]<choices>" per question joined by "[;]"). getCurrentState() feeds H5P's resume.
 * Text is always inserted as text, never as HTML.
 */
(function (H5P) {
  'use strict';

  var IEA = (window.IEA = window.IEA || {});
  var RESPONSE_SEPARATOR = '[,]';
  var QUESTION_SEPARATOR = '[;]';
  var ANSWER_SEPARATOR = '[.]';
  var instanceCount = 0;

  var DEFAULT_L10N = {
    check: 'Check',
    retry: 'Try again',
    correct: 'Correct',
    incorrect: 'Not quite',
    result: 'You scored @score out of @total.',
    passed: 'Well done: you passed.',
    failed: 'Review the module and try again.',
    questionLabel: 'Question @n of @total',
    chooseOne: 'Choose one answer.',
    chooseAll: 'Choose every correct answer.',
    noAnswer: 'Choose an answer first.'
  };

  function element(tag, className, text, attributes) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function bilingual(tag, className, text, translation, lang, translationLang) {
    var node = element(tag, className);
    node.appendChild(element('span', 'iea-quiz__text', text, lang ? { lang: lang } : {}));
    if (translation) {
      node.appendChild(
        element('span', 'iea-quiz__translation', translation, translationLang ? { lang: translationLang } : {})
      );
    }
    return node;
  }

  /** The template with every @name replaced (a bilingual text names each value twice). */
  function fill(template, values) {
    return Object.keys(values).reduce(function (text, name) {
      return text.split('@' + name).join(String(values[name]));
    }, template);
  }

  function correctIndexes(question) {
    var indexes = [];
    (question.answers || []).forEach(function (answer, index) {
      if (answer.correct === true) {
        indexes.push(index);
      }
    });
    return indexes;
  }

  function sameSet(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    return a.every(function (value) {
      return b.indexOf(value) !== -1;
    });
  }

  /**
   * @param {Object} params content.json
   * @param {string|number} contentId
   * @param {Object} [extras] {previousState, metadata, ...} from H5P.newRunnable
   */
  function Quiz(params, contentId, extras) {
    H5P.EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.extras = extras || {};
    this.l10n = {};
    var given = this.params.l10n || {};
    var self = this;
    Object.keys(DEFAULT_L10N).forEach(function (key) {
      self.l10n[key] = typeof given[key] === 'string' ? given[key] : DEFAULT_L10N[key];
    });
    this.questions = (this.params.questions || []).filter(function (question) {
      return question && typeof question.id === 'string' && Array.isArray(question.answers);
    });
    this.uid = 'iea-quiz-' + ++instanceCount;
    this.restore(this.extras.previousState);
  }

  Quiz.prototype = Object.create(H5P.EventDispatcher.prototype);
  Quiz.prototype.constructor = Quiz;

  Quiz.prototype.restore = function (state) {
    this.chosen = {};
    this.checked = {};
    this.completedSent = false;
    if (!state || typeof state !== 'object') {
      return;
    }
    var self = this;
    this.questions.forEach(function (question) {
      var saved = state.chosen && state.chosen[question.id];
      if (Array.isArray(saved)) {
        self.chosen[question.id] = saved.filter(function (index) {
          return typeof index === 'number' && index >= 0 && index < question.answers.length;
        });
      }
      if (state.checked && state.checked[question.id] === true) {
        self.checked[question.id] = true;
      }
    });
    this.completedSent = state.completedSent === true;
  };

  /** What H5P saves for resume (contentUserData "state"). */
  Quiz.prototype.getCurrentState = function () {
    return { chosen: this.chosen, checked: this.checked, completedSent: this.completedSent };
  };

  Quiz.prototype.questionScore = function (question) {
    return sameSet(this.chosen[question.id] || [], correctIndexes(question)) ? 1 : 0;
  };

  Quiz.prototype.getScore = function () {
    var self = this;
    return this.questions.reduce(function (total, question) {
      return total + (self.checked[question.id] ? self.questionScore(question) : 0);
    }, 0);
  };

  Quiz.prototype.getMaxScore = function () {
    return this.questions.length;
  };

  Quiz.prototype.getAnswerGiven = function () {
    var self = this;
    return this.questions.some(function (question) {
      return (self.chosen[question.id] || []).length > 0;
    });
  };

  Quiz.prototype.passed = function () {
    var max = this.getMaxScore();
    var pass = typeof this.params.passPercentage === 'number' ? this.params.passPercentage : 60;
    return max > 0 && (100 * this.getScore()) / max >= pass;
  };

  Quiz.prototype.responseOf = function (question) {
    return (this.chosen[question.id] || [])
      .slice()
      .sort(function (a, b) {
        return a - b;
      })
      .join(RESPONSE_SEPARATOR);
  };

  Quiz.prototype.attach = function ($container) {
    var container = $container && $container.get ? $container.get(0) : $container;
    this.root = element('div', 'iea-quiz');
    container.innerHTML = '';
    container.appendChild(this.root);
    this.render();
    if (typeof this.setActivityStarted === 'function') {
      this.setActivityStarted();
    }
  };

  Quiz.prototype.render = function () {
    var self = this;
    var p = this.params;
    var root = this.root;
    root.textContent = '';
    if (p.title) {
      root.appendChild(bilingual('h2', 'iea-quiz__title', p.title, p.titleTranslation, p.lang, p.translationLang));
    }
    if (p.intro) {
      root.appendChild(bilingual('p', 'iea-quiz__intro', p.intro, p.introTranslation, p.lang, p.translationLang));
    }
    this.questions.forEach(function (question, index) {
      root.appendChild(self.renderQuestion(question, index));
    });
    this.summary = element('div', 'iea-quiz__summary', null, { role: 'status', 'aria-live': 'polite' });
    root.appendChild(this.summary);
    this.renderSummary();
    this.trigger('resize');
  };

  Quiz.prototype.renderQuestion = function (question, index) {
    var self = this;
    var p = this.params;
    var multiple = correctIndexes(question).length !== 1;
    var checked = this.checked[question.id] === true;
    var chosen = this.chosen[question.id] || [];
    var name = this.uid + '-' + question.id;
    var fieldset = element('fieldset', 'iea-quiz__question', null, { 'data-question-id': question.id });
    var legend = element('legend', 'iea-quiz__legend');
    legend.appendChild(
      element(
        'span',
        'iea-quiz__number',
        fill(this.l10n.questionLabel, { n: index + 1, total: this.questions.length })
      )
    );
    legend.appendChild(bilingual('span', 'iea-quiz__prompt', question.text, question.translation, p.lang, p.translationLang));
    fieldset.appendChild(legend);
    var hintId = name + '-hint';
    fieldset.appendChild(element('p', 'iea-quiz__hint', multiple ? this.l10n.chooseAll : this.l10n.chooseOne, { id: hintId }));
    var list = element('ul', 'iea-quiz__answers');
    question.answers.forEach(function (answer, answerIndex) {
      var item = element('li', 'iea-quiz__answer');
      var inputId = name + '-' + answerIndex;
      var input = element('input', null, null, {
        type: multiple ? 'checkbox' : 'radio',
        name: name,
        id: inputId,
        value: String(answerIndex),
        'aria-describedby': hintId
      });
      input.checked = chosen.indexOf(answerIndex) !== -1;
      input.disabled = checked;
      input.addEventListener('change', function () {
        self.choose(question, answerIndex, input.checked, multiple);
      });
      var label = bilingual('label', 'iea-quiz__label', answer.text, answer.translation, p.lang, p.translationLang);
      label.setAttribute('for', inputId);
      item.appendChild(input);
      item.appendChild(label);
      if (checked) {
        var isCorrect = answer.correct === true;
        var wasChosen = chosen.indexOf(answerIndex) !== -1;
        if (wasChosen || isCorrect) {
          item.className += isCorrect ? ' iea-quiz__answer--correct' : ' iea-quiz__answer--wrong';
        }
        if (wasChosen && answer.feedback) {
          item.appendChild(element('p', 'iea-quiz__feedback', answer.feedback));
        }
      }
      list.appendChild(item);
    });
    fieldset.appendChild(list);
    var status = element('p', 'iea-quiz__status', null, { role: 'status', 'aria-live': 'polite' });
    if (checked) {
      var right = this.questionScore(question) === 1;
      status.textContent = right ? this.l10n.correct : this.l10n.incorrect;
      status.className += right ? ' iea-quiz__status--correct' : ' iea-quiz__status--wrong';
    }
    fieldset.appendChild(status);
    if (!checked) {
      var button = element('button', 'iea-quiz__button', this.l10n.check, { type: 'button' });
      button.addEventListener('click', function () {
        if (!(self.chosen[question.id] || []).length) {
          status.textContent = self.l10n.noAnswer;
          return;
        }
        self.check(question);
      });
      fieldset.appendChild(button);
    }
    return fieldset;
  };

  Quiz.prototype.choose = function (question, answerIndex, selected, multiple) {
    var current = multiple ? (this.chosen[question.id] || []).slice() : [];
    var at = current.indexOf(answerIndex);
    if (selected && at === -1) {
      current.push(answerIndex);
    }
    if (!selected && at !== -1) {
      current.splice(at, 1);
    }
    this.chosen[question.id] = current;
    if (typeof this.triggerXAPI === 'function') {
      this.triggerXAPI('interacted');
    }
  };

  Quiz.prototype.check = function (question) {
    this.checked[question.id] = true;
    this.sendAnswered(question);
    var index = this.questions.indexOf(question);
    var old = this.root.querySelector('[data-question-id="' + CSS.escape(question.id) + '"]');
    var replacement = this.renderQuestion(question, index);
    old.parentNode.replaceChild(replacement, old);
    var status = replacement.querySelector('.iea-quiz__status');
    status.setAttribute('tabindex', '-1');
    status.focus();
    var self = this;
    var allChecked = this.questions.every(function (q) {
      return self.checked[q.id] === true;
    });
    if (allChecked && !this.completedSent) {
      this.completedSent = true;
      this.sendCompleted();
    }
    this.renderSummary();
    this.trigger('resize');
  };

  Quiz.prototype.sendAnswered = function (question) {
    var event = this.createXAPIEventTemplate('answered');
    var statement = event.data.statement;
    var base = statement.object.id.split('?')[0];
    statement.object.id = base + '?subContentId=' + encodeURIComponent(question.id);
    statement.object.definition = {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'choice',
      description: { 'en-US': question.translation || question.text },
      choices: question.answers.map(function (answer, index) {
        return { id: String(index), description: { 'en-US': answer.translation || answer.text } };
      }),
      correctResponsesPattern: [correctIndexes(question).join(RESPONSE_SEPARATOR)]
    };
    statement.context = statement.context || {};
    statement.context.contextActivities = statement.context.contextActivities || {};
    statement.context.contextActivities.parent = [{ id: base, objectType: 'Activity' }];
    var score = this.questionScore(question);
    event.setScoredResult(score, 1, this, true, score === 1);
    statement.result.response = this.responseOf(question);
    this.trigger(event);
  };

  Quiz.prototype.sendCompleted = function () {
    var self = this;
    var event = this.createXAPIEventTemplate('completed');
    event.setScoredResult(this.getScore(), this.getMaxScore(), this, true, this.passed());
    event.data.statement.result.response = this.questions
      .map(function (question) {
        return question.id + ANSWER_SEPARATOR + self.responseOf(question);
      })
      .join(QUESTION_SEPARATOR);
    this.trigger(event);
  };

  Quiz.prototype.renderSummary = function () {
    var self = this;
    this.summary.textContent = '';
    var allChecked = this.questions.length > 0 && this.questions.every(function (q) {
      return self.checked[q.id] === true;
    });
    if (!allChecked) {
      return;
    }
    this.summary.appendChild(
      element(
        'p',
        'iea-quiz__result',
        fill(this.l10n.result, { score: this.getScore(), total: this.getMaxScore() })
      )
    );
    this.summary.appendChild(element('p', 'iea-quiz__verdict', this.passed() ? this.l10n.passed : this.l10n.failed));
    var retry = element('button', 'iea-quiz__button iea-quiz__button--retry', this.l10n.retry, { type: 'button' });
    retry.addEventListener('click', function () {
      self.resetTask();
      var first = self.root.querySelector('input');
      if (first) {
        first.focus();
      }
    });
    this.summary.appendChild(retry);
  };

  /** Start over: a new attempt. */
  Quiz.prototype.resetTask = function () {
    this.restore(null);
    this.render();
    if (typeof this.setActivityStarted === 'function') {
      this.activityStartTime = undefined;
      this.setActivityStarted();
    }
  };

  IEA.Quiz = Quiz;
})(H5P);
