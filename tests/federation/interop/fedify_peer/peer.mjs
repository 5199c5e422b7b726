// A Fedify peer on loopback for the interop tests (tests/federation/interop/test_fedify.py).
//
// Fedify (https://fedify.dev) is an independent ActivityPub implementation that parses
// strictly: an object it cannot read is answered "400 Invalid activity", and its inbox
// verifies HTTP signatures (RFC 9421 and draft-cavage) before any listener runs. So every
// activity this peer records was signed by its sender and parsed by Fedify.
//
// One actor, "peer", at /users/peer (WebFinger acct:peer@127.0.0.1:PORT). The test drives
// it through /control/* (loopback only):
//   GET  /control/received          activities the inbox verified, with what Fedify parsed
//   POST /control/lookup  {target}  ctx.lookupObject (a URL or an acct: handle)
//   POST /control/follow  {target}  sends Follow to the target actor
//   POST /control/reply   {target, inReplyTo, content}  sends Create(Note) replying
//
// Usage: node peer.mjs --port PORT --received FILE

import fs from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";

import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import * as vocab from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";

const { values: args } = parseArgs({
  options: { port: { type: "string" }, received: { type: "string" } },
});
const port = Number(args.port);
const origin = `http://127.0.0.1:${port}`;
const IDENTIFIER = "peer";

// Fedify asks https://HOST/.well-known/webfinger for an acct: handle; the nodes under test
// serve plain http on 127.0.0.1, so https to 127.0.0.1 is rewritten to http. Nothing else
// is touched, and nothing but loopback is ever reached.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(url)) {
    return Promise.reject(new Error(`the peer only talks to loopback, not ${url}`));
  }
  if (url.startsWith("https://127.0.0.1")) {
    const plain = "http://" + url.slice("https://".length);
    return realFetch(input instanceof Request ? new Request(plain, input) : plain, init);
  }
  return realFetch(input, init);
};

const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const sent = new Map();

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true, // the nodes under test live on 127.0.0.1
});

function record(entry) {
  fs.appendFileSync(args.received, JSON.stringify(entry) + "\n");
}

function iso(value) {
  return value == null ? null : value.toString();
}

// What Fedify made of an object: the typed properties a strict reader exposes.
async function parsed(object) {
  if (object == null) return null;
  const summary = {
    class: object.constructor.name,
    id: object.id?.href ?? null,
    json: await object.toJsonLd(),
  };
  for (const name of ["name", "summary", "content"]) {
    if (name in object) summary[name] = object[name] == null ? null : String(object[name]);
  }
  for (const name of ["published", "updated", "startTime", "endTime", "deleted"]) {
    if (name in object) summary[name] = iso(object[name]);
  }
  if ("formerTypes" in object) {
    // Fedify reads formerType as a vocabulary class: its type IRI is the class's typeId.
    summary.formerType = object.formerTypes.map((type) => type?.typeId?.href ?? String(type));
  }
  return summary;
}

async function received(ctx, activity) {
  let object = null;
  let error = null;
  try {
    object = await parsed(await activity.getObject({ crossOrigin: "ignore" }));
  } catch (failure) {
    error = String(failure);
  }
  record({
    type: activity.constructor.name,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    objectId: activity.objectId?.href ?? null,
    object,
    error,
    activity: await activity.toJsonLd(),
  });
}

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== IDENTIFIER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new vocab.Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new vocab.Endpoints({ sharedInbox: ctx.getInboxUri() }),
      url: ctx.getActorUri(identifier),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher(async (ctx, identifier) =>
    identifier === IDENTIFIER ? [keyPair] : [],
  );

