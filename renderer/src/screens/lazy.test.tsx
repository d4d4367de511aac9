// Split-out screens whose code fails to load can be tried again (the error boundary's "Try again"):
// React.lazy alone would remember the failure for the life of the page.
import { Suspense } from 'react';
import { prerender } from 'react-dom/static';
import { describe, expect, it } from 'vitest';
import { ScreenBoundary } from '../components/ScreenBoundary';
import { deferred, retryDeferredCode } from './lazy';

async function html(node: React.ReactNode): Promise<{ text: string; errors: unknown[] }> {
  const errors: unknown[] = [];
  const { prelude } = await prerender(node, { onError: (e) => void errors.push(e) });
  const chunks: string[] = [];
  const reader = prelude.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(decoder.decode(value));
  }
  return { text: chunks.join(''), errors };
}

describe('deferred screens', () => {
  it('load again after a failed load once retryDeferredCode is called', async () => {
    let calls = 0;
    let online = false;
    const Screen = deferred(async () => {
      calls++;
      if (!online) throw new Error('chunk failed to load');
      return ({ who }: { who: string }) => <p>hello {who}</p>;
    });
    const page = (
      <Suspense fallback={<p>loading</p>}>
        <Screen who="Ann" />
      </Suspense>
    );

    const failed = await html(page);
    expect(failed.errors).toHaveLength(1);
    expect(failed.text).toContain('loading');
    expect(failed.text).not.toContain('hello');

    // Back online, but React.lazy would still hold the failure: nothing is fetched again…
    online = true;
    const stuck = await html(page);
    expect(stuck.text).not.toContain('hello');
    expect(calls).toBe(1);

    // …until the screens are told to retry.
    retryDeferredCode();
    const loaded = await html(page);
    expect(loaded.errors).toEqual([]);
    expect(loaded.text).toContain('hello <!-- -->Ann');
    expect(calls).toBe(2);

    // A screen that loaded is not fetched again by a retry.
    retryDeferredCode();
    await html(page);
    expect(calls).toBe(2);
  });
});

describe('ScreenBoundary', () => {
  it('holds the error of a failed screen until the route changes', () => {
    const error = new Error('boom');
    const held = { error, resetKey: '#/g/1/chat' };
    expect(ScreenBoundary.getDerivedStateFromError(error)).toEqual({ error });
    expect(ScreenBoundary.getDerivedStateFromError('text')).toEqual({ error: new Error('text') });
    expect(
      ScreenBoundary.getDerivedStateFromProps({ resetKey: '#/g/1/chat', children: null }, held),
    ).toBeNull();
    expect(
      ScreenBoundary.getDerivedStateFromProps({ resetKey: '#/g/1/expenses', children: null }, held),
    ).toEqual({
      error: null,
      resetKey: '#/g/1/expenses',
    });
  });
});
