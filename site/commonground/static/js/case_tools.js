/* The case page's share, cite and print buttons. Without this script the page shows the
   permanent address as a link and the citation as text to select; the buttons stay hidden. */
(function () {
  "use strict";
  var status = document.querySelector(".case-tools__status");

  function say(message) {
    if (!status) return;
    status.textContent = "";
    // A fresh text node, so screen readers announce a repeated message again.
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function copyBySelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    field.remove();
    return copied;
  }

  function copy(text, done) {
    var failed = status ? status.getAttribute("data-copy-failed") : "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(done); },
        function () { say(copyBySelection(text) ? done : failed); }
      );
    } else {
      say(copyBySelection(text) ? done : failed);
    }
  }

  document.querySelectorAll("[data-copy-text], [data-copy-from]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var from = button.getAttribute("data-copy-from");
      var text = from ? document.getElementById(from).value : button.getAttribute("data-copy-text");
      copy(text, button.getAttribute("data-copied"));
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
