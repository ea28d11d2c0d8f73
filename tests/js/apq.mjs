// The real Apollo Client's automatic persisted queries against a running contentapi.
//
//   node tests/js/apq.mjs http://127.0.0.1:8000 [clients]
//
// Runs the same anonymous query once per client, each a fresh ApolloClient with its own
// PersistedQueryLink (sha256 from node:crypto, useGETForHashedQueries) in front of an
// HttpLink whose fetch records every HTTP request it makes. Prints one JSON line:
// {"clients": [{"data": ..., "error": ..., "requests": [...]}, ...]}. Python reads it
// (tests/test_apollo_persisted_queries.py); this script asserts nothing itself.

import { createHash } from "node:crypto";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const [base, count = "3"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node apq.mjs SERVER_URL [CLIENTS]");
  process.exit(2);
}

const FRONT_PAGE = gql`
  query FrontPage {
    articles(locale: "nn", first: 5) {
      edges {
        node {
          title
          locale
          isFallback
        }
      }
    }
  }
`;

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** What one request carried and what came back, as the wire saw it. */
async function describe(url, init, response) {
  const method = (init?.method ?? "GET").toUpperCase();
  let sent = {};
  if (method === "GET") {
    const params = new URL(url).searchParams;
    sent = {
      query: params.get("query"),
      extensions: params.has("extensions") ? JSON.parse(params.get("extensions")) : null,
    };
  } else if (typeof init?.body === "string") {
    sent = JSON.parse(init.body);
  }
  let body = null;
  try {
    body = await response.clone().json();
  } catch {
    body = null; // a 304 or something that is not JSON
  }
  return {
    method,
    url: method === "GET" ? url : null,
    hasQuery: typeof sent.query === "string" && sent.query.length > 0,
    query: sent.query ?? null,
    hash: sent.extensions?.persistedQuery?.sha256Hash ?? null,
    status: response.status,
    xCache: response.headers.get("x-cache"),
    etag: response.headers.get("etag"),
    cacheControl: response.headers.get("cache-control"),
    errorCodes: (body?.errors ?? []).map((e) => e?.extensions?.code ?? null),
    errorMessages: (body?.errors ?? []).map((e) => e?.message ?? null),
    hasData: body?.data != null,
  };
}

async function runClient() {
  const requests = [];
  const recordingFetch = async (url, init) => {
    const response = await fetch(url, init); // Node 20's global fetch
    requests.push(await describe(String(url), init, response));
    return response;
  };
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: new URL("/graphql", base).href, fetch: recordingFetch }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  try {
    const result = await client.query({ query: FRONT_PAGE, fetchPolicy: "no-cache" });
    return { data: result.data ?? null, error: result.error?.message ?? null, requests };
  } catch (error) {
    return { data: null, error: String(error?.message ?? error), requests };
  } finally {
    client.stop();
  }
}

const clients = [];
for (let i = 0; i < Number(count); i += 1) {
  clients.push(await runClient()); // one after the other: each finds what the last left
}
console.log(JSON.stringify({ clients }));
