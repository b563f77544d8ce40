import type { ConnectionStatus as Status } from '../graphql/connection-state';

const LABELS: Record<Status, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline, waiting for the network…',
};

/** The live connection's state, announced politely to screen readers when it changes. */
export function ConnectionStatus({ status }: { status: Status }) {
  return (
    <p className={`connection connection-${status}`} role="status" data-state={status}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABELS[status]}</span>
    </p>
  );
}
