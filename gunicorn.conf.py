"""gunicorn settings. gunicorn reads this file from the directory it starts in, so
`gunicorn sro_program.wsgi ...` (README, Production) and the benchmark both use it."""

import gc


def post_worker_init(worker):
    # The application is loaded. Move its long-lived objects (about 120,000: modules, URL
    # patterns, model metadata) out of the garbage collector's reach, and collect young
    # objects less often: on a warm worker a full collection took about 60 ms in the middle
    # of a request, and a generation-1 collection about 2 ms every 15 requests.
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
