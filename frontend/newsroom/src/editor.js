// The newsroom's writing surface: CodeMirror 6 over the post form's <textarea>.
// Without this script the textarea and the Save button work on their own.
import { EditorView, keymap, placeholder, drawSelection } from "@codemirror/view";
import { EditorState, Compartment } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { parser as markdownParser, GFM } from "@lezer/markdown";
import { Language, defineLanguageFacet, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";

// Markdown without the embedded HTML/CSS/JS languages @codemirror/lang-markdown pulls in
// (a fifth of the size): posts never contain raw HTML (it is escaped on render).
const markdownLanguage = new Language(
  defineLanguageFacet({ commentTokens: { block: { open: "<!--", close: "-->" } } }),
  markdownParser.configure([GFM]),
  [],
  "markdown",
);

// The Markdown parse and its highlighting arrive just after the editor is drawn (ADR 0505):
// the writer can type at once, and colours follow within a frame or two.
const markdownSlot = new Compartment();
const markdownSupport = () => [markdownLanguage, syntaxHighlighting(defaultHighlightStyle, { fallback: true })];

// After the browser has painted what is there now (a frame, then a task).
function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

const AUTOSAVE_IDLE_MS = 1500; // after the last keystroke
const AUTOSAVE_MAX_MS = 5000; // at most this long between saves while typing
const WORDS_PER_MINUTE = 275;

function $(selector, root = document) { return root.querySelector(selector); }

function csrfToken(form) {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function countWords(text) {
  const plain = text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/^:::.*$/gm, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[#>*_`~|-]/g, " ");
  const words = plain.split(/\s+/).filter(Boolean);
  return words.length;
}

function readingMinutes(words, images) {
  let seconds = (words / WORDS_PER_MINUTE) * 60;
  for (let i = 0; i < images; i++) seconds += Math.max(12 - i, 3);
  return Math.max(1, Math.round(seconds / 60));
}

// --- formatting commands ----------------------------------------------------------------

function wrap(view, before, after = before, empty = "text") {
  const { from, to } = view.state.selection.main;
  const selected = view.state.sliceDoc(from, to) || empty;
  view.dispatch({
    changes: { from, to, insert: before + selected + after },
    selection: { anchor: from + before.length, head: from + before.length + selected.length },
  });
  view.focus();
  return true;
}

function linePrefix(view, prefix) {
  const { state } = view;
  const changes = [];
  const seen = new Set();
  for (const range of state.selection.ranges) {
    for (let pos = range.from; pos <= range.to; ) {
      const line = state.doc.lineAt(pos);
      if (!seen.has(line.number)) {
        seen.add(line.number);
        if (line.text.startsWith(prefix)) {
          changes.push({ from: line.from, to: line.from + prefix.length, insert: "" });
        } else {
          const existing = /^(#{1,6} |> |- |\d+\. )/.exec(line.text);
          changes.push({ from: line.from, to: line.from + (existing ? existing[0].length : 0), insert: prefix });
        }
      }
      pos = line.to + 1;
    }
  }
  const changeSet = state.changes(changes);
  // Cursors at a line start move past the new prefix, so typing goes after it.
  view.dispatch({ changes: changeSet, selection: state.selection.map(changeSet, 1) });
  view.focus();
  return true;
}

function insertBlock(view, text) {
  const { state } = view;
  const pos = state.selection.main.head;
  const line = state.doc.lineAt(pos);
  const before = line.text.trim() ? "\n\n" : line.number > 1 ? "\n" : "";
  const insertAt = line.text.trim() ? line.to : line.from;
  const insert = before + text + "\n\n";
  view.dispatch({
    changes: { from: insertAt, insert },
    selection: { anchor: insertAt + insert.length },
  });
  view.focus();
  return true;
}

function link(view) {
  const { from, to } = view.state.selection.main;
  const selected = view.state.sliceDoc(from, to) || "link text";
  const insert = `[${selected}](https://)`;
  view.dispatch({
    changes: { from, to, insert },
    selection: { anchor: from + selected.length + 3, head: from + insert.length - 1 },
  });
  view.focus();
  return true;
}

const COMMANDS = {
  bold: (view) => wrap(view, "**"),
  italic: (view) => wrap(view, "_"),
  code: (view) => wrap(view, "`", "`", "code"),
  h2: (view) => linePrefix(view, "## "),
  h3: (view) => linePrefix(view, "### "),
  quote: (view) => linePrefix(view, "> "),
  ul: (view) => linePrefix(view, "- "),
  ol: (view) => linePrefix(view, "1. "),
  link,
};

// --- the editor page ----------------------------------------------------------------------

function setupEditor(form) {
  const textarea = $("textarea[name=body]", form);
  const statusEl = $("[data-save-status]");
  const errorEl = $("[data-save-error]");
  const wordsEl = $("[data-word-count]");
  const minutesEl = $("[data-reading-time]");
  // The preview pane: without a script it is the <noscript> iframe; here it is made after
  // the editor is drawn, so the post page's layout does not hold up the first keystroke.
  const previewPane = $("[data-preview-src]");
  const frame = previewPane ? document.createElement("iframe") : null;
  if (frame) {
    frame.dataset.previewFrame = "";
    frame.dataset.src = previewPane.dataset.previewSrc;
    frame.title = previewPane.dataset.previewTitle;
  }
  const versionInput = $("input[name=version]", form);
  const fileInput = $("[data-image-input]");
  const dialog = $("[data-image-dialog]");
  const embedDialog = $("[data-embed-dialog]");
  let dirty = false;
  let saving = false;
  let stopped = false; // a conflict: no more autosaves until reload
  let idleTimer = 0;
  let firstChange = 0;

  function say(text, isError = false) {
    if (isError) {
      errorEl.textContent = text;
      errorEl.hidden = false;
      statusEl.textContent = "Not saved";
    } else {
      errorEl.hidden = true;
      errorEl.textContent = "";
      statusEl.textContent = text;
    }
  }

  let countsTimer = 0;
  function counts(text) {
    const words = countWords(text);
    const images = (text.match(/!\[[^\]]*\]\([^)]*\)/g) || []).length;
    wordsEl.textContent = `${words.toLocaleString()} ${words === 1 ? "word" : "words"}`;
    minutesEl.textContent = `${readingMinutes(words, images)} min read`;
  }

  function payload() {
    return {
      version: Number(versionInput.value),
      title: $("[name=title]", form).value,
      excerpt: $("[name=excerpt]", form).value,
      body: view.state.doc.toString(),
    };
  }

  // Words and minutes while typing: counted when typing pauses, not on every keystroke.
  function countsSoon() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(() => counts(view.state.doc.toString()), 300);
  }

  function reloadPreview() {
    if (!frame) return;
    let y = 0;
    try { y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
    frame.addEventListener("load", () => {
      try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* cross-origin never happens */ }
    }, { once: true });
    frame.src = frame.dataset.src + "?t=" + Date.now();
  }

  async function save() {
    clearTimeout(idleTimer);
    if (saving || stopped || !dirty) return;
    saving = true;
    dirty = false;
    firstChange = 0;
    say("Saving…");
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify(payload()),
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        // Every form on the page (settings, restore) now starts from this version.
        document.querySelectorAll("input[name=version]").forEach((input) => { input.value = data.version; });
        const saved = new Date(data.saved_at);
        say(`Saved ${saved.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`);
        wordsEl.textContent = `${data.word_count.toLocaleString()} ${data.word_count === 1 ? "word" : "words"}`;
        minutesEl.textContent = `${data.reading_time} min read`;
        reloadPreview();
      } else {
        const message = (data.error && data.error.message) || `The save failed (${response.status}).`;
        say(message, true);
        if (response.status === 409) {
          stopped = true;
          $("[data-conflict]").hidden = false;
        } else {
          dirty = true; // kept: saved once the problem is fixed
        }
      }
    } catch (e) {
      dirty = true;
      say("Offline: your changes are kept here and saved when the connection is back.", true);
      idleTimer = setTimeout(save, AUTOSAVE_MAX_MS);
    } finally {
      saving = false;
      if (dirty && !stopped && !idleTimer) schedule();
    }
  }

  function schedule() {
    dirty = true;
    if (stopped) return;
    statusEl.textContent = "Unsaved changes";
    const now = Date.now();
    if (!firstChange) firstChange = now;
    clearTimeout(idleTimer);
    const wait = Math.min(AUTOSAVE_IDLE_MS, Math.max(0, firstChange + AUTOSAVE_MAX_MS - now));
    idleTimer = setTimeout(() => { idleTimer = 0; save(); }, wait);
  }

  // Images: ask for the alt text, upload, insert Markdown where the cursor was.
  function askAlt(file) {
    return new Promise((resolve) => {
      const input = $("input[name=alt]", dialog);
      $("[data-image-name]", dialog).textContent = file.name || "pasted image";
      input.value = "";
      dialog.returnValue = "";
      dialog.addEventListener("close", () => {
        resolve(dialog.returnValue === "insert" ? input.value.trim() : null);
      }, { once: true });
      dialog.showModal();
      input.focus();
    });
  }

  async function upload(file, pos) {
    const alt = await askAlt(file);
    if (alt === null) { view.focus(); return; }
    say("Uploading image…");
    const body = new FormData();
    body.append("file", file, file.name || "pasted.png");
    body.append("alt", alt);
    try {
      const response = await fetch(form.dataset.uploadUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
        body,
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        say((data.error && data.error.message) || `The upload failed (${response.status}).`, true);
        return;
      }
      const at = Math.min(pos, view.state.doc.length);
      const line = view.state.doc.lineAt(at);
      const prefix = line.text.trim() ? "\n\n" : "";
      const insert = `${prefix}${data.markdown}\n\n`;
      view.dispatch({ changes: { from: at, insert }, selection: { anchor: at + insert.length } });
      say("Image added");
      view.focus();
    } catch (e) {
      say("The image could not be uploaded: the connection failed.", true);
    }
  }

  function imageFiles(list) {
    return Array.from(list || []).filter((file) => file.type.startsWith("image/"));
  }

  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        history(),
        drawSelection(),
        markdownSlot.of([]),
        EditorView.lineWrapping,
        placeholder("Write your post in Markdown…"),
        EditorView.cspNonce.of(form.dataset.nonce || ""),
        EditorView.contentAttributes.of({ "aria-label": "Post body (Markdown)", "aria-multiline": "true" }),
        keymap.of([
          { key: "Mod-b", run: COMMANDS.bold },
          { key: "Mod-i", run: COMMANDS.italic },
          { key: "Mod-k", run: COMMANDS.link },
          { key: "Mod-e", run: COMMANDS.code },
          { key: "Mod-Alt-2", run: COMMANDS.h2 },
          { key: "Mod-Alt-3", run: COMMANDS.h3 },
          { key: "Mod-Shift-8", run: COMMANDS.ul },
          { key: "Mod-Shift-7", run: COMMANDS.ol },
          { key: "Mod-Shift-9", run: COMMANDS.quote },
          { key: "Mod-s", run: () => { dirty = true; save(); return true; }, preventDefault: true },
          ...historyKeymap,
          ...defaultKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          countsSoon();
          schedule();
        }),
        EditorView.domEventHandlers({
          paste(event, editor) {
            const files = imageFiles(event.clipboardData && event.clipboardData.files);
            if (!files.length) return false;
            event.preventDefault();
            files.reduce((chain, file) => chain.then(() => upload(file, editor.state.selection.main.head)), Promise.resolve());
            return true;
          },
          drop(event, editor) {
            const files = imageFiles(event.dataTransfer && event.dataTransfer.files);
            if (!files.length) return false;
            event.preventDefault();
            const pos = editor.posAtCoords({ x: event.clientX, y: event.clientY }) ?? editor.state.selection.main.head;
            files.reduce((chain, file) => chain.then(() => upload(file, pos)), Promise.resolve());
            return true;
          },
        }),
      ],
    }),
  });
  textarea.after(view.dom); // where the textarea was, before the Save button
  textarea.hidden = true;
  textarea.removeAttribute("required");
  form.classList.add("has-editor");
  window.mastheadEditor = view; // for the browser tests and power users' consoles

  const toolbar = $("[data-toolbar]");
  toolbar.hidden = false;
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-cmd]");
    if (!button) return;
    event.preventDefault();
    const cmd = button.dataset.cmd;
    if (COMMANDS[cmd]) COMMANDS[cmd](view);
    else if (cmd === "image") fileInput.click();
    else if (cmd === "tool") {
      insertBlock(view, `::: tool ${button.dataset.tool}`);
      const menu = button.closest("details");
      if (menu) menu.open = false;
    } else if (cmd === "embed") {
      const input = $("input[name=embed_url]", embedDialog);
      input.value = "";
      embedDialog.returnValue = "";
      embedDialog.addEventListener("close", () => {
        if (embedDialog.returnValue === "insert" && input.value.trim()) {
          insertBlock(view, `::: embed ${input.value.trim()}`);
        } else view.focus();
      }, { once: true });
      embedDialog.showModal();
      input.focus();
    }
  });
  fileInput.addEventListener("change", () => {
    const files = imageFiles(fileInput.files);
    const pos = view.state.selection.main.head;
    files.reduce((chain, file) => chain.then(() => upload(file, pos)), Promise.resolve());
    fileInput.value = "";
  });

  for (const name of ["title", "excerpt"]) {
    $(`[name=${name}]`, form).addEventListener("input", schedule);
  }
  form.addEventListener("submit", (event) => {
    // The Save button saves through the same version-checked path, without leaving.
    event.preventDefault();
    dirty = true;
    save();
  });
  // The other forms (publish, settings, preview links) leave the page: save the words first.
  document.querySelectorAll("form[method=post]:not([data-editor]):not([data-hero-form])").forEach((other) => {
    other.addEventListener("submit", async (event) => {
      if (!dirty && !saving) return;
      event.preventDefault();
      const submitter = event.submitter;
      while (saving) await new Promise((resolve) => setTimeout(resolve, 100));
      if (dirty) await save();
      if (!dirty && !stopped) other.requestSubmit(submitter || undefined);
    });
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty || saving) { event.preventDefault(); event.returnValue = ""; }
  });
  const previewToggle = $("[data-preview-toggle]");
  if (previewToggle) {
    previewToggle.hidden = false;
    previewToggle.addEventListener("click", () => {
      const showing = document.body.classList.toggle("show-preview");
      previewToggle.setAttribute("aria-pressed", String(showing));
      previewToggle.textContent = showing ? "Back to writing" : "Preview";
    });
  }
  setupHero(reloadPreview);

  // The server drew the word count; the body is parsed and the preview loaded next.
  afterPaint(() => {
    view.dispatch({ effects: markdownSlot.reconfigure(markdownSupport()) });
    if (frame) {
      if (!frame.src) frame.src = frame.dataset.src; // a save may have set it already
      previewPane.append(frame);
    }
  });
}

