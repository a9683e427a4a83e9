import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { CallView } from '../../src/api/console-views';
import { CALL_END_PRESET_NAMES, type CallEndPreset } from '../../src/faults/presets';
import { asApp } from './http';

const KEYS = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

/**
 * The caller's side of the call, as buttons: each one is one request to the emulator's routes,
 * made as the app that owns the call, exactly what a test would send.
 */
export function CallerPad({ view }: { readonly view: CallView }) {
  const { call } = view;
  const [seconds, setSeconds] = useState(3);
  const [preset, setPreset] = useState<CallEndPreset>('500/1999');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const ended = call.state === 'terminated' || call.state === 'terminating';
  // The caller is heard (keys, speech) only on an established call; the emulator refuses them before.
  const connected = call.state === 'established';
  const owner = { appId: call.appId, tenantId: call.tenantId };
  const act = async (label: string, path: string, body?: unknown) => {
    try {
      const answer = await asApp(owner, 'POST', `/emulator/calls/${call.id}/${path}`, body);
      setOutcome({ ok: true, text: `${label}: ${answer === undefined ? 'done' : JSON.stringify(answer)}` });
    } catch (error) {
      setOutcome({ ok: false, text: `${label}: ${(error as Error).message}` });
    }
  };
  return html`
    <section class="panel caller">
      <h3>Play the caller</h3>
      ${!connected && !ended && html`<p class="muted hint">Keys and speech work once the call is established (it is ${call.state}).</p>`}
      <div class="caller-grid">
        <div class="dialpad" role="group" aria-label="DTMF dialpad">
          ${KEYS.map((key) => html`<button type="button" class="key" disabled=${!connected} aria-label=${`key ${key}`} onClick=${() => act(`key ${key}`, 'tones', { tones: [key] })}>${key}</button>`)}
        </div>
        <div class="caller-actions">
          <div class="row">
            <input type="number" min="0.5" max="600" step="0.5" value=${seconds} aria-label="seconds of speech" onInput=${(e: Event) => setSeconds(Number((e.target as HTMLInputElement).value))} />
            <button type="button" disabled=${!connected} onClick=${() => act(`speak ${seconds} s`, 'speech', { seconds })}>Speak for ${seconds} s</button>
          </div>
          <div class="row">
            <button type="button" class="danger" disabled=${ended} onClick=${() => act('hang up', 'hangUp')}>Hang up</button>
          </div>
          <div class="row transfer">
            <span>Transfer target${call.transfer ? ' (ringing now)' : call.nextTransferFate ? ` (next: ${call.nextTransferFate})` : ''}:</span>
            <button type="button" disabled=${ended} onClick=${() => act('transfer target accepts', 'transferTarget', { action: 'accept' })}>Accept</button>
            <button type="button" disabled=${ended} onClick=${() => act('transfer target declines', 'transferTarget', { action: 'decline' })}>Decline</button>
            <button type="button" disabled=${ended} onClick=${() => act('transfer target does not answer', 'transferTarget', { action: 'noAnswer' })}>No answer</button>
          </div>
          <div class="row drop">
            <span>The platform:</span>
            <select aria-label="how the platform ends the call" value=${preset} onChange=${(e: Event) => setPreset((e.target as HTMLSelectElement).value as CallEndPreset)}>
              ${CALL_END_PRESET_NAMES.map((name) => html`<option value=${name}>${name}</option>`)}
            </select>
            <button type="button" class="danger" disabled=${ended} onClick=${() => act(`platform drops the call (${preset})`, 'drop', { preset })}>Drop this call</button>
          </div>
          ${outcome && html`<p class=${outcome.ok ? 'outcome' : 'outcome error'} role="status">${outcome.text}</p>`}
        </div>
      </div>
    </section>
  `;
}
