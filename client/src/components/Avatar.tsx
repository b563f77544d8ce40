const PALETTE_SIZE = 8;

/** A stable colour (one of eight classes) per name; the page's CSP allows no inline styles. */
function colourOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % PALETTE_SIZE;
}

/** The first letter of a name in a coloured circle, with an online dot when `online` is given. */
export function Avatar({ name, online }: { name: string; online?: boolean }) {
  const initial = [...name][0]?.toUpperCase() ?? '?';
  return (
    <span className={`avatar avatar-${colourOf(name)}`} aria-hidden="true">
      {initial}
      {online !== undefined && <span className={online ? 'presence-dot online' : 'presence-dot'} />}
    </span>
  );
}
