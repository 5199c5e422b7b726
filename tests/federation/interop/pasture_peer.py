"""Runs fediverse-pasture's ``one_actor`` application on 127.0.0.1 only (pasture venv).

``python -m fediverse_pasture.one_actor`` listens on every interface; this launcher builds
the same application (``app_for_data_provider`` and the image blueprint, exactly as
``fediverse_pasture/one_actor.py`` does) but binds it to loopback. It also:

- configures the one actor to require HTTP signatures on ``GET /actor`` and on
  ``POST /actor/inbox`` (``ActorData.requires_signed_*``), so only requests whose signatures
  the pasture verified reach the inbox, and saves that configuration to ``data.toml`` for
  the pasture's ``send`` command and ``pasture_follow.py``;
- records every accepted inbox activity as one JSON line in ``--received``: the pasture's
  inbox handler logs the activity (``logger.error(data)``) only after verification.

Run by ``tests/support/pasture.py`` with the pasture venv's Python, never by our venv.
"""

import argparse
import json
import logging

from fediverse_pasture.data_provider import DataProvider
from fediverse_pasture.server.image_provider_blueprint import image_provider_blueprint
from fediverse_pasture.server.one_actor_app import app_for_data_provider

INBOX_LOGGER = "fediverse_pasture.server.one_actor_app"


class ReceivedRecorder(logging.Handler):
    """Appends each activity the one_actor inbox accepted to a JSON-lines file."""

    def __init__(self, path: str) -> None:
        super().__init__(level=logging.ERROR)
        self.path = path

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, dict):
            with open(self.path, "a") as received:
                received.write(json.dumps(record.msg) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--received", required=True)
    args = parser.parse_args()

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger(INBOX_LOGGER).addHandler(ReceivedRecorder(args.received))

    data_provider = DataProvider.generate_and_load(False)
    data_provider.one_actor.requires_signed_get_for_actor = True
    data_provider.one_actor.requires_signed_post_for_inbox = True
    data_provider.save()

    app = app_for_data_provider(data_provider)
    app.register_blueprint(image_provider_blueprint, url_prefix="/images")
    app.run(host="127.0.0.1", port=args.port, use_reloader=False)


if __name__ == "__main__":
    main()
