import { useConnectivity } from '../lib/offline';

const timeOf = (httpDate: string) =>
  new Date(httpDate).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Says, while the network is gone, that what is shown is the last copy and cannot be changed. */
export function OfflineBanner() {
  const { online, copyFrom } = useConnectivity();
  if (online && !copyFrom) return null;
  return (
    <div className="offline-banner" role="status">
      <strong>You are offline.</strong>{' '}
      {copyFrom ? `Showing your tasks as they were at ${timeOf(copyFrom)}. ` : ''}
      Read-only until the connection is back: changes are not saved.
    </div>
  );
}
