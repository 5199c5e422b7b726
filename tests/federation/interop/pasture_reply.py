"""Sends a reply to one of our calls, signed with the pasture actor's own keys.

Runs in the pasture venv, in the pasture's working directory (its ``data.toml`` keys), like
``pasture_follow.py``. It fetches the call's object with a signed GET, builds the reply with
bovine's object factory (``inReplyTo`` the call) and POSTs ``Create(Note)`` to the call's
author's inbox. Prints one JSON line: the HTTP status our inbox answered and the activity.
"""

import argparse
import asyncio
import json
import sys
import uuid

from aiohttp import ClientResponseError
from bovine.activitystreams import factories_for_actor_object
from fediverse_pasture.one_actor import bovine_actor_and_session


async def reply(domain: str, call_object_id: str, text: str) -> dict:
    async with bovine_actor_and_session(domain) as (bovine_actor, actor, _session):
        call = await bovine_actor.get(call_object_id)
        author = await bovine_actor.get(call["attributedTo"])
        activity_factory, object_factory = factories_for_actor_object(actor.build())
        note = object_factory.reply(
            call, content=f"<p>{text}</p>", id=f"{actor.id}/notes/{uuid.uuid4()}"
        ).build()
        activity = activity_factory.create(note, id=f"{note['id']}/activity").build()
        try:
            response = await bovine_actor.post(author["inbox"], activity)
            status = response.status
        except ClientResponseError as error:
            status = error.status
        return {"status": status, "activity": activity}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domain", required=True, help="where the pasture actor is served")
    parser.add_argument("--text", required=True)
    parser.add_argument("call", help="the call's ActivityStreams object id")
    args = parser.parse_args()
    result = asyncio.run(reply(args.domain, args.call, args.text))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
