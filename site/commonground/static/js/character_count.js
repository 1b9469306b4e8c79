// A live count of the characters left in a length-limited field (GOV.UK's character count
// pattern). Without this script the hint states the limit and the server refuses longer
// text with a message, keeping it: nothing is ever cut. The field is never stopped at the
// limit either: the count says how many characters are too many.
//
// Each field with data-character-count="<limit>" gets a visible count under it (hidden from
// screen readers, which would read every keystroke) and a polite live region that says the
// same once typing pauses. The messages come from the page in its language
// (data-count-remaining-one/-other, data-count-over-one/-other, "%(count)s" for the number),
// the form chosen by the language's plural rules. data-count-threshold (a percentage) keeps
// the count out of sight until the text reaches that share of the limit.
(function () {
  "use strict";
  var fields = document.querySelectorAll("[data-character-count]");
  if (!fields.length) return;
  var lang = document.documentElement.lang || "en";
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  var number = window.Intl ? new Intl.NumberFormat(lang) : null;

  // As the server counts: characters, not UTF-16 units, and a line break in a multi-line
  // field as the two characters a browser sends.
  function length(field) {
    var value = field.value;
    if (field.tagName === "TEXTAREA" && !field.hasAttribute("data-count-single-line")) {
      value = value.replace(/\r?\n/g, "\r\n");
    }
    return Array.from(value).length;
  }

  function message(field, over, count) {
    var kind = over ? "over" : "remaining";
    var form = plural && plural.select(count) === "one" ? "one" : "other";
    var text = field.getAttribute("data-count-" + kind + "-" + form) || "";
    return text.replace("%(count)s", number ? number.format(count) : String(count));
  }

  fields.forEach(function (field) {
    var limit = parseInt(field.getAttribute("data-character-count"), 10);
    var threshold = parseInt(field.getAttribute("data-count-threshold") || "0", 10);
    if (!(limit > 0)) return;
    var shown = document.createElement("div");
    shown.className = "character-count";
    shown.id = field.id + "_count";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);
    var timer = null;

    function update(announce) {
      var used = length(field);
      var over = used > limit;
      var text = message(field, over, Math.abs(limit - used));
      var visible = used * 100 >= limit * threshold;
      shown.textContent = visible ? text : "";
      shown.classList.toggle("character-count--over", over);
      field.classList.toggle("field__input--over", over);
      window.clearTimeout(timer);
      if (announce && visible) {
        timer = window.setTimeout(function () { spoken.textContent = text; }, 1000);
      }
    }

    field.addEventListener("input", function () { update(true); });
    update(false);
  });
})();
