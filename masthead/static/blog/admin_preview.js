// Live Markdown preview in the post admin. The server renders and sanitises (the same
// code that runs on save), so what the editor sees is exactly what readers will get.
// The admin loads form media in <head>, so wait for the form to exist.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var body = document.getElementById("id_body");
  if (!body) return;
  var form = body.form;
  var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  var url = window.location.pathname.replace(/(\/add|\/\d+\/change)\/?$/, "/preview/");
  var panel = document.createElement("section");
  panel.className = "md-preview";
  panel.setAttribute("aria-live", "polite");
  var heading = document.createElement("h3");
  heading.textContent = "Preview";
  var meta = document.createElement("p");
  meta.className = "md-preview__meta";
  var out = document.createElement("div");
  out.className = "md-preview__body";
  panel.append(heading, meta, out);
  body.insertAdjacentElement("afterend", panel);
  var timer = null;
  var seq = 0;

  var maxBytes = Number(body.dataset.maxBytes) || Infinity;

  function refresh() {
    var mine = ++seq;
    var size = new Blob([body.value]).size;
    if (size > maxBytes) {
      // The server refuses it too (413); saying so here spares a request per keystroke.
      meta.textContent = "The text is " + size.toLocaleString("en") + " bytes; the limit is " +
        maxBytes.toLocaleString("en") + " bytes. Split it into shorter posts.";
      return;
    }
    var data = new FormData();
    data.append("body", body.value);
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) { return response.json(); })
      .then(function (json) {
        if (mine !== seq) return;
        if (json.error) { meta.textContent = json.error.message; return; }
        meta.textContent = json.reading_time + " min read · " + json.toc.length + " sections";
        out.innerHTML = json.html; // sanitised by the server's allow-list
      })
      .catch(function () { meta.textContent = "Preview unavailable."; });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  refresh();
});
