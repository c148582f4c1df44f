// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// A background job's progress page (a batch of records, a stored record, a cohort import): update the figures in place (a polite live region announces them)
// instead of reloading the page; show the finished page once the batch is done (or has stopped).
for (const box of document.querySelectorAll("[data-batch-status]")) {
  const text = box.querySelector("#batch-progress");
  const bar = box.querySelector("progress");
  const seconds = Number(box.dataset.pollSeconds) || 3;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.batchStatus, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const job = await response.json();
      if (job.finished || job.stalled) {
        window.location.reload();
        return;
      }
      const words = box.dataset.progressWords || "records built";
      text.textContent = `${job.done} of ${job.total} ${words} (${job.percent}%).`;
      const heading = document.getElementById("batch-heading");
      if (heading && job.status === "running" && box.dataset.headingRunning) {
        heading.textContent = box.dataset.headingRunning;
        document.title = document.title.replace(/^[^:]*:/, "In progress:");
      }
      bar.max = job.total || 1;
      bar.value = job.done;
    } catch {
      // The network dropped: try again at the next tick.
    }
    window.setTimeout(poll, seconds * 1000);
  };
  window.setTimeout(poll, seconds * 1000);
}
