import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ApiProvider } from './app/api.tsx';
import { browserEndpointSources, resolveEndpoint } from './api/endpoint.ts';
import './styles.css';

const endpoint = await resolveEndpoint(browserEndpointSources());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider endpoint={endpoint}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
