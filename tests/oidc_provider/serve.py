"""Start the test provider: ``python -m tests.oidc_provider.serve CONFIG.json PORT_FILE``.

CONFIG names the database file, the RS256 private key (PEM), the client (id, secret, redirect URIs) and the
provider's users. The database is migrated and filled, then Django's development server answers on 127.0.0.1 at a
port the system picks (so test processes running side by side never race for one); the port is written to
PORT_FILE (written beside, then renamed: a reader sees it whole) once the server is listening.
"""

import json
import os
import sys


def main(config_path, port_file):
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = config["database"]
    os.environ["OIDC_PROVIDER_KEY"] = config["private_key"]
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for person in config["users"]:
        user = User.objects.create_user(
            person["username"], person["email"], person["password"], first_name=person["name"]
        )
        user.last_name = person.get("school", "")
        user.save()
    Application.objects.create(
        name="IE Academy",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    def announce(port):
        partial = f"{port_file}.partial"
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(str(port))
        os.replace(partial, port_file)

    run("127.0.0.1", 0, get_wsgi_application(), threading=True, on_bind=announce)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
