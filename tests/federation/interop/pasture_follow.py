"""Sends a Follow signed with the pasture actor's own keys (pasture venv, pasture's cwd).

Uses the pasture package's actor (``bovine_actor_and_session`` reads the keys from the
``data.toml`` that ``pasture_peer.py`` saved) and bovine's activity factory, as the
pasture's own ``send`` command does for its Create. Prints one JSON line: the HTTP status
our inbox answered and the Follow sent.
"""

import argparse
import asyncio
import json
import sys
import uuid

from aiohttp import ClientResponseError
from bovine.activitystreams import factories_for_actor_object
from fediverse_pasture.one_actor import bovine_actor_and_session


async def follow(domain: str, target: str) -> dict:
    async with bovine_actor_and_session(domain) as (bovine_actor, actor, _session):
        remote = await bovine_actor.get(target)
        activity_factory, _ = factories_for_actor_object(actor.build())
        activity = activity_factory.follow(target, id=f"{actor.id}/follows/{uuid.uuid4()}").build()
        try:
            response = await bovine_actor.post(remote["inbox"], activity)
            status = response.status
        except ClientResponseError as error:
            status = error.status
        return {"status": status, "activity": activity}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domain", required=True, help="where the pasture actor is served")
    parser.add_argument("target", help="the actor id to follow")
    args = parser.parse_args()
    sys.stdout.write(json.dumps(asyncio.run(follow(args.domain, args.target))) + "\n")


if __name__ == "__main__":
    main()
