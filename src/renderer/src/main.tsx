// Renderer entry: pick the transport (Electron bridge or WebSocket) and render the app.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickTransport } from './transport/pick';
import './styles.css';

// The bundled CJK font: loaded now, used once ready (styles.css explains why not before).
document.fonts?.load('16px "WireLadder CJK"', '中').then(
  () => document.documentElement.setAttribute('data-cjk-font', 'ready'),
  () => undefined,
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={pickTransport()} />
  </StrictMode>,
);
