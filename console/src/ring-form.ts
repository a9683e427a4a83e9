import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { CallSummaryView } from '../../src/api/console-views';
import { asApp } from './http';

/** Someone calls the bot: POST /emulator/incomingCalls as the app, with the caller's identity. */
export function RingForm({ onRang }: { readonly onRang: (call: CallSummaryView) => void }) {
  const [form, setForm] = useState({ appId: '', callbackUri: 'http://127.0.0.1:7072/callback', callerId: '', callerName: '' });
  const [problem, setProblem] = useState('');
  const field = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value });
  const ring = async (e: Event) => {
    e.preventDefault();
    setProblem('');
    try {
      const identity = { ...(form.callerId && { id: form.callerId }), ...(form.callerName && { displayName: form.callerName }) };
      const source = Object.keys(identity).length > 0 ? { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: identity } } : undefined;
      const call = (await asApp({ appId: form.appId.trim() }, 'POST', '/emulator/incomingCalls', { callbackUri: form.callbackUri, ...(source && { source }) })) as CallSummaryView;
      onRang(call);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return html`
    <form class="panel ring" onSubmit=${ring}>
      <h3>Ring the bot</h3>
      <label>Bot's app id <input name="appId" required placeholder="the GUID your bot's tokens carry" value=${form.appId} onInput=${field('appId')} /></label>
      <label>Callback URL <input name="callbackUri" required value=${form.callbackUri} onInput=${field('callbackUri')} /></label>
      <label>Caller id <input name="callerId" placeholder="(a new id)" value=${form.callerId} onInput=${field('callerId')} /></label>
      <label>Caller name <input name="callerName" placeholder="Simulated caller" value=${form.callerName} onInput=${field('callerName')} /></label>
      <button type="submit">Ring</button>
      ${problem && html`<p class="outcome error" role="alert">${problem}</p>`}
    </form>
  `;
}
