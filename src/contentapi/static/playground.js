// GraphiQL on this server (playground.html): React, ReactDOM and GraphiQL come first.
// One written standard per page: Nynorsk, as playground.html's lang says.
"use strict";
const url = new URL("/graphql", window.location.href);
const wsUrl = url.href.replace(/^http/, "ws");
const fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: wsUrl });
const defaultQuery = `# contentapi: les og skriv artiklar på bokmål og nynorsk.
# Lim inn token under «Headers»: {"Authorization": "Bearer cat_..."}
query Forside {
  articles(locale: "nn", first: 5) {
    edges { node { title published locale isFallback } }
  }
}
`;
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  })
);
