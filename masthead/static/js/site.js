// Site-wide progressive enhancements. Pages work without this file.
(function () {
  "use strict";

  function say(button, text) {
    var status = button.closest(".share");
    status = status && status.querySelector(".share__status");
    if (status) status.textContent = text;
  }

  // "Copy link": shown only where the Clipboard API exists.
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy-link")).then(
        function () { say(button, "Link copied."); },
        function () { say(button, "Could not copy the link."); }
      );
    });
  });

  // Web Share API button: shown only when the browser has navigator.share.
  document.querySelectorAll("[data-web-share]").forEach(function (button) {
    if (typeof navigator.share !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator
        .share({ title: button.dataset.title, url: button.dataset.url })
        .catch(function () { /* the reader closed the share sheet */ });
    });
  });

  // Subscribe in place: the newsletter boxes post with fetch and say the answer where the
  // form was. Without JavaScript (or if fetch fails) the form posts as a normal page.
  document.querySelectorAll("form[data-in-place]").forEach(function (form) {
    if (!window.fetch || !window.FormData) return;
    var status = form.parentNode.querySelector(".newsletter-box__status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "omit",
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.ok) {
            form.hidden = true;
            status.classList.add("newsletter-box__done");
            status.textContent = data.message;
          } else {
            status.textContent = data.error.message;
            button.disabled = false;
          }
        })
        .catch(function () { form.submit(); });
    });
  });

  // Highlight the table-of-contents entry for the section being read.
  var links = document.querySelectorAll(".toc__list a");
  if (links.length && "IntersectionObserver" in window) {
    var byId = {};
    links.forEach(function (link) { byId[decodeURIComponent(link.hash.slice(1))] = link; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        links.forEach(function (link) { link.classList.remove("is-active"); });
        var link = byId[entry.target.id];
        if (link) link.classList.add("is-active");
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    Object.keys(byId).forEach(function (id) {
      var heading = document.getElementById(id);
      if (heading) observer.observe(heading);
    });
  }

  // Video embeds: the player (and its requests to the video site) only after a press.
  var PLAYERS = {
    youtube: "https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
    vimeo: "https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"
  };
  document.querySelectorAll(".embed[data-embed]").forEach(function (box) {
    var parts = box.getAttribute("data-embed").split(":");
    var url = PLAYERS[parts[0]];
    var play = box.querySelector(".embed__play");
    if (!url || !play) return;
    play.addEventListener("click", function (event) {
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = url.replace("{id}", encodeURIComponent(parts[1]));
      frame.title = play.textContent;
      frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      box.replaceChildren(frame);
      frame.focus();
    });
  });
})();
