"""gunicorn settings. gunicorn reads this file from the directory it starts in, so
`gunicorn sro_program.wsgi ...` (README, Production) and the benchmark both use it."""

import gc

# Each worker is replaced after 500 requests (plus up to 50, so two workers are not replaced
# at the same moment). A worker that has drawn a PDF holds WeasyPrint, pango's caches and the
# laid-out document: ~300 MB on the large district, against ~100 MB for one serving pages
# only, and Python does not hand that memory back (README, Benchmark: the target is under
# 250 MB after 1,000 requests). Loading the application takes a new worker about 0.5 s, so
# replacing one every 500 requests costs about 1 ms a request on average, served meanwhile
# by the other worker.
max_requests = 500
max_requests_jitter = 50


def post_worker_init(worker):
    # The application is loaded. Move its long-lived objects (about 120,000: modules, URL
    # patterns, model metadata) out of the garbage collector's reach, and collect young
    # objects less often, so no request pays for a collection of objects that live as long as
    # the worker (README, Benchmark, has the figures).
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
