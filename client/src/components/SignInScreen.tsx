import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import type { Session } from '../App';
import { graphql } from '../gql';

const SignInMutation = graphql(`
  mutation SignIn($username: String!, $password: String!) {
    signIn(username: $username, password: $password) {
      token
      user {
        id
        username
        online
      }
    }
  }
`);

const SignUpMutation = graphql(`
  mutation SignUp($username: String!, $password: String!) {
    signUp(username: $username, password: $password) {
      token
      user {
        id
        username
        online
      }
    }
  }
`);
import { describeError } from '../graphql/errors';

type Action = 'signIn' | 'signUp';

/** Sign in, or sign up with any free username; the server's error is shown as it says it. */
export function SignInScreen({
  notice,
  onSignedIn,
  title = 'Switchboard chat',
  lead = 'Sign in, or sign up with any username.',
}: {
  notice: string | null;
  onSignedIn(session: Session): void;
  /** The heading; the operations console (`/ops`) has its own. */
  title?: string;
  lead?: string;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [, signIn] = useMutation(SignInMutation);
  const [, signUp] = useMutation(SignUpMutation);

  async function submit(action: Action) {
    setBusy(action);
    setError(null);
    const variables = { username, password };
    const result = action === 'signIn' ? await signIn(variables) : await signUp(variables);
    setBusy(null);
    const payload = result.data ? ('signIn' in result.data ? result.data.signIn : result.data.signUp) : undefined;
    if (result.error || !payload) {
      setError(result.error ? describeError(result.error) : 'The server sent no session. Try again.');
      return;
    }
    onSignedIn({ user: payload.user, token: payload.token });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Enter in a field submits with the first button: Sign in.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void submit(submitter instanceof HTMLButtonElement && submitter.value === 'signUp' ? 'signUp' : 'signIn');
  }

  const message = error ?? notice;
  return (
    <main className="auth">
      <form className="auth-card" onSubmit={onSubmit} aria-labelledby="auth-title" noValidate>
        <h1 id="auth-title">{title}</h1>
        <p className="lead">{lead}</p>
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          aria-describedby="username-hint"
        />
        <p id="username-hint" className="hint">
          2 to 32 letters, digits, “_”, “.” or “-”.
        </p>
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby="password-hint"
        />
        <p id="password-hint" className="hint">
          At least 8 characters.
        </p>
        {message && (
          <p className="error" role="alert">
            {message}
          </p>
        )}
        <div className="auth-actions">
          <button type="submit" value="signIn" disabled={busy !== null}>
            {busy === 'signIn' ? 'Signing in…' : 'Sign in'}
          </button>
          <button type="submit" value="signUp" className="secondary" disabled={busy !== null}>
            {busy === 'signUp' ? 'Signing up…' : 'Sign up'}
          </button>
        </div>
      </form>
    </main>
  );
}