// What the peer sent stays dereferenceable (our Accept names the Follow by its id).
federation.setObjectDispatcher(vocab.Note, "/notes/{id}", (ctx, values) =>
  sent.get(`note:${values.id}`) ?? null,
);
federation.setObjectDispatcher(vocab.Follow, "/follows/{id}", (ctx, values) =>
  sent.get(`follow:${values.id}`) ?? null,
);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(vocab.Follow, async (ctx, follow) => {
    await received(ctx, follow);
    const follower = await follow.getActor();
    if (follower == null) return;
    await ctx.sendActivity(
      { identifier: IDENTIFIER },
      follower,
      new vocab.Accept({
        id: new URL(`${origin}/accepts/${crypto.randomUUID()}`),
        actor: ctx.getActorUri(IDENTIFIER),
        object: follow,
      }),
    );
  })
  .on(vocab.Accept, received)
  .on(vocab.Reject, received)
  .on(vocab.Create, received)
  .on(vocab.Update, received)
  .on(vocab.Delete, received)
  .on(vocab.Undo, received)
  .on(vocab.Activity, received)
  .onError((ctx, error) => {
    record({ type: "error", error: String(error) });
  });

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || "{}");
}

function answer(response, status, body) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

async function control(path, body) {
  const ctx = federation.createContext(new URL(origin), undefined);
  if (path === "/control/lookup") {
    const object = await ctx.lookupObject(body.target);
    return object == null ? [404, { error: `cannot look up ${body.target}` }] : [200, await parsed(object)];
  }
  const target = await ctx.lookupObject(body.target);
  if (!(target instanceof vocab.Object) || !vocab.isActor(target)) {
    return [404, { error: `${body.target} is not an actor` }];
  }
  if (path === "/control/follow") {
    const id = crypto.randomUUID();
    const follow = new vocab.Follow({
      id: ctx.getObjectUri(vocab.Follow, { id }),
      actor: ctx.getActorUri(IDENTIFIER),
      object: target.id,
    });
    sent.set(`follow:${id}`, follow);
    await ctx.sendActivity({ identifier: IDENTIFIER }, target, follow);
    return [200, { id: follow.id.href }];
  }
  if (path === "/control/reply") {
    const id = crypto.randomUUID();
    const note = new vocab.Note({
      id: ctx.getObjectUri(vocab.Note, { id }),
      attribution: ctx.getActorUri(IDENTIFIER),
      content: body.content,
      replyTarget: new URL(body.inReplyTo),
      published: Temporal.Now.instant(),
      to: target.id,
      cc: vocab.PUBLIC_COLLECTION,
    });
    sent.set(`note:${id}`, note);
    const create = new vocab.Create({
      id: new URL(`${origin}/creates/${id}`),
      actor: ctx.getActorUri(IDENTIFIER),
      object: note,
      to: target.id,
      cc: vocab.PUBLIC_COLLECTION,
    });
    await ctx.sendActivity({ identifier: IDENTIFIER }, target, create);
    return [200, { id: create.id.href, note: note.id.href }];
  }
  return [404, { error: `no control ${path}` }];
}

const server = http.createServer(async (request, response) => {
  try {
    const url = new URL(request.url, origin);
    if (url.pathname === "/control/received") {
      const text = fs.existsSync(args.received) ? fs.readFileSync(args.received, "utf8") : "";
      return answer(response, 200, text.split("\n").filter(Boolean).map((line) => JSON.parse(line)));
    }
    if (url.pathname.startsWith("/control/")) {
      const [status, body] = await control(url.pathname, await readJson(request));
      return answer(response, status, body);
    }
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const hasBody = !["GET", "HEAD"].includes(request.method);
    const fetched = await federation.fetch(
      new Request(url, {
        method: request.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      }),
      {
        contextData: undefined,
        onNotFound: () => new Response("Not found", { status: 404 }),
        onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
      },
    );
    const fetchedHeaders = Object.fromEntries(fetched.headers.entries());
    response.writeHead(fetched.status, fetchedHeaders);
    response.end(Buffer.from(await fetched.arrayBuffer()));
  } catch (error) {
    console.error(error);
    answer(response, 500, { error: String(error?.stack ?? error) });
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log(`fedify peer on ${origin}`);
});
