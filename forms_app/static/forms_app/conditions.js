/*
 * Conditional display in the browser: a mirror of forms_app/conditions.py.
 *
 * Fields and sections carry their condition in data attributes; this script
 * shows or hides them as answers change. The server stays the authority: it
 * re-evaluates every condition and ignores answers of hidden fields, so a
 * browser without JavaScript simply sees every question.
 */
(function () {
  "use strict";

  // conditions.py compares folded text: NFC, single spaces, lower case, no
  // diacritics, "đ" typed as "d".
  function fold(value) {
    return String(value)
      .normalize("NFC")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/đ/g, "d");
  }

  function isEmpty(answer) {
    if (answer === null || answer === undefined || answer === "") return true;
    if (Array.isArray(answer)) return answer.length === 0;
    if (typeof answer === "object") return Object.keys(answer).length === 0;
    return false;
  }

  function toNumber(value) {
    var text = String(value).trim();
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : null;
  }

  function conditionMet(condition, answers) {
    var key = condition && condition.field_key;
    if (!key) return true;
    var answer = answers[key];
    if (isEmpty(answer)) return false;
    var operator = condition.operator || "equals";
    var expected = String(condition.value || "").trim();
    if (typeof answer === "boolean") answer = answer ? "yes" : "no";

    if (operator === "equals") {
      if (Array.isArray(answer)) return answer.length === 1 && answer[0] === expected;
      return fold(answer) === fold(expected);
    }
    if (operator === "one_of") {
      var options = expected.split(",").filter(function (item) {
        return item.trim();
      }).map(fold);
      if (Array.isArray(answer)) {
        return answer.some(function (item) { return options.indexOf(fold(item)) >= 0; });
      }
      return options.indexOf(fold(answer)) >= 0;
    }
    if (operator === "contains") {
      if (Array.isArray(answer)) return answer.map(fold).indexOf(fold(expected)) >= 0;
      return fold(answer).indexOf(fold(expected)) >= 0;
    }
    if (operator === "at_least") {
      var got = toNumber(answer);
      var floor = toNumber(expected);
      if (got !== null && floor !== null) return got >= floor;
      return String(answer) >= expected; // ISO dates and times compare as text
    }
    return false;
  }

  function parse(text) {
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  // The answer a block's inputs hold now, shaped as the server stores it.
  function answerOf(block) {
    var inputs = block.querySelectorAll("input[data-key], select[data-key], textarea[data-key]");
    if (block.hasAttribute("data-matrix")) {
      var scores = {};
      inputs.forEach(function (input) {
        if (input.checked) scores[input.name.split("__").pop()] = input.value;
      });
      return scores;
    }
    var values = [];
    var multiple = false;
    inputs.forEach(function (input) {
      if (input.type === "checkbox") {
        multiple = true;
        if (input.checked) values.push(input.value);
      } else if (input.type === "radio") {
        if (input.checked) values.push(input.value);
      } else if (input.type === "file") {
        if (input.files && input.files.length) values.push(input.files[0].name);
      } else if (input.value.trim() !== "") {
        values.push(input.value);
      }
    });
    return multiple ? values : values[0];
  }

  function setVisible(block, visible) {
    block.hidden = !visible;
    block.querySelectorAll("input, select, textarea").forEach(function (input) {
      // Hidden questions are not posted; the server would ignore them anyway.
      input.disabled = !visible;
    });
  }

  function refresh(form, prior) {
    var answers = Object.assign({}, prior);
    var blocks = form.querySelectorAll(
      "[data-field], [data-condition], [data-section-condition]"
    );
    blocks.forEach(function (block) {
      var visible =
        conditionMet(parse(block.getAttribute("data-section-condition")), answers) &&
        conditionMet(parse(block.getAttribute("data-condition")), answers);
      setVisible(block, visible);
      var key = block.getAttribute("data-field");
      if (key) {
        // Page order, as on the server: a hidden question answers nothing, so a
        // condition on it hides the questions that follow from it too.
        if (visible) answers[key] = answerOf(block);
        else delete answers[key];
      }
    });
  }

  function start() {
    var priorScript = document.getElementById("dlxh-prior-answers");
    var prior = (priorScript && parse(priorScript.textContent)) || {};
    document.querySelectorAll("form[data-dlxh-form]").forEach(function (form) {
      refresh(form, prior);
      form.addEventListener("input", function () { refresh(form, prior); });
      form.addEventListener("change", function () { refresh(form, prior); });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.dlxhConditions = { conditionMet: conditionMet, fold: fold };
})();
