import { ChannelsPanel } from './ChannelsPanel';
import { LiveStats } from './LiveStats';
import { QueuePanel } from './QueuePanel';
import { StreamPanel } from './StreamPanel';
import { AddName, useWatchList } from './WatchList';

/** The operations console: live figures, queues, streams and channels. */
export function OpsConsole({ username, onSignOut }: { username: string; onSignOut(): void }) {
  const [queues, addQueue, removeQueue] = useWatchList('queue');
  const [streams, addStream, removeStream] = useWatchList('stream');
  return (
    <div className="ops">
      <header className="ops-header">
        <h1>Switchboard operations</h1>
        <span className="muted">
          Signed in as <strong>{username}</strong> (admin)
        </span>
        <a href="/">Chat</a>
        <button type="button" className="secondary small" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="ops-main">
        <LiveStats />
        <section className="ops-panel" aria-labelledby="queues-title">
          <h2 id="queues-title">Queues</h2>
          <AddName kind="queue" onAdd={addQueue} />
          <div className="ops-cards">
            {queues.map((queue) => (
              <QueuePanel key={queue} queue={queue} onRemove={() => removeQueue(queue)} />
            ))}
          </div>
        </section>
        <section className="ops-panel" aria-labelledby="streams-title">
          <h2 id="streams-title">Streams</h2>
          <AddName kind="stream" onAdd={addStream} />
          <div className="ops-cards">
            {streams.map((stream) => (
              <StreamPanel key={stream} stream={stream} onRemove={() => removeStream(stream)} />
            ))}
          </div>
        </section>
        <ChannelsPanel />
      </main>
    </div>
  );
}
