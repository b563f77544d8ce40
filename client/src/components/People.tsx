import { type FragmentType, graphql, useFragment as readFragment } from '../gql';
import { Avatar } from './Avatar';

/** What the people list shows of a user. */
export const PersonFieldsFragment = graphql(`
  fragment PersonFields on User {
    id
    username
    online
  }
`);

/** A user as a parent hands it over: the list reads the fields it needs itself. */
export type PersonRef = FragmentType<typeof PersonFieldsFragment>;

interface PeopleProps {
  me: { id: string; username: string };
  /** Everyone the client knows of besides the user: who is online, and private-room partners. */
  people: Iterable<PersonRef>;
  onOpen(userId: string): void;
}

type Person = ReturnType<typeof readPerson>;
const readPerson = (ref: PersonRef) => readFragment(PersonFieldsFragment, ref);
const byName = (a: Person, b: Person) => a.username.localeCompare(b.username);

/** Who is online, and the people of the user's private rooms; click one to chat in private. */
export function People({ me, people, onOpen }: PeopleProps) {
  const everyone = [...people].map(readPerson);
  const online = everyone.filter((person) => person.online).sort(byName);
  const offline = everyone.filter((person) => !person.online).sort(byName);
  const row = (person: Person) => (
    <li key={person.id}>
      <button
        type="button"
        className="person"
        data-user-id={person.id}
        data-online={String(person.online)}
        onClick={() => onOpen(person.id)}
        title={`Chat with ${person.username} in private`}
      >
        <Avatar name={person.username} online={person.online} />
        <span className="person-name">{person.username}</span>
        <span className="visually-hidden">{person.online ? ' (online): open a private chat' : ' (offline): open a private chat'}</span>
      </button>
    </li>
  );
  return (
    <section className="people" aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <h3 id="online-title">Online ({online.length + 1})</h3>
      <ul aria-labelledby="online-title" className="online-list">
        <li className="person me">
          <Avatar name={me.username} online />
          <span className="person-name">{me.username} (you)</span>
        </li>
        {online.map(row)}
      </ul>
      {offline.length > 0 && (
        <>
          <h3 id="offline-title">Offline</h3>
          <ul aria-labelledby="offline-title" className="offline-list">
            {offline.map(row)}
          </ul>
        </>
      )}
      <p className="hint">Click a name, here or on a message in General, to open a private chat.</p>
    </section>
  );
}
