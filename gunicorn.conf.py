"""gunicorn settings. gunicorn reads this file from the directory it starts in, so
`gunicorn sro_program.wsgi ...` (README, Production) and the benchmark both use it."""

import gc

# PDFs are drawn in a child process (core.pdf), so a worker's memory stays that of one serving
# pages (~100-140 MB on the large district after 1,000 requests; README, Every page (issue 19)).
# Workers are still replaced after 5,000 requests (plus up to 500, so two are not replaced at
# the same moment), a guard against a slow leak in a library; a new worker takes ~0.5 s to
# load, served meanwhile by the other worker.
max_requests = 5000
max_requests_jitter = 500

# A sync worker that has not finished its request after `timeout` seconds is killed, and a
# streamed export counts as one request: the large district's incident CSV (250,000 rows) takes
# 30-45 s here, so gunicorn's default of 30 s cut it off mid-file. Five minutes lets an export
# of about a million rows finish; a hung worker is still replaced after that.
timeout = 300


def post_worker_init(worker):
    # The application is loaded. Move its long-lived objects (about 120,000: modules, URL
    # patterns, model metadata) out of the garbage collector's reach, and collect young
    # objects less often, so no request pays for a collection of objects that live as long as
    # the worker (README, Benchmark, has the figures).
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
