// Fills the post page's comments section from the list endpoint. The post page itself is
// cached for visitors; the list is one shared copy (visitors, or every member) plus, for a
// signed-in member, a small part of their own: a JSON note of which comments are theirs and
// one of each form, cloned here beside a comment on demand (ADR 0121).
// Every comment form is sent with fetch (the session cookie and the CSRF token as a header,
// as the browser would send the form); the list is then loaded again in place, focus moves
// to the comment concerned and a status line says what happened. Refusals are shown inline.
(function () {
  "use strict";
  var section = document.querySelector("[data-comments-src]");
  if (!section || !window.fetch) return;
  var body = section.querySelector("[data-comments-body]");
  var src = section.getAttribute("data-comments-src");
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.setAttribute("data-comments-status", "");
  section.appendChild(status);
  var reader = null;
  var forms = null;

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function focusOn(el) {
    if (!el) return;
    if (!el.hasAttribute("tabindex") && !/^(A|BUTTON|TEXTAREA|INPUT)$/.test(el.tagName)) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  }

  function template(kind) {
    var form = forms && forms.content.querySelector('[data-form="' + kind + '"]');
    return form ? form.cloneNode(true) : null;
  }

  function nameOf(article) {
    var by = article.querySelector(".comment__author");
    return by ? by.textContent.trim() : "";
  }

  function toggle(button, kind, article, setUp) {
    var open = article.querySelector('[data-form="' + kind + '"]');
    if (open) {
      open.remove();
      button.setAttribute("aria-expanded", "false");
      return;
    }
    var form = template(kind);
    if (!form) return;
    setUp(form);
    form.querySelectorAll("[data-cancel]").forEach(function (cancel) {
      cancel.addEventListener("click", function () {
        form.remove();
        button.setAttribute("aria-expanded", "false");
        button.focus();
      });
    });
    button.closest(".comment__actions, .comment__reply-link").after(form);
    button.setAttribute("aria-expanded", "true");
    var field = form.querySelector("textarea, input:not([type=hidden])");
    focusOn(field || form.querySelector("button"));
  }

  function labelled(form, id, text) {
    var label = form.querySelector("label[data-label]");
    var field = form.querySelector("textarea, input:not([type=hidden])");
    if (label && field) {
      field.id = id;
      label.setAttribute("for", id);
      if (text) label.textContent = text;
    }
  }

  function button(text, hidden) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button--ghost button--small";
    b.textContent = text;
    if (hidden) {
      var span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = hidden;
      b.appendChild(span);
    }
    b.setAttribute("aria-expanded", "false");
    return b;
  }

  // A member's controls: edit and delete on their own comments, report on the others',
  // and the reply links turned into an in-place form.
  function enhance() {
    var data = document.getElementById("comments-reader");
    forms = document.getElementById("comments-forms");
    reader = data ? JSON.parse(data.textContent) : null;
    if (!reader || !forms) return;
    var mine = {};
    reader.mine.forEach(function (pk) { mine[pk] = true; });
    body.querySelectorAll("article[data-c]").forEach(function (article) {
      var pk = article.getAttribute("data-c");
      var removed = article.classList.contains("comment--removed");
      var name = nameOf(article);
      var bar = document.createElement("div");
      bar.className = "comment__actions";
      if (mine[pk] && Object.prototype.hasOwnProperty.call(reader.editable, pk)) {
        var edit = button("Edit", " your comment");
        edit.addEventListener("click", function () {
          toggle(edit, "edit", article, function (form) {
            form.action = reader.base + pk + "/edit/";
            labelled(form, "edit-" + pk);
            form.querySelector("textarea").value = reader.editable[pk];
          });
        });
        bar.appendChild(edit);
      }
      if (mine[pk]) {
        var del = template("delete");
        del.action = reader.base + pk + "/delete/";
        bar.appendChild(del);
      } else if (!removed) {
        var report = button("Report", " comment by " + name);
        report.addEventListener("click", function () {
          toggle(report, "report", article, function (form) {
            form.action = reader.base + pk + "/report/";
            labelled(form, "report-" + pk);
          });
        });
        bar.appendChild(report);
      }
      if (bar.childNodes.length) article.appendChild(bar);
    });
    body.querySelectorAll("a[data-reply]").forEach(function (link) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-expanded", "false");
      link.addEventListener("keydown", function (event) {
        if (event.key === " ") {  // a button opens on Space as well as Enter
          event.preventDefault();
          link.click();
        }
      });
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var pk = link.getAttribute("data-reply");
        var holder = link.parentNode;
        var open = holder.nextElementSibling;
        if (open && open.getAttribute("data-form") === "reply") {
          open.remove();
          link.setAttribute("aria-expanded", "false");
          return;
        }
        var form = template("reply");
        form.querySelector('[name="parent"]').value = pk;
        labelled(form, "reply-text-" + pk, "Your reply to " + link.getAttribute("data-name"));
        form.querySelector("[data-cancel]").addEventListener("click", function () {
          form.remove();
          link.setAttribute("aria-expanded", "false");
          link.focus();
        });
        holder.after(form);
        link.setAttribute("aria-expanded", "true");
        form.querySelector("textarea").focus();
      });
    });
  }

  function load() {
    return fetch(src, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("comments " + response.status);
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        enhance();
        section.setAttribute("data-comments-loaded", "");
      });
  }

  function showError(form, text) {
    var box = form.querySelector("[data-error]");
    if (!box) {
      box = document.createElement("p");
      box.className = "comments__error";
      box.setAttribute("role", "alert");
      box.setAttribute("data-error", "");
      box.id = "error-" + Math.random().toString(36).slice(2);
      form.insertBefore(box, form.querySelector("label, button"));
    }
    box.textContent = text;
    var field = form.querySelector("textarea, input:not([type=hidden])");
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", box.id);
      field.focus();
    }
  }

  body.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.action) return;
    event.preventDefault();
    var token = form.querySelector('[name="csrfmiddlewaretoken"]');
    var sent = form.querySelector('button[type="submit"]');
    if (sent) sent.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": token ? token.value : "",
      },
      body: new FormData(form),
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return (json ? response.json() : Promise.resolve({})).then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      })
      .then(function (answer) {
        if (sent) sent.disabled = false;
        if (!answer.ok) {
          var text = answer.data.message;
          if (!text && answer.status === 403) {
            text = "You seem to be signed out. Sign in again, then try once more.";
          }
          showError(form, text || "That did not work (error " + answer.status + "). Please try again.");
          return;
        }
        return load().then(function () {
          var anchor = answer.data.anchor || "comments";
          var target = document.getElementById(anchor);
          focusOn(target && body.contains(target) ? target : section.querySelector("h2"));
          announce(answer.data.message);
        });
      })
      .catch(function () {
        if (sent) sent.disabled = false;
        showError(form, "The connection failed. Please check it and try again.");
      });
  });

  load()
    .then(function () {
      var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
      if (target && section.contains(target)) target.scrollIntoView();
    })
    .catch(function () {
      // keep the link to the comments page that is already there
    });
})();
