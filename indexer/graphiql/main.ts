// GraphiQL page served by the API server at /graphiql, talking to /graphql.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { AUDITOR_QUERIES } from './examples.js';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

createRoot(document.getElementById('root')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: AUDITOR_QUERIES.map((q) => ({ query: q.query })),
    defaultEditorToolsVisibility: false,
  }),
);
