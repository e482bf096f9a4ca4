import { describe, expect, it } from 'vitest';
import { UserCache } from './user-cache.js';

const ann = {
  id: 'u1',
  email: 'ann@example.test',
  timezone: 'Europe/Berlin',
  emailNotifications: true,
  emailVerified: false,
};

describe('UserCache', () => {
  it('remembers a read, and forgets the user when it is written', () => {
    const cache = new UserCache();
    cache.remember(ann, cache.readStarting());
    expect(cache.get('u1')).toEqual(ann);
    cache.forget('u1');
    expect(cache.get('u1')).toBeUndefined();
  });

  it('does not remember a read that a write overlapped: it may hold the row from before the write', () => {
    const cache = new UserCache();
    const before = cache.readStarting();
    cache.forget('u1');
    cache.remember(ann, before);
    expect(cache.get('u1')).toBeUndefined();
  });
});
