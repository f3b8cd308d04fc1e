// Renderer entry: pick the transport (Electron bridge or WebSocket) and render the app.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickTransport } from './transport/pick';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={pickTransport()} />
  </StrictMode>,
);
