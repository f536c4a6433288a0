// Fills the post page's comments section from the list endpoint. The post page itself is
// cached for visitors; the list is fetched per reader (visitors get a cached copy).
(function () {
  "use strict";
  var section = document.querySelector("[data-comments-src]");
  if (!section || !window.fetch) return;
  var body = section.querySelector("[data-comments-body]");
  fetch(section.getAttribute("data-comments-src"), {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  })
    .then(function (response) {
      if (!response.ok) throw new Error("comments " + response.status);
      return response.text();
    })
    .then(function (html) {
      body.innerHTML = html;
      section.setAttribute("data-comments-loaded", "");
      var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
      if (target && section.contains(target)) target.scrollIntoView();
    })
    .catch(function () {
      // keep the link to the comments page that is already there
    });
})();
