import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { OpsApp } from './ops/OpsApp';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    {/* /ops is the operations console; every other path is the chat. */}
    {window.location.pathname === '/ops' || window.location.pathname.startsWith('/ops/') ? <OpsApp /> : <App />}
  </StrictMode>,
);
