import { type FormEvent, useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import { describeError } from '../graphql/errors';
import { usePolling } from './usePolling';

export const ChannelUseFragment = graphql(`
  fragment ChannelUseRow on ChannelUse {
    name
    subscribers
  }
`);

const ChannelsQuery = graphql(`
  query OpsChannels($pattern: String!) {
    channels(pattern: $pattern, first: 100) {
      total
      truncated
      channels {
        name
        ...ChannelUseRow
      }
    }
  }
`);

function ChannelRow({ channel }: { channel: FragmentType<typeof ChannelUseFragment> }) {
  const row = readFragment(ChannelUseFragment, channel);
  return (
    <tr data-channel={row.name}>
      <td>
        <code>{row.name}</code>
      </td>
      <td className="num">{row.subscribers}</td>
    </tr>
  );
}

/** The channels in use on every instance, and how many Redis subscribers each has. */
export function ChannelsPanel() {
  const [pattern, setPattern] = useState('*');
  const [draft, setDraft] = useState('*');
  const [result, reexecute] = useQuery({ query: ChannelsQuery, variables: { pattern } });
  usePolling(useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]));
  const page = result.data?.channels;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setPattern(draft.trim() || '*');
  };
  return (
    <section className="ops-panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels in use</h2>
      <form className="ops-add" onSubmit={onSubmit}>
        <label htmlFor="channel-pattern">Pattern</label>
        <input id="channel-pattern" value={draft} onChange={(event) => setDraft(event.target.value)} spellCheck={false} />
        <button type="submit">Show</button>
      </form>
      {result.error && <p className="error" role="alert">{describeError(result.error)}</p>}
      {page && (
        <table className="ops-table">
          <caption>
            {page.total} channel(s){page.truncated ? `, the first ${page.channels.length} shown` : ''}. Subscribers are Redis connections: one per instance with listeners, plus plain Redis clients.
          </caption>
          <thead>
            <tr>
              <th>Channel</th>
              <th className="num">Subscribers</th>
            </tr>
          </thead>
          <tbody>
            {page.channels.map((channel) => (
              <ChannelRow key={channel.name} channel={channel} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
