// The reference reader page (contentapi/reader renders it on the server): this script only
// adds what needs JavaScript, live comments over the `commentApproved` subscription and the
// comment form (through `postComment`). Every text it shows is on the page already, or
// comes from the API in the page's language.
"use strict";
const article = document.getElementById("article");
const lang = document.documentElement.lang;
const articleId = article ? article.dataset.articleId : null;
const el = (id) => document.getElementById(id);
const FIELDS = ["authorName", "email", "body"];

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

function text(tag, value, cls) {
  const node = document.createElement(tag);
  node.textContent = value;  // reader text is never HTML
  if (cls) node.className = cls;
  return node;
}

// a comment as the server renders it (reader/templates/article.html)
function addComment(c) {
  const item = document.createElement("li");
  item.className = "comment";
  if (c.locale && c.locale !== lang) item.lang = c.locale;  // read in its own language
  const when = text("div", "", "when");
  const time = text("time", c.created || "");
  if (c.createdAt) time.dateTime = c.createdAt;
  when.append(time);
  item.append(text("div", c.authorName, "who"), when, text("div", c.body, "text"));
  el("comments").append(item);
  const none = el("no-comments");
  if (none) none.remove();
}

async function showCount(count) {
  const data = await gql(
    "query($c: Int!, $l: String) { message(key: \"comments.count\", locale: $l, count: $c) { text } }",
    {c: count, l: lang});
  if (data.message) el("comment-count").textContent = data.message.text;
}

function listen(count) {
  const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/graphql", "graphql-transport-ws");
  socket.onopen = () => socket.send(JSON.stringify({type: "connection_init"}));
  socket.onmessage = async (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "connection_ack") {
      socket.send(JSON.stringify({id: "comments", type: "subscribe", payload: {
        query: "subscription($a: ID!, $l: String) { commentApproved(articleId: $a, locale: $l) { authorName body created createdAt locale } }",
        variables: {a: articleId, l: lang}}}));
    } else if (message.type === "ping") {
      socket.send(JSON.stringify({type: "pong"}));
    } else if (message.type === "next" && message.payload.data) {
      addComment(message.payload.data.commentApproved);
      count += 1;
      await showCount(count);
    }
  };
  socket.onclose = () => setTimeout(() => listen(count), 3000);
}

// errors are tied to their fields: aria-invalid on the field, the message in the element
// its aria-describedby names; the first field in error gets the focus
function showErrors(form, errors) {
  for (const name of FIELDS) {
    form.elements[name].removeAttribute("aria-invalid");
    el(`error-${name}`).textContent = "";
  }
  el("error-form").textContent = "";
  let first = null;
  for (const e of errors) {
    const name = FIELDS.find((f) => e.field === f || (e.field || "").endsWith(`.${f}`));
    if (name) {
      form.elements[name].setAttribute("aria-invalid", "true");
      el(`error-${name}`).textContent = e.message;
      first = first || form.elements[name];
    } else {
      el("error-form").textContent = e.message;
    }
  }
  // in the form's order, not the order the API named them
  const ordered = FIELDS.map((f) => form.elements[f]).find((f) => f.getAttribute("aria-invalid"));
  (ordered || first || (errors.length ? el("error-form") : null))?.focus();
}

function setUpForm() {
  const section = el("comment-form-section");
  const form = el("comment-form");
  if (!section || !form) return;  // comments are closed
  section.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const thanks = el("thanks");
    thanks.textContent = "";
    const input = {articleId, locale: lang};
    for (const name of [...FIELDS, "website"]) input[name] = form.elements[name].value;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const data = await gql(`mutation($input: PostCommentInput!) { postComment(input: $input) {
        comment { id } errors { field code message } } }`, {input});
      const errors = data.postComment.errors;
      showErrors(form, errors);
      if (!errors.length) {
        form.reset();
        thanks.textContent = thanks.dataset.text;  // a live region: read out when it changes
      }
    } catch (error) {
      showErrors(form, [{field: null, message: error.message}]);
    } finally {
      button.disabled = false;
    }
  });
}

if (articleId) {
  el("comments-live").hidden = false;
  setUpForm();
  listen(Number(article.dataset.commentCount || 0));
}
