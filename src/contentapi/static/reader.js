// The reference reader page (reader.html): labels from `messages`, the article, comments.
"use strict";
const params = new URLSearchParams(location.search);
const lang = params.get("lang") || document.documentElement.lang;
document.documentElement.lang = lang;
let messages = {};
let articleId = null;

async function gql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {"Content-Type": "application/json", "Accept-Language": lang},
    body: JSON.stringify({query, variables}),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

const t = (key) => messages[key] || "";
const el = (id) => document.getElementById(id);
function text(tag, value, cls) {
  const node = document.createElement(tag);
  node.textContent = value;  // reader text is never HTML
  if (cls) node.className = cls;
  return node;
}

async function countLabel(count) {
  const data = await gql("query($c: Int!, $l: String) { message(key: \"comments.count\", locale: $l, count: $c) { text } }",
                         {c: count, l: lang});
  return data.message ? data.message.text : String(count);
}

function addComment(c) {
  const item = document.createElement("div");
  item.className = "comment";
  item.append(text("div", c.authorName, "who"), text("div", c.created || "", "when"), text("div", c.body));
  el("comments").append(item);
}

// "Filmklipp: Træna", but not "Filmklipp: Filmklipp om ..." when the title says it already
function videoLabel(title) {
  const label = t("media.video");
  const said = label && title.toLocaleLowerCase(lang).startsWith(label.toLocaleLowerCase(lang));
  return said || !label ? title : `${label}: ${title}`;
}
function figure(image) {
  const fig = document.createElement("figure");
  const img = document.createElement("img");
  img.src = image.url; img.alt = image.alt;
  fig.append(img);
  const cap = document.createElement("figcaption");
  if (image.caption) cap.append(text("span", image.caption + " "));
  if (image.credit) cap.append(text("span", image.credit, "credit"));
  fig.append(cap);
  return fig;
}

const ARTICLE = `query($slug: String, $id: ID, $l: String) {
  article(slug: $slug, id: $id, locale: $l) {
    id title lead body locale isFallback published updated commentCount
    translations { locale slug }
    leadImage { url(width: 960) alt caption credit }
    images(role: INLINE) { url(width: 640) alt caption credit }
    videos { title caption url credit }
    tags { name }
    comments(first: 100) { edges { node { authorName body created } } }
  } }`;

async function load() {
  const data = await gql("query($l: String) { messages(locale: $l) { key text } }", {l: lang});
  messages = Object.fromEntries(data.messages.map((m) => [m.key, m.text]));
  el("loading").textContent = t("page.loading");
  document.querySelectorAll("[data-msg]").forEach((node) => { node.textContent = t(node.dataset.msg); });
  let slug = params.get("slug");
  if (!slug) {
    const first = await gql("query($l: String) { articles(locale: $l, first: 1) { edges { node { slug } } } }", {l: lang});
    slug = first.articles.edges.length ? first.articles.edges[0].node.slug : null;
  }
  const a = slug ? (await gql(ARTICLE, {slug, l: lang})).article : null;
  if (!a) { el("loading").textContent = t("page.not_found"); return; }
  articleId = a.id;
  el("lang-label").textContent = t("language.switch") + ":";
  el("lang-nav").setAttribute("aria-label", t("language.switch"));
  for (const code of ["nb", "nn"]) {
    const link = document.createElement("a");
    const other = a.translations.find((x) => x.locale === code);
    link.href = `/?slug=${encodeURIComponent(other ? other.slug : a.translations[0].slug)}&lang=${code}`;
    link.hreflang = code; link.lang = code; link.id = `lang-${code}`;
    link.textContent = t(`language.${code}`);
    if (code === lang) link.setAttribute("aria-current", "true");
    el("lang-label").parentElement.append(link);
  }
  const fallback = el("fallback");
  fallback.hidden = !a.isFallback;
  fallback.textContent = t("article.fallback_notice");
  el("title").textContent = a.title;
  el("title").lang = a.locale;
  el("lead").textContent = a.lead || "";
  el("dates").textContent = `${t("article.published")}: ${a.published}, ${t("article.updated")}: ${a.updated}`;
  if (a.leadImage) el("lead-image").replaceWith(figure(a.leadImage));
  el("body").innerHTML = a.body;  // sanitised by the API to a small allowlist
  a.images.forEach((image) => el("images").append(figure(image)));
  a.videos.forEach((video) => {
    const box = document.createElement("p");
    const link = document.createElement("a");
    link.href = video.url; link.textContent = videoLabel(video.title);
    box.append(link);
    if (video.credit) box.append(text("span", ` (${video.credit})`, "credit"));
    el("videos").append(box);
  });
  a.tags.forEach((tag) => el("tags").append(text("span", tag.name)));
  el("comments-heading").textContent = t("comments.heading");
  el("form-heading").textContent = t("comments.write");
  el("comments-live").textContent = t("comments.live");
  el("comment-count").textContent = await countLabel(a.commentCount);
  if (!a.comments.edges.length) el("comments").append(text("p", t("comments.none"), "none"));
  a.comments.edges.forEach((edge) => addComment(edge.node));
  el("loading").hidden = true;
  el("article").hidden = false;
  listen(a.commentCount);
}

function listen(count) {
  const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
  socket.onopen = () => socket.send(JSON.stringify({type: "connection_init"}));
  socket.onmessage = async (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "connection_ack") {
      socket.send(JSON.stringify({id: "comments", type: "subscribe", payload: {
        query: "subscription($a: ID!, $l: String) { commentApproved(articleId: $a, locale: $l) { authorName body created } }",
        variables: {a: articleId, l: lang}}}));
    } else if (message.type === "ping") {
      socket.send(JSON.stringify({type: "pong"}));
    } else if (message.type === "next" && message.payload.data) {
      document.querySelectorAll("#comments .none").forEach((n) => n.remove());
      addComment(message.payload.data.commentApproved);
      count += 1;
      el("comment-count").textContent = await countLabel(count);
    }
  };
  socket.onclose = () => setTimeout(() => listen(count), 3000);
}

el("comment-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  document.querySelectorAll("[data-error-for]").forEach((node) => { node.textContent = ""; });
  const input = {articleId, locale: lang};
  for (const name of ["authorName", "email", "body", "website"]) input[name] = form.elements[name].value;
  try {
    const data = await gql(`mutation($input: PostCommentInput!) { postComment(input: $input) {
      comment { id } errors { field code message } } }`, {input});
    const errors = data.postComment.errors;
    errors.forEach((e) => {
      const slot = document.querySelector(`[data-error-for="${e.field}"]`) || document.querySelector('[data-error-for="form"]');
      slot.textContent = e.message;
    });
    if (!errors.length) {
      form.reset();
      el("thanks").textContent = t("comments.thanks");
      el("thanks").hidden = false;
    }
  } catch (error) {
    document.querySelector('[data-error-for="form"]').textContent = error.message;
  }
});

load().catch((error) => { el("loading").textContent = error.message; });
