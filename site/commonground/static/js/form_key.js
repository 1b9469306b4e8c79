// The new-contribution form's one-time key (cases/contribute/forms.py, FormKeyField), kept
// through Back. A browser without a back/forward cache for the page fetches the form again
// on Back and puts back what was typed, but the new page carries a new key, so saving again
// would start a second contribution. The key the form was first shown with is kept in this
// history entry's state, which Back returns to, and put back into the form from there.
// Without JavaScript the page comes back from the back/forward cache, key and all, or the
// browser shows a fresh, empty form.
(function () {
  "use strict";
  if (!window.history || !window.history.replaceState) return;
  var input = document.querySelector("input[type=hidden][data-keep-on-back]");
  if (!input) return;
  var state = window.history.state && typeof window.history.state === "object" ? window.history.state : {};
  if (state.formKey) {
    input.value = state.formKey;
  } else {
    var kept = {};
    Object.keys(state).forEach(function (name) { kept[name] = state[name]; });
    kept.formKey = input.value;
    window.history.replaceState(kept, "");
  }
})();
