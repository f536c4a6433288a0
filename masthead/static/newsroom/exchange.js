// Import & export job page: ask the status endpoint every second and show how far the
// job has got; once it has finished, reload so the server renders the report.
(() => {
  "use strict";
  const card = document.querySelector("[data-job-status]");
  if (!card || card.dataset.finished === "1") return;
  const url = card.dataset.jobStatus;
  const bar = document.getElementById("job-progress");
  const field = (name) => card.querySelector(`[data-field="${name}"]`);

  const show = (state) => {
    field("status_label").textContent = state.status_label;
    field("stage").textContent = state.stage ? `: ${state.stage}` : "";
    field("count").textContent = state.total ? `${state.done} of ${state.total}` : "";
    if (bar && state.total) {
      bar.value = state.percent;
      bar.textContent = `${state.percent}%`;
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
})();
