import { type FormEvent, useState } from 'react';

/** Names the console watches (queues, streams): kept in localStorage, and seeded from `?queue=` / `?stream=`. */
export function useWatchList(kind: 'queue' | 'stream'): [string[], (name: string) => void, (name: string) => void] {
  const storageKey = `switchboard.ops.${kind}s`;
  const [names, setNames] = useState<string[]>(() => {
    const stored = (() => {
      try {
        const parsed: unknown = JSON.parse(window.localStorage.getItem(storageKey) ?? '[]');
        return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
      } catch {
        return [];
      }
    })();
    const fromUrl = new URLSearchParams(window.location.search).getAll(kind);
    return [...new Set([...stored, ...fromUrl])];
  });
  const save = (next: string[]) => {
    setNames(next);
    window.localStorage.setItem(storageKey, JSON.stringify(next));
  };
  return [names, (name) => save([...new Set([...names, name])]), (name) => save(names.filter((other) => other !== name))];
}

/** A one-field form that adds a name to watch. */
export function AddName({ kind, onAdd }: { kind: 'queue' | 'stream'; onAdd(name: string): void }) {
  const [name, setName] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    onAdd(trimmed);
    setName('');
  };
  return (
    <form className="ops-add" onSubmit={onSubmit}>
      <label htmlFor={`add-${kind}`}>Watch a {kind}</label>
      <input id={`add-${kind}`} value={name} onChange={(event) => setName(event.target.value)} placeholder={kind === 'queue' ? 'mail' : 'orders'} spellCheck={false} />
      <button type="submit">Add</button>
    </form>
  );
}
