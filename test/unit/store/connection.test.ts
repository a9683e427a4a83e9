import { ManagedIdentityCredential, DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config';
import { storageAccount } from '../../../src/store/connection';

/** The credential an SDK client was built with (it keeps it for its auth policy). */
function credentialOf(client: object): unknown {
  return (client as { credential?: unknown }).credential;
}

describe('one place decides how every storage client connects', () => {
  it('uses a connection string when the setting holds one', () => {
    const account = storageAccount('CallsStorage', { CallsStorage: 'UseDevelopmentStorage=true' });
    expect(account.table('calls').url).toBe('http://127.0.0.1:10002/devstoreaccount1');
    expect(account.queue('media-clock').url).toBe('http://127.0.0.1:10001/devstoreaccount1/media-clock');
    expect(account.description).toBe('http://127.0.0.1:10001/devstoreaccount1');
  });

  it('uses the managed identity and the account endpoints when the setting names an account', () => {
    const account = storageAccount('CallsStorage', {
      CallsStorage__accountName: 'stcalls',
      CallsStorage__credential: 'managedidentity',
      CallsStorage__clientId: '00000000-0000-4000-8000-0000000000c1',
    });
    const table = account.table('calls');
    const queue = account.queue('notifications');
    expect(table.url).toBe('https://stcalls.table.core.windows.net');
    expect(queue.url).toBe('https://stcalls.queue.core.windows.net/notifications');
    expect(credentialOf(table)).toBeInstanceOf(ManagedIdentityCredential);
    expect(credentialOf(queue)).toBeInstanceOf(ManagedIdentityCredential);
    expect(account.description).toBe('https://stcalls.table.core.windows.net (identity)');
  });

  it('takes explicit service URIs, and DefaultAzureCredential when no credential is named', () => {
    const account = storageAccount('CallsStorage', {
      CallsStorage__tableServiceUri: 'https://tables.example/',
      CallsStorage__queueServiceUri: 'https://queues.example',
    });
    expect(account.table('calls').url).toBe('https://tables.example/');
    expect(account.queue('q').url).toBe('https://queues.example/q');
    expect(credentialOf(account.table('calls'))).toBeInstanceOf(DefaultAzureCredential);
  });

  it('names the setting to fill when there is neither', () => {
    expect(() => storageAccount('CallsStorage', {})).toThrow(ConfigError);
    expect(() => storageAccount('CallsStorage', {})).toThrow(/'CallsStorage__accountName'/);
  });
});
