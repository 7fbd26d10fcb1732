import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
application = get_wsgi_application()


def _warm_up():
    """What every worker would otherwise do during its first requests: read the URL configuration and compile the
    site's base template (each process keeps them). Then everything loaded so far (Django, Wagtail, the models:
    about 275,000 objects) leaves the garbage collector's view: they live as long as the process, and a full
    collection walking them all stopped whichever request triggered it for hundreds of milliseconds on a loaded
    machine (issue 17's tail latency)."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (reads the URL configuration and indexes it)
    get_template("base.html")
    gc.collect()
    gc.freeze()


_warm_up()
