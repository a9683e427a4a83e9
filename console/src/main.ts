import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { CallEventView, CallListView } from '../../src/api/console-views';
import { follow } from './events';
import { CallDetail } from './call-detail';
import { CallListPanel } from './call-list';
import { RingForm } from './ring-form';

/** The chosen call lives in the URL's fragment, so a reload (or a shared link) keeps it. */
const callInHash = () => /call=([0-9a-f-]{36})/i.exec(location.hash)?.[1];

function App() {
  const [filter, setFilter] = useState({ app: '', state: '' });
  const [selected, setSelected] = useState<string | undefined>(callInHash());
  const [list, setList] = useState<CallListView | undefined>(undefined);
  const [view, setView] = useState<CallEventView | undefined>(undefined);
  const [apps, setApps] = useState<string[]>([]);
  const [status, setStatus] = useState<{ state: string; detail?: string }>({ state: 'connecting' });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    const onHash = () => setSelected(callInHash());
    addEventListener('hashchange', onHash);
    return () => {
      clearInterval(timer);
      removeEventListener('hashchange', onHash);
    };
  }, []);

  // One live stream for what is on screen; a new filter or call opens a new one.
  useEffect(() => {
    setView(undefined);
    return follow(
      { ...(filter.app && { app: filter.app }), ...(filter.state && { state: filter.state }), ...(selected && { callId: selected }) },
      {
        calls: (l) => {
          setList(l);
          setApps((known) => [...new Set([...known, ...l.value.map((c) => c.appId)])].sort());
        },
        call: setView,
        status: (state, detail) => setStatus({ state, ...(detail && { detail }) }),
      },
    );
  }, [filter.app, filter.state, selected]);

  const select = (id: string) => {
    location.hash = `call=${id}`;
    setSelected(id);
  };

  return html`
    <header class="top">
      <h1>Calls console</h1>
      <span class=${`live live-${status.state}`} title=${status.detail ?? ''} role="status">${status.state === 'live' ? 'live' : status.state === 'connecting' ? 'connecting…' : `offline${status.detail ? `: ${status.detail}` : ''}`}</span>
    </header>
    <main class="layout">
      <div class="side">
        <${CallListPanel} list=${list} apps=${apps} filter=${filter} onFilter=${setFilter} selected=${selected} onSelect=${select} now=${now} />
        <${RingForm} onRang=${(call: { id: string }) => select(call.id)} />
      </div>
      <div class="main">
        ${!selected
          ? html`<section class="panel"><p class="muted">Choose a call to see its states, media, operations and notifications, and to play its caller.</p></section>`
          : !view
            ? html`<section class="panel"><p class="muted">Loading call ${selected}…</p></section>`
            : 'notFound' in view
              ? html`<section class="panel"><p class="muted">Call ${view.id} does not exist (any more).</p></section>`
              : html`<${CallDetail} view=${view} />`}
      </div>
    </main>
  `;
}

const root = document.getElementById('app') as HTMLElement;
// Preact keeps children it did not render: the page's "Loading…" placeholder goes first.
root.replaceChildren();
render(html`<${App} />`, root);
