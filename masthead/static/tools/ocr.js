// Enhances the OCR upload forms ([data-ocr-form]) and the result page ([data-ocr-result]).
// Without this file everything still works: the form posts and the result page refreshes.
// No inline styles or handlers (the site's CSP forbids them): state lives in classes.

const POLL_MS = 1000;

function csrfToken(form) {
  const field = form.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function setStatus(form, text, { error = false, busy = false } = {}) {
  const box = form.querySelector("[data-ocr-status-text]");
  const old = form.querySelector("[data-ocr-error]");
  if (old) old.remove();
  if (error) {
    const p = document.createElement("p");
    p.className = "ocr-error";
    p.dataset.ocrError = "";
    p.textContent = text;
    form.querySelector("[data-ocr-status]").prepend(p);
    box.textContent = "";
  } else {
    box.textContent = text;
  }
  form.classList.toggle("is-busy", busy);
  form.querySelector("[type=submit]").disabled = busy;
}

function setProgress(form, done, total) {
  const bar = form.querySelector("[data-ocr-progress]");
  bar.hidden = false;
  bar.max = Math.max(total, 1);
  bar.value = done;
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll(form, job) {
  let current = job;
  while (current.status === "queued" || current.status === "running") {
    const { pages_done: done, pages_total: total } = current.progress;
    setProgress(form, done, total);
    const page = total > 1 ? ` page ${Math.min(done + 1, total)} of ${total}` : "";
    setStatus(form, current.status === "queued" ? "Waiting for a free reader…" : `Reading${page}…`, { busy: true });
    await sleep(POLL_MS);
    const response = await fetch(current.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const data = await readJson(response);
    if (!response.ok || !data) {
      throw new Error(data && data.error ? data.error.message : "Lost track of the file. Please try again.");
    }
    current = data;
  }
  return current;
}

async function submit(form, file) {
  if (!file) {
    setStatus(form, "Choose an image or a PDF to read.", { error: true });
    return;
  }
  const body = new FormData();
  body.append("file", file, file.name || "pasted-image.png");
  const languages = form.querySelector("[name=languages]");
  if (languages && languages.value) body.append("languages", languages.value);
  setStatus(form, "Uploading…", { busy: true });
  try {
    const response = await fetch(form.dataset.api, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
    });
    const data = await readJson(response);
    if (!response.ok || !data) {
      throw new Error(data && data.error ? data.error.message : `The upload failed (${response.status}).`);
    }
    const job = await poll(form, data);
    if (job.status === "failed") throw new Error(job.error ? job.error.message : "The file could not be read.");
    setStatus(form, "Done. Opening the result…", { busy: true });
    window.location.assign(job.html_url);
  } catch (error) {
    const message = error instanceof TypeError ? "Could not reach the site. Check your connection and try again." : error.message;
    setStatus(form, message, { error: true });
  }
}

function enhanceForm(form, { paste }) {
  if (form.dataset.ocrReady) return;
  form.dataset.ocrReady = "1";
  const input = form.querySelector("input[type=file]");
  const drop = form.querySelector("[data-ocr-drop]");
  form.classList.add("is-enhanced");
  input.addEventListener("change", () => {
    if (input.files && input.files[0]) submit(form, input.files[0]);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form, input.files && input.files[0]);
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("is-over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("is-over");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (files && files[0]) submit(form, files[0]);
  });
  if (paste) {
    document.addEventListener("paste", (event) => {
      const items = event.clipboardData ? Array.from(event.clipboardData.items) : [];
      const item = items.find((entry) => entry.kind === "file");
      if (!item) return;
      event.preventDefault();
      submit(form, item.getAsFile());
    });
  }
}

function linkLines(root) {
  const groups = new Map();
  root.querySelectorAll("[data-line]").forEach((element) => {
    const key = element.dataset.line;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(element);
  });
  const toggle = (key, on) => groups.get(key).forEach((element) => element.classList.toggle("is-active", on));
  groups.forEach((elements, key) => {
    elements.forEach((element) => {
      element.addEventListener("mouseenter", () => toggle(key, true));
      element.addEventListener("mouseleave", () => toggle(key, false));
      element.addEventListener("focus", () => toggle(key, true));
      element.addEventListener("blur", () => toggle(key, false));
      if (element.tagName.toLowerCase() === "rect") {
        element.addEventListener("click", () => {
          const line = elements.find((other) => other.tagName.toLowerCase() === "li");
          if (line) line.focus();
        });
      }
    });
  });
}

function enableCopy(root) {
  root.querySelectorAll("[data-ocr-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.ocrCopy);
    const status = root.querySelector("[data-ocr-copy-status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
      } catch {
        source.select();
        document.execCommand("copy");
      }
      if (status) status.textContent = "Copied.";
    });
  });
}

const forms = Array.from(document.querySelectorAll("[data-ocr-form]"));
const main = forms.find((form) => !form.classList.contains("ocr-form--compact"));
forms.forEach((form) => enhanceForm(form, { paste: form === main }));
document.querySelectorAll("[data-ocr-result]").forEach((root) => {
  linkLines(root);
  enableCopy(root);
});
