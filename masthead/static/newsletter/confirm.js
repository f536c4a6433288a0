// One click from the email: opening the confirmation page confirms (docs/decisions/0307).
// The page POSTs its own form once; a GET alone changes nothing, so link scanners that
// fetch without running scripts confirm nobody. Without JavaScript the button remains.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-confirm]");
  if (!form) return;  // confirming twice changes nothing, so no guard is needed
  document.querySelector("[data-confirming]").hidden = false;
  document.querySelector("[data-confirm-fallback]").hidden = true;
  form.hidden = true;
  form.submit();
})();
