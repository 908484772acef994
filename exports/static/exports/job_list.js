// The export list: poll the status endpoint every second while a job is
// queued or running, and update its progress bar, estimate and buttons.
(() => {
  const table = document.getElementById('export-jobs');
  if (!table) return;
  const url = table.dataset.statusUrl;
  const rows = () => [...table.querySelectorAll('tr[data-finished="0"]')];
  const field = (row, name) => row.querySelector(`[data-field="${name}"]`);
  const show = (el, visible) => { if (el) el.hidden = !visible; };

  function update(row, job) {
    row.querySelector('progress').value = job.progress;
    field(row, 'percent').textContent = `${job.progress} %`;
    field(row, 'status').textContent = job.status_label;
    field(row, 'eta').textContent = job.eta_text;
    field(row, 'error').textContent = job.error;
    show(field(row, 'error'), Boolean(job.error));
    if (job.rows_text !== undefined) {
      field(row, 'rows').textContent = job.rows_text;
    }
    const download = field(row, 'download');
    if (job.download_url) download.href = job.download_url;
    show(download, Boolean(job.download_url));
    show(field(row, 'retry'), Boolean(job.retry_url));
    show(field(row, 'expired'), job.expired);
    row.dataset.finished = job.finished ? '1' : '0';
  }

  async function poll() {
    const pending = rows();
    if (!pending.length) return;
    const ids = pending.map((row) => row.dataset.jobId).join(',');
    try {
      const response = await fetch(`${url}?ids=${ids}`, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (response.ok) {
        const data = await response.json();
        data.jobs.forEach((job) => {
          const row = table.querySelector(`tr[data-job-id="${job.id}"]`);
          if (row) update(row, job);
        });
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
})();
