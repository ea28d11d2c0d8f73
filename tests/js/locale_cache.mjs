// The real Apollo Client's normalised cache (InMemoryCache, default configuration) against
// a running contentapi: the same article, lists, tags, images and videos in Bokmål and
// then in Nynorsk, read back from the cache afterwards.
//
//   node tests/js/locale_cache.mjs http://127.0.0.1:8000 SLUG
//
// One ApolloClient, one cache, for the whole run, as a frontend has. Prints one JSON line:
// {"network": {...}, "cache": {...}, "ids": {...}} where "network" is what each query
// answered over HTTP and "cache" what the same query read back from the cache once every
// query had run. Python compares them (tests/test_apollo_locale_cache.py); this script
// asserts nothing itself.

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

const [base, slug] = process.argv.slice(2);
if (!base || !slug) {
  console.error("usage: node locale_cache.mjs SERVER_URL SLUG");
  process.exit(2);
}

const ARTICLE = gql`
  query Article($slug: String!, $locale: String!) {
    article(slug: $slug, locale: $locale) {
      id
      locale
      requestedLocale
      isFallback
      title
      lead
      published
      commentCountLabel
      tags {
        id
        key
        name
        locale
      }
      leadImage {
        id
        alt
        caption
        locale
      }
      images {
        id
        alt
        caption
        locale
      }
      videos {
        id
        title
        caption
        locale
        thumbnail {
          id
          alt
          locale
        }
      }
      comments(first: 5) {
        edges {
          node {
            id
            articleId
            authorName
            created
          }
        }
      }
    }
  }
`;

const LIST = gql`
  query List($locale: String!) {
    articles(locale: $locale, first: 20) {
      edges {
        node {
          id
          locale
          isFallback
          title
          lead
          published
          tags {
            id
            name
            locale
          }
          leadImage {
            id
            alt
            locale
          }
        }
      }
    }
  }
`;

const NODE = gql`
  query Node($id: ID!) {
    node(id: $id) {
      id
      ... on Article {
        locale
        requestedLocale
        title
        lead
      }
      ... on Tag {
        name
        locale
      }
      ... on Image {
        alt
        locale
      }
    }
  }
`;

const client = new ApolloClient({
  link: new HttpLink({ uri: new URL("/graphql", base).href }),
  cache: new InMemoryCache(),
});

/** Data of a query over the network, written into the shared cache. */
async function fetched(query, variables) {
  const result = await client.query({ query, variables, fetchPolicy: "network-only" });
  if (result.error) {
    throw new Error(`${JSON.stringify(variables)}: ${result.error.message}`);
  }
  return result.data;
}

/** What the cache alone gives for a query: readQuery and a cache-only query, both. */
async function cached(query, variables) {
  const read = client.readQuery({ query, variables });
  const onlyCache = await client.query({ query, variables, fetchPolicy: "cache-only" });
  return { read: read ?? null, cacheOnly: onlyCache.data ?? null };
}

const network = {};
const cache = {};
try {
  // 1. one article in nb, then nn
  for (const locale of ["nb", "nn"]) {
    network[`article.${locale}`] = await fetched(ARTICLE, { slug, locale });
  }
  // 2. the front-page lists in nb, then nn
  for (const locale of ["nb", "nn"]) {
    network[`list.${locale}`] = await fetched(LIST, { locale });
  }
  // 3. refetching by id (Relay-style node(id)): the nb ids give nb, the nn ids nn
  const ids = {};
  for (const locale of ["nb", "nn"]) {
    const article = network[`article.${locale}`].article;
    ids[locale] = {
      article: article.id,
      tag: article.tags[0].id,
      image: article.leadImage.id,
    };
    for (const [kind, id] of Object.entries(ids[locale])) {
      network[`node.${kind}.${locale}`] = await fetched(NODE, { id });
    }
  }
  // 4. everything read back from the cache, after all of it was written there
  for (const locale of ["nb", "nn"]) {
    cache[`article.${locale}`] = await cached(ARTICLE, { slug, locale });
    cache[`list.${locale}`] = await cached(LIST, { locale });
    for (const [kind, id] of Object.entries(ids[locale])) {
      cache[`node.${kind}.${locale}`] = await cached(NODE, { id });
    }
  }
  console.log(JSON.stringify({ network, cache, ids, error: null }));
} catch (error) {
  console.log(JSON.stringify({ network, cache, ids: null, error: String(error?.stack ?? error) }));
} finally {
  client.stop();
}
