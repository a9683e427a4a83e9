import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { CallView, ParticipantView } from '../../src/api/console-views';
import { asApp } from './http';

/**
 * Who is on the call, live: mute state, hold, invitations ringing, people in a meeting's lobby. The
 * buttons are the bot's own Graph requests (hold music, mute, invite, remove) made as the app that
 * owns the call, and the emulator's invitee (what the agent does with an invitation).
 */
export function Participants({ view }: { readonly view: CallView }) {
  const { call } = view;
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const [name, setName] = useState('Agent');
  const established = call.state === 'established';
  const owner = { appId: call.appId, tenantId: call.tenantId };
  const graph = `/v1.0/communications/calls/${call.id}`;
  const act = async (label: string, method: string, path: string, body?: unknown) => {
    try {
      const answer = await asApp(owner, method, path, body);
      setOutcome({ ok: true, text: `${label}: ${answer === undefined ? 'done' : JSON.stringify(answer)}` });
    } catch (error) {
      setOutcome({ ok: false, text: `${label}: ${(error as Error).message}` });
    }
  };
  const onHold = view.participants.some((p) => p.onHold);
  const row = (p: ParticipantView) => html`
    <tr key=${p.id} data-participant-id=${p.id}>
      <td>${p.name}</td>
      <td>${p.role}</td>
      <td><span class=${`badge badge-${p.state}`}>${p.state === 'lobby' ? 'in lobby' : p.state}</span>${p.muted ? html` <span class="badge">muted</span>` : ''}${p.onHold ? html` <span class="badge badge-hold">on hold</span>` : ''}</td>
      <td class="participant-actions">
        ${p.role !== 'bot' && p.state === 'joined' && html`
          ${p.onHold
            ? html`<button type="button" disabled=${!established} onClick=${() => act(`${p.name} off hold`, 'POST', `${graph}/participants/${p.id}/stopHoldMusic`, {})}>Unhold</button>`
            : html`<button type="button" disabled=${!established || onHold} onClick=${() => act(`${p.name} on hold`, 'POST', `${graph}/participants/${p.id}/startHoldMusic`, {})}>Hold</button>`}
          <button type="button" disabled=${!established || p.muted} onClick=${() => act(`mute ${p.name}`, 'POST', `${graph}/participants/${p.id}/mute`, {})}>Mute</button>`}
        ${p.role !== 'bot' && html`<button type="button" disabled=${!established} onClick=${() => act(`${p.state === 'invited' ? 'cancel invitation of' : 'remove'} ${p.name}`, 'DELETE', `${graph}/participants/${p.id}`)}>${p.state === 'invited' ? 'Cancel invitation' : 'Remove'}</button>`}
      </td>
    </tr>
  `;
  return html`
    <section class="panel participants">
      <h3>Participants <span class="muted">(${view.participants.length})</span>${view.meetingId ? html` <span class="muted">meeting ${view.meetingId}</span>` : ''}</h3>
      ${view.participants.length === 0
        ? html`<p class="muted">Nobody: the call has ended.</p>`
        : html`<div class="scroll"><table class="participant-list">
            <thead><tr><th>Name</th><th>Role</th><th>State</th><th></th></tr></thead>
            <tbody>${view.participants.map(row)}</tbody>
          </table></div>`}
      <div class="row invite">
        <input type="text" value=${name} aria-label="invitee name" onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
        <button type="button" disabled=${!established || name.trim() === ''} onClick=${() => act(`invite ${name}`, 'POST', `${graph}/participants/invite`, { participants: [{ identity: { user: { id: crypto.randomUUID(), displayName: name.trim() } } }] })}>Invite</button>
        <span>Invitee${view.nextInviteFate ? ` (next: ${view.nextInviteFate})` : ''}:</span>
        ${(['accept', 'decline', 'noAnswer'] as const).map((action) => html`<button type="button" disabled=${call.state === 'terminated'} onClick=${() => act(`invitee ${action}`, 'POST', `/emulator/calls/${call.id}/invitee`, { action })}>${action === 'noAnswer' ? 'No answer' : action === 'accept' ? 'Accepts' : 'Declines'}</button>`)}
      </div>
      ${outcome && html`<p class=${outcome.ok ? 'outcome' : 'outcome error'} role="status">${outcome.text}</p>`}
    </section>
  `;
}