// The hero image card: upload, replace or remove in place; the plain form does the same
// with a page load when there is no script.
function setupHero(reloadPreview) {
  const heroForm = $("form[data-hero-form]");
  if (!heroForm) return;
  const preview = $("[data-hero-preview]");
  const errorEl = $("[data-hero-error]", heroForm);
  const statusEl = $("[data-hero-status]", heroForm);
  const say = (text) => { statusEl.textContent = text; };
  const submit = $("button[type=submit]:not([data-hero-remove])", heroForm);

  function show(data) {
    preview.replaceChildren();
    if (data.url) {
      const img = document.createElement("img");
      img.src = data.url;
      img.alt = data.alt;
      if (data.width) { img.width = data.width; img.height = data.height; }
      preview.append(img);
    } else {
      const none = document.createElement("p");
      none.className = "nw-muted";
      none.textContent = "No hero image yet.";
      preview.append(none);
    }
    let remove = $("[data-hero-remove]", heroForm);
    if (data.url && !remove) {
      remove = document.createElement("button");
      Object.assign(remove, { className: "button button--ghost", type: "submit", name: "remove", value: "1", textContent: "Remove the hero image" });
      remove.dataset.heroRemove = "";
      submit.after(" ", remove);
    } else if (!data.url && remove) remove.remove();
    $("[name=alt]", heroForm).value = data.alt;
    $("[name=caption]", heroForm).value = data.caption;
    $("[data-reading-time]").textContent = `${data.reading_time} min read`;
  }

  heroForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = new FormData(heroForm, event.submitter || undefined);
    errorEl.hidden = true;
    say(body.get("remove") ? "Removing the hero image…" : "Saving the hero image…");
    try {
      const response = await fetch(heroForm.action, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(heroForm), Accept: "application/json" },
        body,
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        errorEl.textContent = `The hero image was not changed: ${(data.error && data.error.message) || `error ${response.status}`}`;
        errorEl.hidden = false;
        say("");
        return;
      }
      show(data);
      $("input[type=file]", heroForm).value = "";
      say(data.url ? "Hero image saved" : "Hero image removed");
      reloadPreview();
    } catch (e) {
      errorEl.textContent = "The hero image could not be sent: the connection failed.";
      errorEl.hidden = false;
      say("");
    }
  });
}

// The SEO panel: the search result and share card follow what is typed.
function setupSeo() {
  const panel = $("[data-seo-panel]");
  if (!panel) return;
  const fallback = (name) => panel.dataset[name] || "";
  function update() {
    const title = $("[name=meta_title]", panel).value.trim() || fallback("title");
    const description = $("[name=meta_description]", panel).value.trim() || fallback("description");
    panel.querySelectorAll("[data-seo-title]").forEach((el) => { el.textContent = title; });
    panel.querySelectorAll("[data-seo-description]").forEach((el) => { el.textContent = description; });
    const count = $("[data-seo-count]", panel);
    if (count) count.textContent = `${$("[name=meta_description]", panel).value.length} / 160 characters`;
  }
  panel.addEventListener("input", update);
}

// "Copy" buttons next to preview links.
function setupCopy() {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(button.dataset.copy).then(
        () => { button.textContent = "Copied"; },
        () => { button.textContent = "Copy failed"; },
      );
    });
  });
}

const form = document.querySelector("form[data-editor]");
if (form) setupEditor(form);
setupSeo();
setupCopy();
