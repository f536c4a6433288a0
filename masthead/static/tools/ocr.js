// Enhances the OCR upload forms ([data-ocr-form]) and the result page ([data-ocr-result]).
// Without this file everything still works: the form posts and the result page refreshes.
// No inline styles or handlers (the site's CSP forbids them): state lives in classes.
//
// Choosing, dropping or pasting a file selects it; "Read the text" sends it. The status
// says what is really happening: "Uploading" while bytes travel to a queue, "Reading"
// while the site reads (in the request for small images), pages and a bar for queued
// files. On the OCR page the result opens; in an article's card it is shown in the card.

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
  if (total === null) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  bar.max = Math.max(total, 1);
  bar.value = done;
}

function sizeText(bytes) {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} kB`;
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

async function poll(form, job, name) {
  let current = job;
  while (current.status === "queued" || current.status === "running") {
    const { pages_done: done, pages_total: total } = current.progress;
    setProgress(form, done, total);
    const pages = total > 1 ? ` ${done} of ${total} pages done` : "";
    const text = current.status === "queued" ? `Waiting to read ${name}…` : `Reading ${name}…${pages}`;
    setStatus(form, text, { busy: true });
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

function isImage(file) {
  return file.type !== "application/pdf" && !/\.pdf$/i.test(file.name || "");
}

async function submit(form, file) {
  if (!file) {
    setStatus(form, "Choose an image or a PDF to read.", { error: true });
    return;
  }
  const name = file.name || "the pasted image";
  const body = new FormData();
  body.append("file", file, file.name || "pasted-image.png");
  const languages = form.querySelector("[name=languages]");
  if (languages && languages.value) body.append("languages", languages.value);
  const inline = isImage(file) && file.size <= Number(form.dataset.syncMax || 0);
  setProgress(form, 0, null);
  setStatus(form, inline ? `Reading ${name}…` : `Uploading ${name} (${sizeText(file.size)})…`, { busy: true });
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
    const job = await poll(form, data, name);
    if (job.status === "failed") throw new Error(job.error ? job.error.message : "The file could not be read.");
    if (form.classList.contains("ocr-form--compact")) {
      await showInCard(form, job);
      return;
    }
    setStatus(form, "Done. Opening the result…", { busy: true });
    window.location.assign(job.html_url);
  } catch (error) {
    const message = error instanceof TypeError ? "Could not reach the site. Check your connection and try again." : error.message;
    setProgress(form, 0, null);
    setStatus(form, message, { error: true });
  }
}

async function showInCard(form, job) {
  let text = "";
  const response = await fetch(`${job.url}${job.url.includes("?") ? "&" : "?"}format=text`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  const data = await readJson(response);
  if (response.ok && data && typeof data.result === "string") text = data.result;
  const box = form.querySelector("[data-ocr-card-result]");
  box.querySelector("textarea").value = text.trim() || "No text was found in this file.";
  box.querySelector("[data-ocr-open]").href = job.html_url;
  box.hidden = false;
  setProgress(form, 0, null);
  setStatus(form, "Done. The text is below.");
}

function choose(form, chosen) {
  const files = Array.from(chosen || []).filter(Boolean);
  if (!files.length) return;
  const max = Number(form.dataset.batchMax || 1);
  if (files.length > max) {
    setStatus(form, `Choose at most ${max} files at once.`, { error: true });
    return;
  }
  form.ocrFiles = files;
  const label = form.querySelector("[data-ocr-chosen]");
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const name = files.length === 1 ? files[0].name || "Pasted image" : `${files.length} files`;
  label.textContent = `${name} (${sizeText(total)})`;
  setProgress(form, 0, null);
  setStatus(form, `${name} ${files.length === 1 ? "is" : "are"} ready to read.`);
}

async function readOne(form, file) {
  // One file of a batch: its job when done, or an Error with the reason.
  const body = new FormData();
  body.append("file", file, file.name || "pasted-image.png");
  const languages = form.querySelector("[name=languages]");
  if (languages && languages.value) body.append("languages", languages.value);
  const response = await fetch(form.dataset.api, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
  });
  let job = await readJson(response);
  if (!response.ok || !job) throw new Error(job && job.error ? job.error.message : `The upload failed (${response.status}).`);
  while (job.status === "queued" || job.status === "running") {
    await sleep(POLL_MS);
    const next = await fetch(job.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    job = await readJson(next);
    if (!next.ok || !job) throw new Error("Lost track of the file. Please try again.");
  }
  if (job.status === "failed") throw new Error(job.error ? job.error.message : "The file could not be read.");
  return job;
}

async function submitBatch(form, files) {
  const list = form.querySelector("[data-ocr-batch]");
  const zip = form.querySelector("[data-ocr-zip]");
  list.replaceChildren();
  zip.hidden = true;
  list.hidden = false;
  const rows = files.map((file) => {
    const item = document.createElement("li");
    item.className = "ocr-batch__item";
    const name = document.createElement("span");
    name.className = "ocr-batch__name";
    name.textContent = file.name || "Pasted image";
    const state = document.createElement("span");
    state.className = "ocr-batch__state";
    state.textContent = "Waiting";
    item.append(name, " ", state);
    list.append(item);
    return { item, state };
  });
  const done = [];
  setProgress(form, 0, files.length);
  for (const [index, file] of files.entries()) {
    setStatus(form, `Reading ${file.name || "the pasted image"}… (${index + 1} of ${files.length} files)`, { busy: true });
    rows[index].state.textContent = "Reading…";
    try {
      const job = await readOne(form, file);
      const link = document.createElement("a");
      link.href = job.html_url;
      link.textContent = "Open result";
      rows[index].state.replaceChildren("Done · ", link);
      done.push(job.id);
    } catch (error) {
      rows[index].state.textContent = error instanceof TypeError ? "Could not reach the site." : error.message;
      rows[index].item.classList.add("is-failed");
    }
    setProgress(form, index + 1, files.length);
  }
  setStatus(form, `${done.length} of ${files.length} files read.`);
  if (done.length) {
    zip.querySelector("a").href = `${form.dataset.zipUrl}?ids=${done.join(",")}`;
    zip.hidden = false;
  }
}

function enhanceForm(form, { pageWidePaste }) {
  if (form.dataset.ocrReady) return;
  form.dataset.ocrReady = "1";
  const input = form.querySelector("input[type=file]");
  const drop = form.querySelector("[data-ocr-drop]");
  form.classList.add("is-enhanced");
  form.noValidate = true; // a dropped or pasted file is not in the input: submit() checks
  input.addEventListener("change", () => choose(form, input.files));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const files = form.ocrFiles || Array.from(input.files || []);
    if (files.length > 1) submitBatch(form, files);
    else submit(form, files[0]);
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
    if (files && files.length) choose(form, form.dataset.batchMax ? files : [files[0]]);
  });
  const onPaste = (event) => {
    const items = event.clipboardData ? Array.from(event.clipboardData.items) : [];
    const item = items.find((entry) => entry.kind === "file");
    if (!item) return;
    event.preventDefault();
    event.stopPropagation();
    choose(form, [item.getAsFile()]);
  };
  form.addEventListener("paste", onPaste);
  if (pageWidePaste) document.addEventListener("paste", onPaste);
  enableCopy(form);
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
          if (line) moveTo(line);
        });
      }
    });
  });
  // One Tab stop per list; the arrow keys, Home and End move between its lines.
  root.querySelectorAll("[data-ocr-lines]").forEach((list) => {
    list.addEventListener("keydown", (event) => {
      const lines = Array.from(list.querySelectorAll("li[data-line]"));
      const at = lines.indexOf(document.activeElement);
      if (at < 0) return;
      const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: lines.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      moveTo(lines[Math.max(0, Math.min(lines.length - 1, next))]);
    });
  });
}

function moveTo(line) {
  line.parentElement.querySelectorAll("li[data-line]").forEach((other) => {
    other.tabIndex = other === line ? 0 : -1;
  });
  line.focus();
}

function enableCopy(root) {
  root.querySelectorAll("[data-ocr-copy]").forEach((button) => {
    if (button.dataset.ocrCopyReady) return;
    button.dataset.ocrCopyReady = "1";
    const status = button.parentElement.querySelector("[data-ocr-copy-status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.ocrCopy);
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

function enableShare(root) {
  const section = root.querySelector("[data-ocr-share]");
  if (!section) return;
  section.addEventListener("submit", async (event) => {
    const form = event.target.closest("[data-ocr-share-form]");
    if (!form) return;
    event.preventDefault();
    const stopping = Boolean(form.querySelector("[name=action][value=stop]"));
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(form) },
      });
      if (!response.ok) throw new Error(String(response.status));
      const holder = document.createElement("div");
      holder.innerHTML = await response.text();
      section.querySelector("[data-ocr-share-body]").replaceWith(holder.firstElementChild);
      enableCopy(section);
      const link = section.querySelector("#ocr-share-link");
      const status = section.querySelector("[data-ocr-copy-status]");
      if (link) {
        link.focus();
        link.select();
        if (status) status.textContent = "Share link created.";
      } else {
        const button = section.querySelector("button[type=submit]");
        if (button) button.focus();
      }
      if (stopping) section.querySelector("p").textContent = "Sharing stopped: the old link no longer works. " + section.querySelector("p").textContent;
    } catch {
      form.submit();
    }
  });
}

const forms = Array.from(document.querySelectorAll("[data-ocr-form]"));
const main = forms.find((form) => !form.classList.contains("ocr-form--compact"));
forms.forEach((form) => enhanceForm(form, { pageWidePaste: form === main }));
document.querySelectorAll("[data-ocr-result]").forEach((root) => {
  linkLines(root);
  enableCopy(root);
  enableShare(root);
});
